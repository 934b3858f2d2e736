/*
 * The guest's own GDT (code, data, and a TSS whose IST stacks the
 * exception handlers run on: bindings/x86/gdt.c, shared with virtio and
 * xen) and IDT (exceptions 0-31, see vectors.S). Interrupts stay
 * disabled: hvt has no interrupt sources.
 *
 * Every guest instruction may be emulated (KVM without hardware support),
 * so what can be fixed at link time is: the TSS in gdt.c, the IDT in
 * hvt.lds.
 */
#include <stdint.h>

#include "../x86/x86.h"
#include "hvt_bind.h"

struct table_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* Interrupt gates for exceptions 0-31, built by hvt.lds. */
extern const uint64_t hvt_idt[], hvt_idt_end[];

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
    x86_gdt_load();
    idt_load();
    fpu_init();
}
