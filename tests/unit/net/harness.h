/*
 * Host unit tests of lib/net: a fake platform (clock, entropy, log), a
 * capturing device, builders of crafted frames, and checks that a frame
 * was counted under exactly one reason.
 *
 * A case is a function returning NULL on success or a reason; RUN prints
 * the PASS:/FAIL: line. Interfaces are destroyed at the end of each case,
 * so LeakSanitizer reports anything the stack failed to free.
 */
#ifndef NET_HARNESS_H
#define NET_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../lib/net/net_internal.h"
#include "../../../lib/net/tcp.h"
#include "../../../lib/rt/rt_internal.h"

#define T_STR2(x) #x
#define T_STR(x) T_STR2(x)

#define T_ASSERT(cond)                                                     \
    do {                                                                   \
        if (!(cond))                                                       \
            return "line " T_STR(__LINE__) ": " #cond;                     \
    } while (0)

/* Fail with a formatted reason (kept in a static buffer). */
#define T_FAILF(...)                                                       \
    do {                                                                   \
        char tmp_[sizeof t_why];                                           \
        snprintf(tmp_, sizeof tmp_, "line " T_STR(__LINE__) ": "           \
                 __VA_ARGS__);                                             \
        memcpy(t_why, tmp_, sizeof t_why);                                 \
        return t_why;                                                      \
    } while (0)

/* Propagate a failing helper's reason. */
#define T_CHECK(expr)                                                      \
    do {                                                                   \
        t_line = __LINE__;                                                 \
        const char *why_c_ = (expr);                                       \
        if (why_c_ != NULL) {                                              \
            char tmp_[sizeof t_why];                                       \
            snprintf(tmp_, sizeof tmp_, "line %d: %s", __LINE__, why_c_);  \
            memcpy(t_why, tmp_, sizeof t_why);                             \
            return t_why;                                                  \
        }                                                                  \
    } while (0)

extern char t_why[512];
extern int t_line; /* of the last T_CHECK */
extern int t_failed;

/* NET_TEST_ONLY=NAME runs only the case NAME. */
#define RUN(fn)                                                            \
    do {                                                                   \
        if (getenv("NET_TEST_ONLY") != NULL &&                             \
            strcmp(getenv("NET_TEST_ONLY"), #fn) != 0)                     \
            break;                                                         \
        t_reset();                                                         \
        const char *why_ = fn();                                           \
        t_cleanup();                                                       \
        if (why_ == NULL) {                                                \
            printf("PASS: %s\n", #fn);                                     \
        } else {                                                           \
            printf("FAIL: %s: %s\n", #fn, why_);                           \
            t_failed++;                                                    \
        }                                                                  \
        fflush(stdout);                                                    \
    } while (0)

/* ---- fake platform ---------------------------------------------------- */

/* The monotonic clock the stack sees (starts at 1000 s). */
extern atoll_time_t t_now;
/* Move the clock forward by ns, firing due timers along the way in
 * order (in steps no longer than 10 ms). */
void t_advance(atoll_time_t ns);
/* Fire timers due now. */
void t_timers(void);
/* Log lines are printed (prefixed "# ") when NET_TEST_LOG is set. */

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

/* Our MAC 02:00:00:00:00:NN, address 10.0.0.NN/24, gateway 10.0.0.1
 * (when gw). The interface is destroyed by t_cleanup. */
struct t_dev *t_dev_new(unsigned nn, bool configure, bool gw);
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

void t_reset(void);
void t_cleanup(void);

/* ---- frames ----------------------------------------------------------- */

#define T_IP(n) ATOLL_IP4(10, 0, 0, n)
extern const uint8_t t_peer_mac[6]; /* 02:00:00:00:00:fe, 10.0.0.254 */
#define T_PEER_IP T_IP(254)
void t_mac(uint8_t mac[6], unsigned nn);

/* Write an Ethernet header; returns 14. */
size_t t_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src,
             uint16_t type);
/* Write a 20-byte IPv4 header for payload_len bytes of proto. */
void t_ip4(uint8_t *p, uint32_t src, uint32_t dst, uint8_t proto,
           size_t payload_len, uint16_t id, uint16_t frag);
/*
 * A whole frame from the peer (t_peer_mac, src) to dst's MAC (mac of d):
 * Ethernet, IPv4 header, and the payload given (already containing its
 * transport header). Returns the frame length.
 */
size_t t_ip_frame(uint8_t *f, const struct t_dev *d, uint32_t src,
                  uint32_t dst, uint8_t proto, const void *payload,
                  size_t len);
/* A UDP datagram with a correct checksum; returns its length. */
size_t t_udp(uint8_t *u, uint32_t src, uint32_t dst, uint16_t sport,
             uint16_t dport, const void *data, size_t len);
/* Fill an ARP packet (28 bytes) at a. */
void t_arp(uint8_t *a, uint16_t op, const uint8_t *sha, uint32_t spa,
           const uint8_t *tha, uint32_t tpa);
/* Teach d's ARP cache that ip is at mac (via an ARP request to us). */
void t_teach_arp(struct t_dev *d, uint32_t ip, const uint8_t *mac);

/*
 * A parsed output frame: Ethernet, IPv4 (checked: header checksum, total
 * length), and for UDP/TCP the transport checksum verified. NULL and a
 * reason in t_why if anything is off.
 */
struct t_pkt {
    const uint8_t *eth;
    uint16_t type;
    const uint8_t *ip; /* NULL unless IPv4 */
    size_t hlen;
    uint32_t src, dst;
    uint8_t proto;
    uint16_t id, frag;
    const uint8_t *l4;
    size_t l4len;
};
const char *t_parse(const struct t_frame *fr, struct t_pkt *pk);

/* ---- TCP segments ---------------------------------------------------- */

/* A segment from the peer (T_PEER_IP) to d's address. */
struct t_tcp {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    const uint8_t *opts;
    size_t optlen;
    const void *data;
    size_t len;
};
/* Build it into f (Ethernet to d's MAC); returns the frame length. */
size_t t_tcp_frame(uint8_t *f, const struct t_dev *d, const struct t_tcp *s);
/* Build and input it. */
void t_tcp_send(struct t_dev *d, const struct t_tcp *s);

/* A parsed TCP segment the stack sent. */
struct t_seg {
    uint32_t src, dst;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    int mss, wscale; /* -1 when absent */
    bool has_ts, sack_ok;
    uint32_t tsval, tsecr;
    unsigned nsack;
    uint32_t sack[4][2];
    size_t len;
    uint8_t data[2048];
};
/* Take the oldest frame sent by d, which must be a valid TCP segment. */
const char *t_tcp_take(struct t_dev *d, struct t_seg *seg);

/* ---- counters --------------------------------------------------------- */

/* Copy of the interface's counters. */
struct atoll_net_stats t_stats(const struct t_dev *d);
/*
 * NULL if, from before to now, field (a member name of struct
 * atoll_net_stats) grew by exactly by and no other counter changed except
 * those in allowed (a space-separated list of names, "" for none).
 */
const char *t_only(const struct t_dev *d, const struct atoll_net_stats *before,
                   const char *field, uint64_t by, const char *allowed);
uint64_t t_stat(const struct t_dev *d, const char *field);

#endif
