/* examples/dns's parts: the zones, the transports, the counters. */
#ifndef DNS_SERVER_H
#define DNS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/dns.h"
#include "atoll/net.h"
#include "atoll/tarkv.h"

/* The zones served, loaded at boot (zones.c). */
extern struct dns_zone *srv_zones;
extern size_t srv_nzones;

struct srv_stats {
    uint64_t queries_udp, queries_tcp;
    uint64_t rcode[16];   /* answers made, by the header's rcode */
    uint64_t no_reply;    /* not a query, or under 12 bytes */
    uint64_t truncated;   /* TC set by dns_answer (UDP) */
    uint64_t axfr, axfr_refused, axfr_failed;
    uint64_t tcp_conns, tcp_rejected, tcp_idle, tcp_bad;
};
extern struct srv_stats srv_stats;
extern struct dns_rrl srv_rrl; /* srv_rrl.c.rate 0: RRL off */
extern bool srv_debug;         /* --log=debug: a line per query */

/* Every regular file of the archive as a zone (zones.c): its $ORIGIN
 * names it, or, without one, its name less a ".zone" suffix. Fills
 * srv_zones; on failure why holds "FILE:LINE: message". */
int srv_load_zones(struct atoll_tarkv *t, char *why, size_t whylen);

/* Mount the archive on dev and load its zones, logging what fails (what
 * names the device in the log); 0 or a negative code. */
int srv_mount_zones(struct atoll_blockdev *dev, const char *what,
                    struct atoll_tarkv **tar);

/* The zones at boot: from the block device "storage" (storage.c), or
 * compiled into the image (examples/dns-builtin). */
int srv_open_zones(struct atoll_tarkv **tar);

/* The AXFR access list (acl.c): --axfr-allow=PREFIX[,PREFIX...]. */
const char *srv_acl_check(const char *value);
int srv_acl_set(const char *value);
bool srv_acl_allows(atoll_ip4_t addr);

/* The transports (udp.c, tcp.c). */
int srv_udp_start(struct atoll_netif *nif, uint16_t port);
int srv_tcp_start(struct atoll_netif *nif, uint16_t port, long max_conns,
                  uint64_t idle_ns);

/* A reply made (counted by rcode and TC); a query seen (for
 * --max-queries); the query log line at --log=debug (qlog.c). rlen < 0:
 * no reply was sent; note says why or what else happened. */
void srv_count_reply(const uint8_t *r, size_t len);
void srv_query_seen(void);
void srv_log_query(const char *proto, atoll_ip4_t src, uint16_t sport,
                   const uint8_t *q, size_t qlen, const uint8_t *r,
                   long rlen, const char *note);
/* The question of query q (one question, QR clear): its name (into
 * name, DNS_NAME_MAX bytes), class (if qclass is not NULL) and type as
 * the result; -1 if there is none. */
int srv_question(const uint8_t *q, size_t qlen, uint8_t *name,
                 uint16_t *qclass);

#endif
