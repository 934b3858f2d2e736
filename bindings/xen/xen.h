/*
 * What the xen target uses of Xen's guest interface, written from the
 * public headers' documented layouts (xen/include/public: xen.h,
 * sched.h, memory.h, arch-x86/cpuid.h, arch-x86/hvm/start_info.h). Only
 * x86-64 PVH guests: hypercalls go through the hypercall page.
 */
#ifndef ATOLL_BINDINGS_XEN_H
#define ATOLL_BINDINGS_XEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/abi/mft.h"
#include "atoll/platform.h"

/* Hypercall numbers. */
#define XEN_HC_MEMORY_OP 12
#define XEN_HC_CONSOLE_IO 18
#define XEN_HC_GRANT_TABLE_OP 20
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

/* event_channel_op (event_channel.h): notify the other end of a port;
 * a new port another domain may bind to. */
#define XEN_EVTCHNOP_CLOSE 3
#define XEN_EVTCHNOP_SEND 4
#define XEN_EVTCHNOP_ALLOC_UNBOUND 6
struct xen_evtchn_alloc_unbound {
    uint16_t dom, remote_dom; /* domid_t: ours (DOMID_SELF), the peer */
    uint32_t port;            /* out */
};
_Static_assert(sizeof(struct xen_evtchn_alloc_unbound) == 8, "alloc_unbound");

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
#define XEN_MAPSPACE_GRANT_TABLE 1
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
#define XEN_SHINFO_EVTCHN_PENDING 2048 /* unsigned long[64], bit per port */
#define XEN_SHINFO_EVTCHN_MASK 2560
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

/* xenstore.c, the rest: write VALUE at PATH (0, or -1); read PATH as a
 * decimal number (0, or -1: missing or not a number). */
int xen_store_write(const char *path, const char *value);
int xen_store_read_u64(const char *path, uint64_t *value);
/* DIR/KEY as a decimal number, def when missing or not one; write VALUE
 * at DIR/KEY (0, or -1). */
uint64_t xen_store_key_u64(const char *dir, const char *key, uint64_t def);
int xen_store_key_write(const char *dir, const char *key, const char *value);
/* A frontend's backend: FRONT/backend (the backend's directory) into
 * back, FRONT/backend-id (0 when missing): 0, or -1 (no such device). */
int xen_bus_backend(const char *front, char *back, size_t size,
                    uint16_t *backend_id);

/* The xenbus protocol (io/xenbus.h): a device's state in DIR/state. */
enum xen_bus_state {
    XEN_BUS_UNKNOWN = 0,
    XEN_BUS_INITIALISING = 1,
    XEN_BUS_INIT_WAIT = 2,
    XEN_BUS_INITIALISED = 3,
    XEN_BUS_CONNECTED = 4,
    XEN_BUS_CLOSING = 5,
    XEN_BUS_CLOSED = 6,
};
/* DIR/state as a number, or -1 (missing, no store). */
int xen_bus_state(const char *dir);
int xen_bus_set_state(const char *dir, enum xen_bus_state state);
/* Wait (polling the store) until DIR/state is at least want, up to the
 * deadline (monotonic ns): the state seen, or -1 when the deadline
 * passed first. A state past want (Closing, Closed) is returned too: the
 * caller tells a backend that gave up from one that connected. */
int xen_bus_wait_state(const char *dir, enum xen_bus_state want,
                       uint64_t deadline);
/* Disconnect a frontend from its backend: we say Closing, wait for the
 * backend's Closing, say Closed and wait for its Closed (by then it has
 * unmapped what it mapped), up to the deadline. */
void xen_bus_close(const char *front, const char *back, uint64_t deadline);

/* evtchn.c: event channels, delivered as pending bits in the shared
 * info page that SCHEDOP_poll waits on (no upcall vector: the guest never
 * takes an interrupt). Ports we allocate are masked, which keeps Xen from
 * flagging an upcall and does not stop a poll from waking. */
/* A port for domain remote to bind (0, or -1). */
int xen_evtchn_alloc_unbound(uint16_t remote, uint32_t *port);
/* EVTCHNOP_close (0, or -1: Xen refused it); at exit only (a watched
 * port stays in the watch list). */
int xen_evtchn_close(uint32_t port);
/* EVTCHNOP_send: kick the other end. */
void xen_evtchn_notify(uint32_t port);
/* Was port pending? Clears it. */
bool xen_evtchn_test_and_clear(uint32_t port);
/* Block until port is pending or the deadline (monotonic ns) passed; the
 * pending bit is left for xen_evtchn_test_and_clear. */
void xen_evtchn_wait(uint32_t port, uint64_t deadline);
/* Have atoll_yield wake when port is pending, and report handle ready
 * (0, or -1: too many). Up to XEN_EVTCHN_WATCH_MAX ports. */
#define XEN_EVTCHN_WATCH_MAX 16
int xen_evtchn_watch(uint32_t port, atoll_handle_t handle);
/* Block until the deadline or a watched port is pending (atoll_yield's
 * wait): the handles of the watched ports that were, their pending bits
 * cleared. */
atoll_handle_set_t xen_evtchn_poll(uint64_t deadline);

/* grant.c: grant table v1 (grant_table.h), its frames mapped at pages of
 * ours (XENMEM_add_to_physmap, XENMAPSPACE_grant_table) the first time
 * a grant is made, which must be at boot (it takes pages from
 * x86_page_alloc). Refs 0..7 are reserved (console, xenstore). */
#define XEN_GRANT_FRAMES 4 /* 512 refs each */
/* Let domain domid map the page at addr (page aligned, below 4 GiB),
 * read-only or read-write: 0 and *ref, or -1 (no free ref, no table). */
int xen_grant_access(uint16_t domid, const void *page, bool readonly,
                     uint32_t *ref);
/* Revoke ref: 0, or -1 while the other domain still has it mapped (the
 * grant stays; try again later) or when ref is not granted. */
int xen_grant_end(uint32_t ref);

/* devices.c: bind the manifest's devices at boot, by index per kind in
 * the manifest's order (the k-th block device is xvd(a+k), device/vbd/
 * of its vdev number; the k-th net device is vif k, device/vif/k), and
 * say on the console what went where. Before the page allocator closes. */
void xen_devices_init(struct atoll_mft *mft);
/* Each frontend brings up entry e (handle h) as the index-th device of
 * its kind: NULL when attached (e->attached set, capacity etc. filled),
 * else why not. */
const char *xen_blkfront_init(struct atoll_mft_entry *e, atoll_handle_t h,
                              unsigned index);
const char *xen_netfront_init(struct atoll_mft_entry *e, atoll_handle_t h,
                              unsigned index);
/* At a normal exit: disconnect the devices over xenbus and revoke their
 * grants, saying so on the console (devices.c calls each frontend's). */
void xen_devices_close(void);
void xen_blkfront_close(void);
void xen_netfront_close(void);
/* "xen: ..." and a newline on the console, printf-style. */
void xen_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* exit.c: SCHEDOP_shutdown with reason; halts if Xen refuses. */
_Noreturn void xen_shutdown(unsigned reason);

#endif
