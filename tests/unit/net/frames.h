/*
 * Host unit tests of lib/net: builders of crafted frames, a parser of
 * what the stack sent, and checks that a frame was counted under exactly
 * one reason. The harness (check.h), the fake platform and the capturing
 * device (fakenet.h) are tests/lib's; t_net_init(argc, argv) starts a
 * program: every case then runs between t_net_reset and t_net_cleanup.
 */
#ifndef NET_FRAMES_H
#define NET_FRAMES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../lib/net/net_internal.h"
#include "../../../lib/net/tcp.h"
#include "../../../lib/rt/rt_internal.h"
#include "../../lib/check.h"
#include "../../lib/fakenet.h"
#include "headers.h"

/* Start a program: the case filter of argv, the case hooks. */
void t_net_init(int argc, char **argv);

/* ---- frames (header builders: headers.h) ------------------------------ */

extern const uint8_t t_peer_mac[6]; /* 02:00:00:00:00:fe, 10.0.0.254 */
#define T_PEER_IP T_IP(254)

/*
 * A whole frame from the peer (t_peer_mac, src) to dst's MAC (mac of d):
 * Ethernet, IPv4 header, and the payload given (already containing its
 * transport header). Returns the frame length.
 */
size_t t_ip_frame(uint8_t *f, const struct t_dev *d, uint32_t src,
                  uint32_t dst, uint8_t proto, const void *payload,
                  size_t len);
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
