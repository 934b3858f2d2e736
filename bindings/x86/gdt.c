/*
 * The GDT of every x86-64 target (hvt, virtio, xen): null, 64-bit code,
 * data, and a TSS whose IST stacks the exception handlers run on. The TSS
 * is filled in at link time (every guest instruction may be emulated on
 * hvt: KVM without hardware support), its GDT slots at run time.
 */
#include <stdint.h>

#include "x86.h"

#define SEL_CODE X86_SEL_CODE
#define SEL_DATA 0x10
#define SEL_TSS 0x18
#define TRAP_STACK_SIZE 8192

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS layout");

struct table_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* IST1: every exception (a stack overflow into the guard page still gets
 * reported); IST2: #DF and NMI, so that they work even when
 * IST1 is what overflowed. */
static uint8_t trap_stack[TRAP_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t df_stack[TRAP_STACK_SIZE] __attribute__((aligned(16)));

static struct tss tss __attribute__((aligned(16))) = {
    .ist = {(uint64_t)(uintptr_t)(trap_stack + sizeof trap_stack),
            (uint64_t)(uintptr_t)(df_stack + sizeof df_stack)},
    .iomap_base = sizeof(struct tss), /* no I/O permission bitmap */
};

/* null, code, data, TSS (two slots, filled in by x86_gdt_load) */
static uint64_t gdt[5] __attribute__((aligned(16))) = {
    0,
    0x00af9b000000ffffull, /* 64-bit code, DPL 0 */
    0x00cf93000000ffffull, /* data, DPL 0 */
};

void x86_gdt_load(void)
{
    uint64_t base = (uint64_t)(uintptr_t)&tss;
    uint64_t limit = sizeof tss - 1;

    /* available 64-bit TSS (type 9), present */
    gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
             ((limit & 0xf0000) << 32) | ((base & 0xff000000) << 32);
    gdt[4] = base >> 32;

    struct table_ptr p = {sizeof gdt - 1, (uint64_t)(uintptr_t)gdt};
    __asm__ __volatile__("lgdt %0\n\t"
                         "pushq %1\n\t"
                         "leaq 1f(%%rip), %%rax\n\t"
                         "pushq %%rax\n\t"
                         "lretq\n"
                         "1:\n\t"
                         "movl %2, %%eax\n\t"
                         "movl %%eax, %%ds\n\t"
                         "movl %%eax, %%es\n\t"
                         "movl %%eax, %%ss\n\t"
                         :
                         : "m"(p), "i"(SEL_CODE), "i"(SEL_DATA)
                         : "rax", "memory");
    __asm__ __volatile__("ltr %w0" : : "r"(SEL_TSS) : "memory");
}

