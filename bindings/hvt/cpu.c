/*
 * The guest's own GDT (code, data, and a TSS whose IST stacks the
 * exception handlers run on) and IDT (exceptions 0-31, see vectors.S).
 * Interrupts stay disabled: hvt has no interrupt sources.
 *
 * Every guest instruction may be emulated (KVM without hardware support),
 * so what can be fixed at link time is: the TSS here, the IDT in hvt.lds.
 */
#include <stdint.h>

#include "hvt_bind.h"

#define SEL_CODE 0x08
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

/* IST1: every exception; IST2: #DF and NMI, so that they work even when
 * IST1 is what overflowed. */
static uint8_t trap_stack[TRAP_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t df_stack[TRAP_STACK_SIZE] __attribute__((aligned(16)));

static struct tss tss __attribute__((aligned(16))) = {
    .ist = {(uint64_t)(uintptr_t)(trap_stack + sizeof trap_stack),
            (uint64_t)(uintptr_t)(df_stack + sizeof df_stack)},
    .iomap_base = sizeof(struct tss), /* no I/O permission bitmap */
};

/* null, code, data, TSS (two slots, filled in by gdt_load) */
static uint64_t gdt[5] __attribute__((aligned(16))) = {
    0,
    0x00af9b000000ffffull, /* 64-bit code, DPL 0 */
    0x00cf93000000ffffull, /* data, DPL 0 */
};

/* Interrupt gates for exceptions 0-31, built by hvt.lds. */
extern const uint64_t hvt_idt[], hvt_idt_end[];

static void gdt_load(void)
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

static void idt_load(void)
{
    struct table_ptr p = {
        (uint16_t)((uintptr_t)hvt_idt_end - (uintptr_t)hvt_idt - 1),
        (uint64_t)(uintptr_t)hvt_idt};
    __asm__ __volatile__("lidt %0" : : "m"(p) : "memory");
}

/*
 * The x87 and SSE state at boot: what FNINIT and a reset MXCSR give (x87
 * control word 0x37f, MXCSR 0x1f80: round to nearest, every exception
 * masked), every register zero. atoll-hvt sets CR0.MP, clears CR0.EM and
 * CR0.TS and sets CR4.OSFXSR and CR4.OSXMMEXCPT, so SSE instructions run
 * and an unmasked SIMD exception is #XM (vector 19), not #UD.
 *
 * One FXRSTOR of this image rather than FNINIT; LDMXCSR: a KVM that
 * emulates every guest instruction can emulate FXRSTOR, not LDMXCSR.
 */
struct fxsave_area {
    uint16_t fcw, fsw;
    uint8_t ftw, reserved0;
    uint16_t fop;
    uint64_t fip, fdp;
    uint32_t mxcsr, mxcsr_mask;
    uint8_t regs[512 - 32];
};
_Static_assert(sizeof(struct fxsave_area) == 512, "FXSAVE layout");

static const struct fxsave_area fpu_boot_state __attribute__((aligned(16))) = {
    .fcw = 0x37f,
    .mxcsr = 0x1f80,
};

static void fpu_init(void)
{
    __asm__ __volatile__("fxrstor64 %0" : : "m"(fpu_boot_state));
}

void hvt_cpu_init(void)
{
    gdt_load();
    idt_load();
    fpu_init();
}
