/*
 * The guest's own GDT (code, data, and a TSS whose IST stacks the
 * exception handlers run on) and IDT (exceptions 0-31 and the interrupt
 * vectors of vectors.S), and the x87/SSE state. start.S already set
 * CR4.OSFXSR and CR4.OSXMMEXCPT, CR0.MP, and cleared CR0.EM and CR0.TS.
 */
#include <stdint.h>

#include "x86.h"

#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18
#define TRAP_STACK_SIZE 8192
#define GATE_INTR 0x8e /* present, DPL 0, 64-bit interrupt gate */

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

struct gate {
    uint64_t lo, hi;
};

/* IST1: every exception (a stack overflow into the guard page still gets
 * reported); IST2: #DF and NMI. */
static uint8_t trap_stack[TRAP_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t df_stack[TRAP_STACK_SIZE] __attribute__((aligned(16)));

static struct tss tss __attribute__((aligned(16))) = {
    .iomap_base = sizeof(struct tss), /* no I/O permission bitmap */
};

static uint64_t gdt[5] __attribute__((aligned(16))) = {
    0,
    0x00af9b000000ffffull, /* 64-bit code, DPL 0 */
    0x00cf93000000ffffull, /* data, DPL 0 */
};

static struct gate idt[256] __attribute__((aligned(16)));

extern const uint64_t x86_exc_stubs[32];
extern const uint64_t x86_irq_stubs[], x86_irq_stubs_end[];

static void gdt_load(void)
{
    uint64_t base = (uint64_t)(uintptr_t)&tss;
    uint64_t limit = sizeof tss - 1;

    tss.ist[0] = (uint64_t)(uintptr_t)(trap_stack + sizeof trap_stack);
    tss.ist[1] = (uint64_t)(uintptr_t)(df_stack + sizeof df_stack);
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
    gdt_load();
    idt_load();
    fpu_init();
}
