/*
 * Xen detection and hypercalls. Xen's CPUID leaves sit at 0x40000000 or a
 * multiple of 0x100 above (after another hypervisor's, as Viridian):
 * "XenVMMXenVMM" in EBX, ECX, EDX; leaf base + 2 gives the MSR that takes
 * the hypercall page's address. A hypercall is a call to the page at
 * 32 * its number, arguments in RDI, RSI, RDX (x86-64 ABI of Xen).
 */
#include "xen.h"

extern char xen_hypercall_page[];
uint32_t xen_cpuid_base;

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ __volatile__("cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(0));
}

static int is_xen(const uint32_t r[4])
{
    /* "XenV" "MMXe" "nVMM" as little-endian words. */
    return r[1] == 0x566e6558u && r[2] == 0x65584d4du && r[3] == 0x4d4d566eu;
}

int xen_hypercall_init(void)
{
    uint32_t r[4];

    for (uint32_t base = 0x40000000u; base < 0x40010000u; base += 0x100) {
        cpuid(base, r);
        if (is_xen(r) && r[0] >= base + 2) {
            xen_cpuid_base = base;
            break;
        }
    }
    if (xen_cpuid_base == 0)
        return -1;
    cpuid(xen_cpuid_base + 2, r);
    if (r[0] < 1) /* pages of hypercall stubs */
        return -1;
    uint64_t page = (uint64_t)(uintptr_t)xen_hypercall_page;
    __asm__ __volatile__("wrmsr"
                         :
                         : "c"(r[1]), "a"((uint32_t)page),
                           "d"((uint32_t)(page >> 32))
                         : "memory");
    return 0;
}

long xen_hypercall3(unsigned nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
    long ret;
    register uint64_t rdi __asm__("rdi") = a1;
    register uint64_t rsi __asm__("rsi") = a2;
    register uint64_t rdx __asm__("rdx") = a3;

    /* Xen clobbers RCX and R11 (as syscall would). */
    __asm__ __volatile__("call *%[stub]"
                         : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx)
                         : [stub] "r"(xen_hypercall_page + nr * 32)
                         : "rcx", "r11", "memory");
    return ret;
}

long xen_hypercall2(unsigned nr, uint64_t a1, uint64_t a2)
{
    return xen_hypercall3(nr, a1, a2, 0);
}
