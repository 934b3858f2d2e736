/*
 * Clocks from Xen's shared info page, which clock.c asks Xen to map at a
 * page of ours (XENMEM_add_to_physmap): the monotonic clock is vcpu 0's
 * system time extrapolated with the TSC, as its vcpu_time_info says; the
 * wall clock is Xen's wall clock at system time 0 plus that.
 */
#include "../common/bindings.h"
#include "../x86/tsc.h"
#include "../x86/x86.h"
#include "xen.h"

static volatile const uint8_t *shinfo;

static _Noreturn void die(const char *msg)
{
    x86_putstr("atoll: clock: ");
    x86_putstr(msg);
    x86_putstr("\n");
    xen_shutdown(XEN_SHUTDOWN_CRASH);
}

void xen_clock_init(void)
{
    void *page = x86_page_alloc(1);
    if (page == NULL)
        die("no page for the shared info");
    struct xen_add_to_physmap a = {
        .domid = XEN_DOMID_SELF,
        .space = XEN_MAPSPACE_SHARED_INFO,
        .idx = 0,
        .gpfn = (uint64_t)(uintptr_t)page >> 12,
    };
    if (xen_hypercall2(XEN_HC_MEMORY_OP, XEN_MEM_ADD_TO_PHYSMAP,
                       (uint64_t)(uintptr_t)&a) != 0)
        die("Xen refused to map the shared info page");
    shinfo = page;
}

uint64_t xen_shinfo_addr(void)
{
    return (uint64_t)(uintptr_t)shinfo;
}

static uint32_t rd32(size_t off)
{
    return *(volatile const uint32_t *)(shinfo + off);
}

atoll_time_t atoll_clock_monotonic(void)
{
    volatile const struct xen_vcpu_time *t =
        (volatile const struct xen_vcpu_time *)(shinfo +
                                                 XEN_SHINFO_VCPU0_TIME);
    uint32_t v;
    uint64_t ns;

    do {
        v = t->version;
        __asm__ __volatile__("" ::: "memory");
        uint64_t d = x86_rdtsc() - t->tsc_timestamp;
        int s = t->tsc_shift;
        d = s >= 0 ? d << s : d >> -s;
        ns = t->system_time +
             (uint64_t)(((unsigned __int128)d * t->tsc_to_system_mul) >> 32);
        __asm__ __volatile__("" ::: "memory");
    } while ((v & 1) != 0 || v != t->version);
    return ns;
}

atoll_time_t atoll_clock_wall(void)
{
    uint32_t v, sec, nsec, hi;

    do {
        v = rd32(XEN_SHINFO_WC_VERSION);
        __asm__ __volatile__("" ::: "memory");
        sec = rd32(XEN_SHINFO_WC_SEC);
        nsec = rd32(XEN_SHINFO_WC_NSEC);
        hi = rd32(XEN_SHINFO_WC_SEC_HI);
        __asm__ __volatile__("" ::: "memory");
    } while ((v & 1) != 0 || v != rd32(XEN_SHINFO_WC_VERSION));
    uint64_t s = ((uint64_t)hi << 32) | sec;
    return s * 1000000000ull + nsec + atoll_clock_monotonic();
}
