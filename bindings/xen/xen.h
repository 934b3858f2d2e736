/*
 * What the xen target uses of Xen's guest interface, written from the
 * public headers' documented layouts (xen/include/public: xen.h,
 * sched.h, memory.h, arch-x86/cpuid.h, arch-x86/hvm/start_info.h). Only
 * x86-64 PVH guests: hypercalls go through the hypercall page.
 */
#ifndef ATOLL_BINDINGS_XEN_H
#define ATOLL_BINDINGS_XEN_H

#include <stddef.h>
#include <stdint.h>

/* Hypercall numbers. */
#define XEN_HC_MEMORY_OP 12
#define XEN_HC_CONSOLE_IO 18
#define XEN_HC_SCHED_OP 29
#define XEN_HC_EVENT_CHANNEL_OP 32
#define XEN_HC_HVM_OP 34

/* hvm_op: read an HVM parameter. */
#define XEN_HVMOP_GET_PARAM 1
#define XEN_HVM_PARAM_CONSOLE_PFN 17
#define XEN_HVM_PARAM_CONSOLE_EVTCHN 18
struct xen_hvm_param {
    uint16_t domid;
    uint16_t pad;
    uint32_t index;
    uint64_t value;
};
_Static_assert(sizeof(struct xen_hvm_param) == 16, "xen_hvm_param");

/* event_channel_op: notify the other end of a port. */
#define XEN_EVTCHNOP_SEND 4

/* The PV console's page: input ring, output ring, their indexes (free
 * running; the ring position is the index modulo the ring's size). */
struct xen_console_ring {
    char in[1024];
    char out[2048];
    uint32_t in_cons, in_prod;
    uint32_t out_cons, out_prod;
};
_Static_assert(sizeof(struct xen_console_ring) == 3088, "xencons_interface");

/* console_io commands. */
#define XEN_CONSOLEIO_WRITE 0

/* sched_op commands and shutdown reasons. */
#define XEN_SCHEDOP_YIELD 0
#define XEN_SCHEDOP_SHUTDOWN 2
#define XEN_SHUTDOWN_POWEROFF 0
#define XEN_SHUTDOWN_CRASH 3

/* memory_op: map a Xen page (here: the shared info) at a guest frame. */
#define XEN_MEM_ADD_TO_PHYSMAP 7
#define XEN_MAPSPACE_SHARED_INFO 0
#define XEN_DOMID_SELF 0x7ff0u
struct xen_add_to_physmap {
    uint16_t domid;
    uint16_t size;
    uint32_t space;
    uint64_t idx;
    uint64_t gpfn;
};
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap");

/* The shared info page: vcpu 0's time info (the same layout as KVM's
 * pvclock), and the wall clock at system time 0. */
#define XEN_SHINFO_VCPU0_TIME 32  /* vcpu_info[0].time */
#define XEN_SHINFO_WC_VERSION 3072 /* after 32 vcpu_infos, pending, mask */
#define XEN_SHINFO_WC_SEC 3076
#define XEN_SHINFO_WC_NSEC 3080
#define XEN_SHINFO_WC_SEC_HI 3084 /* x86-64 only */
struct xen_vcpu_time {
    uint32_t version; /* odd while Xen updates the rest */
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time; /* ns since the domain's boot, at tsc_timestamp */
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    int8_t pad1[3];
};
_Static_assert(sizeof(struct xen_vcpu_time) == 32, "vcpu_time_info");

/* hypercall.c: find Xen by CPUID and install the hypercall page; 0, or -1
 * when not running on Xen. */
int xen_hypercall_init(void);
/* The leaf base Xen's CPUID leaves start at (0x40000000 + k * 0x100). */
extern uint32_t xen_cpuid_base;
long xen_hypercall2(unsigned nr, uint64_t a1, uint64_t a2);
long xen_hypercall3(unsigned nr, uint64_t a1, uint64_t a2, uint64_t a3);

/* console.c: the PV console ring of the HVM parameters (what xl console
 * and xenconsoled show); console_io where there is none. */
void xen_console_init(void);
void xen_console_write(const char *s, size_t len);
/* Wait (boundedly) until the console's reader took all we wrote. */
void xen_console_flush(void);
long xen_hvm_get_param(uint32_t index, uint64_t *value);

/* clock.c: map the shared info page (after paging is set up). */
void xen_clock_init(void);

/* The shared info page's address (clock.c). */
uint64_t xen_shinfo_addr(void);

/* xenstore.c: the store's ring and event channel (0, or -1 without);
 * read PATH (relative paths are under /local/domain/DOMID) into buf, at
 * most size - 1 bytes and a NUL: the value's length, or -1 (no store, no
 * reply within 5 s, or an error, whose name, e.g. "ENOENT", is in buf). */
int xen_store_init(void);
long xen_store_read(const char *path, char *buf, size_t size);

/* exit.c: SCHEDOP_shutdown with reason; halts if Xen refuses. */
_Noreturn void xen_shutdown(unsigned reason);

#endif
