/*
 * A capturing network device for lib/net's host tests (fakenet.c), with
 * the fake platform's clock (fake.h) driven by lib/rt's timers.
 *
 * t_net_reset and t_net_cleanup go around each case (t_hooks): cleanup
 * destroys every interface made by t_dev_new, so LeakSanitizer reports
 * anything the stack failed to free, and checks that no timer outlived
 * them. Between them atoll_yield serves the wire of t_wire.
 */
#ifndef ATOLL_TESTS_FAKENET_H
#define ATOLL_TESTS_FAKENET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/net.h"
#include "fake.h"

/* The clock at the start of each case: 1000 s. */
void t_net_reset(void);
void t_net_cleanup(void);

/* Move the clock forward by ns, firing due timers along the way in
 * order (in steps no longer than 10 ms). */
void t_advance(atoll_time_t ns);
/* Fire timers due now. */
void t_timers(void);

/* ---- capturing device ------------------------------------------------- */

struct t_frame {
    struct t_frame *next;
    size_t len;
    uint8_t data[];
};

struct t_dev {
    struct atoll_netdev dev;
    struct atoll_netif *nif;
    struct t_frame *head, *tail;
    size_t count;
    bool fail; /* transmit reports failure */
};

#define T_MAX_DEVS 8
#define T_IP(n) ATOLL_IP4(10, 0, 0, n)

/* MAC 02:00:00:00:00:NN. */
void t_mac(uint8_t mac[6], unsigned nn);
/* Our MAC 02:00:00:00:00:NN, address 10.0.0.NN/24, gateway 10.0.0.1
 * (when gw). The interface is destroyed by t_net_cleanup. */
struct t_dev *t_dev_new(unsigned nn, bool configure, bool gw);
/* The same with dev.features (ATOLL_NETDEV_*): on a VNET device every
 * frame sent and input carries a virtio-net header first. */
struct t_dev *t_dev_new_with(unsigned nn, bool configure, bool gw,
                             uint32_t features);
/* The oldest frame sent and not yet taken (NULL if none); free() it. */
struct t_frame *t_pop(struct t_dev *d);
void t_drain(struct t_dev *d);
/* Feed a frame to d's interface and flush. */
void t_input(struct t_dev *d, const void *frame, size_t len);

/*
 * A wire between two interfaces: t_pump delivers each device's queued
 * frames to the other (a batch at a time, then flush) until both are
 * quiet, dropping those loss says to (loss may be NULL). Returns the
 * frames delivered. t_run advances the clock by ns in steps of step ns,
 * pumping after each.
 */
typedef bool (*t_loss_fn)(struct t_dev *from, const struct t_frame *f,
                          void *arg);
/* The wire atoll_yield serves (for the blocking API and fibers): each
 * yield pumps it, and when it is quiet moves the clock to the deadline
 * or the next timer, whichever comes first. */
void t_wire(struct t_dev *a, struct t_dev *b, t_loss_fn loss, void *arg);
size_t t_pump(struct t_dev *a, struct t_dev *b, t_loss_fn loss, void *arg);
void t_run(struct t_dev *a, struct t_dev *b, atoll_time_t ns,
           atoll_time_t step, t_loss_fn loss, void *arg);

#endif
