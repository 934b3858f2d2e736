/*
 * Entry of a virtio or xen image: a Multiboot v1 header and a PVH entry note, both
 * leading to _start32, in 32-bit protected mode with paging off:
 *   multiboot: %eax = 0x2badb002, %ebx = multiboot info;
 *   PVH:       %ebx = hvm_start_info (magic 0x336ec578), %eax undefined.
 * boot.c tells them apart from these two values.
 *
 * _start32 clears the bss, identity maps the first 4 GiB with 2 MiB pages
 * (paging.c then sets the final permissions), enables PAE, SSE
 * (CR4.OSFXSR and OSXMMEXCPT; CR0.MP set, EM and TS clear), NX where the
 * CPU has it, write protection in ring 0 (CR0.WP, so that read-only pages
 * are read-only for the kernel too), long mode, and calls
 * x86_boot(magic, info) on the boot stack.
 */
#define MB_MAGIC 0x1badb002
/* Page-aligned modules, memory information, the a.out kludge addresses
 * below (the loader must not parse the ELF64 file: QEMU refuses to). */
#define MB_FLAGS ((1 << 0) | (1 << 1) | (1 << 16))

#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_TS (1 << 3)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

#define BOOT_STACK_SIZE 16384

.section .text.multiboot, "ax", @progbits
.p2align 2
multiboot_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
    .long multiboot_header /* header_addr */
    .long __image_start    /* load_addr */
    .long _edata           /* load_end_addr: the file's last byte */
    .long _end             /* bss_end_addr */
    .long _start32         /* entry_addr */

.section .note.Xen, "a", @note
.p2align 2
    .long 4 /* namesz */
    .long 8 /* descsz: 64-bit, as Linux; 32-bit readers take the low half */
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .quad _start32

.section .text.boot32, "ax", @progbits
.code32
.global _start32
.type _start32, @function
_start32:
    cli
    cld
    movl %eax, %ebp
    movl %ebx, %esi

    /* The bss (page tables and stack included) starts zeroed. */
    movl $__bss_start, %edi
    movl $_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb
    movl $boot_stack_top, %esp

    /* PML4[0] -> PDPT; PDPT[0..3] -> the 4 page directories; each PD
     * entry a 2 MiB page, present and writable. */
    movl $boot_pdpt, %eax
    orl $3, %eax
    movl %eax, boot_pml4
    movl $boot_pd, %eax
    orl $3, %eax
    movl $boot_pdpt, %edi
    movl $4, %ecx
1:  movl %eax, (%edi)
    addl $4096, %eax
    addl $8, %edi
    loop 1b
    movl $boot_pd, %edi
    movl $0x83, %eax /* present, writable, 2 MiB */
    xorl %edx, %edx
    movl $2048, %ecx
2:  movl %eax, (%edi)
    movl %edx, 4(%edi)
    addl $0x200000, %eax
    adcl $0, %edx
    addl $8, %edi
    loop 2b

    movl %cr4, %eax
    orl $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3

    /* NX if CPUID 0x80000001 EDX bit 20 says so (paging.c checks too). */
    movl $0x80000000, %eax
    cpuid
    movl $EFER_LME, %edi
    cmpl $0x80000001, %eax
    jb 3f
    movl $0x80000001, %eax
    cpuid
    testl $(1 << 20), %edx
    jz 3f
    orl $EFER_NXE, %edi
3:  movl $MSR_EFER, %ecx
    rdmsr
    orl %edi, %eax
    wrmsr

    movl %cr0, %eax
    andl $~(CR0_EM | CR0_TS), %eax
    orl $(CR0_PE | CR0_MP | CR0_WP | CR0_PG), %eax
    movl %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $start64

.code64
start64:
    movl $0x10, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    xorl %eax, %eax
    movl %eax, %fs
    movl %eax, %gs
    movq $boot_stack_top, %rsp
    movl %ebp, %edi /* zero-extends: magic */
    movl %esi, %esi /* info */
    call x86_boot
    ud2

/* x86_stack_switch(top, fn): continue in fn() on the stack below top. */
.text
.global x86_stack_switch
.type x86_stack_switch, @function
x86_stack_switch:
    movq %rdi, %rsp
    xorl %ebp, %ebp
    call *%rsi
    ud2

.section .rodata
.p2align 3
boot_gdt:
    .quad 0
    .quad 0x00af9b000000ffff /* 64-bit code */
    .quad 0x00cf93000000ffff /* data */
boot_gdt_ptr:
    .word boot_gdt_ptr - boot_gdt - 1
    .long boot_gdt

.section .bss.boot_pt, "aw", @nobits
.p2align 12
.global boot_pml4, boot_pdpt, boot_pd
boot_pml4:
    .skip 4096
boot_pdpt:
    .skip 4096
boot_pd:
    .skip 4 * 4096

.section .bss.boot_stack, "aw", @nobits
.p2align 4
boot_stack:
    .skip BOOT_STACK_SIZE
boot_stack_top:

.section .note.GNU-stack, "", @progbits
