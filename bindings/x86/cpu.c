/*
 * The guest's own GDT (code, data, and a TSS whose IST stacks the
 * exception handlers run on: gdt.c) and IDT (exceptions 0-31 and the interrupt
 * vectors of vectors.S), and the x87/SSE state. start.S already set
 * CR4.OSFXSR and CR4.OSXMMEXCPT, CR0.MP, and cleared CR0.EM and CR0.TS.
 */
#include <stdint.h>

#include "x86.h"

#define SEL_CODE X86_SEL_CODE
#define GATE_INTR 0x8e /* present, DPL 0, 64-bit interrupt gate */

struct table_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

struct gate {
    uint64_t lo, hi;
};

static struct gate idt[256] __attribute__((aligned(16)));

extern const uint64_t x86_exc_stubs[32];
extern const uint64_t x86_irq_stubs[], x86_irq_stubs_end[];

static void set_gate(unsigned vec, uint64_t addr, unsigned ist)
{
    idt[vec].lo = (addr & 0xffff) | ((uint64_t)SEL_CODE << 16) |
                  ((uint64_t)ist << 32) | ((uint64_t)GATE_INTR << 40) |
                  ((addr & 0xffff0000ull) << 32);
    idt[vec].hi = addr >> 32;
}

static void idt_load(void)
{
    for (unsigned v = 0; v < 32; v++)
        set_gate(v, x86_exc_stubs[v], v == 2 || v == 8 ? 2 : 1);
    for (const uint64_t *p = x86_irq_stubs; p < x86_irq_stubs_end;
         p += 2)
        set_gate((unsigned)p[0], p[1], 0);

    struct table_ptr ptr = {sizeof idt - 1, (uint64_t)(uintptr_t)idt};
    __asm__ __volatile__("lidt %0" : : "m"(ptr) : "memory");
}

/* x87 control word 0x37f and MXCSR 0x1f80 (round to nearest, every
 * exception masked), as after a reset and as on hvt. */
static void fpu_init(void)
{
    uint32_t mxcsr = 0x1f80;
    __asm__ __volatile__("fninit\n\tldmxcsr %0" : : "m"(mxcsr));
}

void x86_cpu_init(void)
{
    x86_gdt_load();
    idt_load();
    fpu_init();
}
