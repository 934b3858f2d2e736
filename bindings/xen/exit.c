/*
 * Exit and abort (the TLS base: bindings/x86/tls.c). Exit ends the domain with shutdown reason
 * poweroff; a status other than 0 is said on the console first ("atoll:
 * exit status N"), as poweroff carries no status. Abort, panics and CPU
 * exceptions end it with reason crash, which xl reports (and on_crash
 * acts on).
 */
#include "../common/bindings.h"
#include "../x86/x86.h"
#include "xen.h"


_Noreturn void xen_shutdown(unsigned reason)
{
    uint32_t r = reason;

    __asm__ __volatile__("cli");
    xen_console_flush();
    xen_hypercall2(XEN_HC_SCHED_OP, XEN_SCHEDOP_SHUTDOWN,
                   (uint64_t)(uintptr_t)&r);
    for (;;)
        __asm__ __volatile__("cli; hlt");
}

/* For bindings/x86 (trap.c, paging.c), shared with the virtio target. */
_Noreturn void x86_halt(int status)
{
    xen_shutdown(status == 0 ? XEN_SHUTDOWN_POWEROFF : XEN_SHUTDOWN_CRASH);
}

_Noreturn void atoll_exit(int status)
{
    unsigned s = (unsigned)status & 0xff;

    /* Not on abort or a fault: the devices may be what failed. */
    xen_devices_close();
    if (s != 0) {
        char msg[] = "atoll: exit status ...\n";
        char *p = msg + 19;
        if (s >= 100)
            *p++ = (char)('0' + s / 100);
        if (s >= 10)
            *p++ = (char)('0' + s / 10 % 10);
        *p++ = (char)('0' + s % 10);
        *p++ = '\n';
        *p = '\0';
        x86_putstr(msg);
    }
    xen_shutdown(XEN_SHUTDOWN_POWEROFF);
}

_Noreturn void atoll_abort(void)
{
    xen_shutdown(XEN_SHUTDOWN_CRASH);
}
