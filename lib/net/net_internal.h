/*
 * lib/net internals shared between the layers. Packets are parsed and
 * built as byte arrays with explicit big-endian accessors: no packed
 * structs, no alignment assumptions about the frames.
 */
#ifndef NET_INTERNAL_H
#define NET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/net.h"
#include "atoll/rt.h"

/* ---- internal invariants ---------------------------------------------- */

/*
 * NET_ASSERT(cond) states an invariant of the stack's own state (never a
 * check of what a peer sent: those are counted and dropped). Host unit
 * tests and fuzz targets define NET_CHECKS, so a broken invariant stops
 * them at once under the sanitizers. Guest builds compile it to nothing:
 * there a failed check would only turn a recoverable accounting slip into
 * a panic any peer might trigger, and some checks walk the SACK
 * scoreboard on every ACK. The condition is still type-checked.
 */
#ifdef NET_CHECKS
#define NET_ASSERT(cond)                                                   \
    ((cond) ? (void)0                                                      \
            : atoll_panic("net: %s:%d: invariant broken: %s", __FILE__,    \
                          __LINE__, #cond))
#else
#define NET_ASSERT(cond) ((void)sizeof(!(cond)))
#endif

/* ---- byte order ------------------------------------------------------- */

static inline uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint16_t get16le(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline void put16le(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

#include "wire.h"

/* ---- checksums (cksum.c) ---------------------------------------------- */

/*
 * The Internet checksum (RFC 1071). net_sum adds len bytes to a running
 * 32-bit sum of big-endian 16-bit words (an odd final byte is padded with
 * zero); sums of pieces may be added as long as every piece but the last
 * has an even length. net_cksum folds a sum into the 16-bit checksum
 * field value; a packet whose stored checksum is right sums to 0xffff, so
 * net_cksum of it is 0.
 */
uint32_t net_sum(const void *data, size_t len, uint32_t sum);
uint16_t net_cksum(uint32_t sum);
/* The sum of the TCP/UDP pseudo header. */
uint32_t net_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto,
                        size_t len);

/* ---- byte queues (bq.c) ----------------------------------------------- */

/*
 * A FIFO of bytes in a list of fixed-size chunks: memory follows what is
 * queued, so thousands of idle connections cost little.
 */
#define BQ_CHUNK 4064 /* a chunk with its header fits in 4 KiB */

struct bq_chunk {
    struct bq_chunk *next;
    uint32_t start, end; /* bytes [start, end) of data are queued */
    uint8_t data[BQ_CHUNK];
};

struct bq {
    struct bq_chunk *head, *tail;
    size_t len;
};

/* Append up to n bytes; returns how many fit in memory. */
size_t bq_append(struct bq *q, const void *src, size_t n);
/* Copy n bytes starting off bytes into the queue (off + n <= len). */
void bq_copy(const struct bq *q, size_t off, void *dst, size_t n);
/* Drop the first n bytes (n <= len). */
void bq_drop(struct bq *q, size_t n);
/* Point *p at the first contiguous bytes; returns their count. */
size_t bq_peek(const struct bq *q, const void **p);
void bq_free(struct bq *q);

/* ---- waiting (fiber_api.c) ------------------------------------------- */

/*
 * Fibers blocked on an endpoint wait on its net_waitq, each with a node on
 * its own stack. The stack wakes them all on every event of the endpoint;
 * each re-checks what it waits for. net_wake_hook is set by fiber_api.c
 * (the blocking API, the only user of fibers), so the core does not
 * depend on lib/fiber.
 */
struct net_wait {
    struct net_wait *next;
    void *fiber;
};

struct net_waitq {
    struct net_wait *head;
};

extern void (*net_wake_hook)(void *fiber);

static inline void net_wake_all(struct net_waitq *q)
{
    for (struct net_wait *w = q->head; w != NULL; w = w->next)
        net_wake_hook(w->fiber);
}

/* ---- virtio-net headers (vnet.c) ------------------------------------- */

/*
 * Every frame buffer the stack transmits from has NET_HEADROOM bytes in
 * front of the Ethernet header: on a VNET device the virtio-net header
 * goes there (zeroed: a plain frame; ip4_output fills it for TCP offload),
 * and eth_output sends it along.
 */
#define NET_HEADROOM ATOLL_NET_VNET_HLEN
/* The largest TCP payload in one segment handed to the device (TSO): an
 * IPv4 datagram with full TCP options. */
#define TCP_GSO_MAX (IP4_MAX - 20 - 20 - 40)

/* How the next ip4_output is to be offloaded (set by TCP around it). */
struct net_tx_offload {
    bool partial;      /* the checksum field holds the pseudo-header sum */
    uint16_t gso_size; /* payload per segment if the datagram exceeds the
                          MTU (0: never cut) */
    uint16_t l4_hlen;  /* TCP header with options */
};

/*
 * A received frame on a VNET device: check its header. Returns the
 * Ethernet frame's offset (ATOLL_NET_VNET_HLEN) with *trusted set when
 * the header says the host checked or computes the TCP/UDP checksum, or
 * -1 when it was dropped (counted).
 */
int vnet_input(struct atoll_netif *nif, const uint8_t *f, size_t len,
               bool *trusted);
/* Fill the header in front of the Ethernet frame at frame (an IPv4
 * datagram of total bytes, protocol proto) from nif->txo. */
void vnet_output(struct atoll_netif *nif, uint8_t *frame, uint8_t proto,
                 size_t total);

/* ---- Ethernet (eth.c) ------------------------------------------------- */

#define ETH_HLEN 14
#define ETH_TYPE_IP4 0x0800
#define ETH_TYPE_ARP 0x0806

extern const uint8_t net_bcast_mac[ATOLL_NET_ALEN];

/* Fill the Ethernet header at frame and transmit len bytes. */
void eth_output(struct atoll_netif *nif, uint8_t *frame, size_t len,
                const uint8_t *dst, uint16_t type);

/* ---- ARP (arp.c) ------------------------------------------------------ */

#define ARP_CACHE_SIZE 64
#define ARP_QUEUE_FRAMES 16      /* frames waiting per unresolved entry */
#define ARP_QUEUE_BYTES 65536    /* bytes waiting per unresolved entry */
#define ARP_TTL 60000000000ull   /* an answer is trusted this long (ns) */
#define ARP_RETRY 1000000000ull  /* between requests (ns) */
#define ARP_TRIES 3              /* requests before giving up */

struct arp_pending {
    struct arp_pending *next;
    size_t len;      /* of the frame, after NET_HEADROOM bytes */
    uint8_t frame[];
};

enum arp_state { ARP_FREE, ARP_INCOMPLETE, ARP_REACHABLE };

struct arp_entry {
    uint32_t ip;
    uint8_t mac[ATOLL_NET_ALEN];
    uint8_t state, tries;
    atoll_time_t confirmed; /* REACHABLE: last answer */
    atoll_time_t asked;     /* last request sent */
    struct arp_pending *queue;
    size_t qframes, qbytes;
};

struct arp_cache {
    struct arp_entry e[ARP_CACHE_SIZE];
    struct atoll_timer timer; /* retries of INCOMPLETE entries */
};

void arp_input(struct atoll_netif *nif, const uint8_t *pkt, size_t len);
/* Send the IPv4 packet in frame (Ethernet header to fill) to next hop
 * nexthop, resolving it first if needed (the frame is then copied). */
void arp_output(struct atoll_netif *nif, uint32_t nexthop, uint8_t *frame,
                size_t len);
/* Broadcast a gratuitous ARP request for our address. */
void arp_announce(struct atoll_netif *nif);
void arp_flush(struct atoll_netif *nif);

/* ---- IPv4 (ip4.c, ip4_reass.c) --------------------------------------- */

#define IP4_HLEN 20
#define IP4_MAX 65535
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP 6
#define IP_PROTO_UDP 17
#define IP4_TTL_DEFAULT 64

#define REASS_SLOTS 16
#define REASS_MEM (256 * 1024)       /* bytes held for all datagrams */
#define REASS_TIMEOUT 30000000000ull /* ns */

/* A received IPv4 packet, as the layers above see it. */
struct ip4_pkt {
    const uint8_t *hdr; /* header, hlen bytes */
    size_t hlen;
    const uint8_t *data; /* payload */
    size_t len;
    uint32_t src, dst;
    uint8_t proto;
    bool bcast; /* sent to a broadcast address */
    bool csum_ok; /* the device vouched for the TCP/UDP checksum */
};

struct reass_frag {
    struct reass_frag *next;
    uint16_t off, len;
    uint8_t data[];
};

struct reass {
    bool used;
    uint32_t src, dst;
    uint16_t id;
    uint8_t proto;
    atoll_time_t expires;
    struct reass_frag *frags; /* sorted by offset, not overlapping */
    uint32_t total;           /* payload length once the last fragment came */
    uint32_t have;            /* payload bytes held */
    size_t mem;               /* bytes charged against REASS_MEM */
    uint8_t hdr[60];          /* header of the first fragment (ICMP quote) */
    uint8_t hlen;             /* 0 until the first fragment came */
};

struct reass_table {
    struct reass r[REASS_SLOTS];
    size_t mem;
    struct atoll_timer timer;
};

void ip4_input(struct atoll_netif *nif, const uint8_t *pkt, size_t len);

/*
 * Send the payload at nif->tx + ETH_HLEN + IP4_HLEN (len bytes) to dst.
 * src 0 means the interface's address. Fragments when needed unless df.
 * Returns 0, ENETUNREACH, EMSGSIZE.
 */
int ip4_output(struct atoll_netif *nif, uint32_t src, uint32_t dst,
               uint8_t proto, size_t len, bool df);

/* Where upper layers build their payload in the transmit buffer. */
static inline uint8_t *net_tx_payload(struct atoll_netif *nif);

/* Hand a received datagram (whole or reassembled) to its protocol. */
void ip4_deliver(struct atoll_netif *nif, const struct ip4_pkt *ip);

/* A fragment (ip4_reass.c): the packet p with its header of hlen bytes,
 * total bytes in all, at payload offset off, more fragments follow if
 * mf. The datagram is delivered once complete. */
void reass_input(struct atoll_netif *nif, const uint8_t *p, size_t hlen,
                 size_t total, uint32_t off, bool mf);
void reass_flush(struct atoll_netif *nif);

/* Whether addr is one of ours to receive on (address or broadcast). */
bool ip4_is_local(const struct atoll_netif *nif, uint32_t addr);
bool ip4_is_bcast(const struct atoll_netif *nif, uint32_t addr);

/* ---- ICMP (icmp.c) ---------------------------------------------------- */

#define ICMP_ECHO_REPLY 0
#define ICMP_UNREACH 3
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_UNREACH_PORT 3
#define ICMP_UNREACH_PROTO 2
#define ICMP_UNREACH_NEEDFRAG 4
#define ICMP_ERR_RATE 100  /* error messages per second */
#define ICMP_ERR_BURST 50

struct icmp_bucket {
    uint32_t tokens;
    atoll_time_t last;
};

void icmp_input(struct atoll_netif *nif, const struct ip4_pkt *ip);
/* Send an ICMP error about the received packet ip (rate limited). */
void icmp_error(struct atoll_netif *nif, const struct ip4_pkt *ip,
                uint8_t type, uint8_t code);

/* ---- UDP (udp.c) ------------------------------------------------------ */

#define UDP_HLEN 8
#define UDP_QUEUE_DGRAMS 64
#define UDP_QUEUE_BYTES (256 * 1024)

struct udp_dgram {
    struct udp_dgram *next;
    uint32_t src;
    uint16_t sport;
    size_t len;
    uint8_t data[];
};

struct atoll_udp {
    struct atoll_udp *next;
    struct atoll_netif *nif;
    uint16_t port;
    atoll_udp_fn fn;
    void *arg;
    struct udp_dgram *qhead, *qtail;
    size_t qdgrams, qbytes, max_dgrams, max_bytes;
    struct net_waitq waitq; /* fibers blocked in recvfrom */
};

void udp_input(struct atoll_netif *nif, const struct ip4_pkt *ip);
/* Build and send a datagram from the payload already at
 * net_tx_payload(nif) + UDP_HLEN. */
int udp_output(struct atoll_netif *nif, uint32_t src, uint16_t sport,
               uint32_t dst, uint16_t dport, size_t len);

/* ---- TCP (tcp*.c, tcp.h) ---------------------------------------------- */

struct tcp_table;
void tcp_input(struct atoll_netif *nif, const struct ip4_pkt *ip);
/* An ICMP error quoting (q: the quoted IPv4 header, len bytes in all)
 * one of our TCP segments; mtu is the next-hop MTU field. */
void tcp_icmp_error(struct atoll_netif *nif, uint8_t type, uint8_t code,
                    const uint8_t *q, size_t len, uint32_t mtu);
int tcp_init(struct atoll_netif *nif);
void tcp_destroy(struct atoll_netif *nif);
void tcp_flush(struct atoll_netif *nif);
/* The interface address changed: connections on the old one are reset. */
void tcp_addr_changed(struct atoll_netif *nif, uint32_t old);

/* ---- DHCP (dhcp.c) ---------------------------------------------------- */

struct dhcp;
void dhcp_destroy(struct atoll_netif *nif);

/* ---- the interface (netif.c) ------------------------------------------ */

struct atoll_netif {
    struct atoll_netdev dev;
    size_t mtu;
    struct atoll_ip4_config ip;
    uint32_t netmask;
    struct atoll_net_stats stats;
    uint8_t *tx; /* ETH_HLEN + IP4_MAX: a whole datagram before fragmenting */
    uint8_t *frag; /* one fragment */
    /* (both with NET_HEADROOM bytes before them) */
    bool vnet;        /* the device has ATOLL_NETDEV_VNET */
    bool tx_offload;  /* and ATOLL_NETDEV_TX_OFFLOAD */
    bool rx_csum_ok;  /* the frame being input: its header vouched */
    struct net_tx_offload txo;
    uint16_t ip_id;
    uint64_t key[2]; /* secret for hashes: ports, ISNs, SYN cookies */
    uint64_t rng[2];
    uint16_t udp_eph; /* next ephemeral port to try */
    struct arp_cache arp;
    struct reass_table reass;
    struct icmp_bucket icmp_err;
    struct atoll_udp *udp;
    struct tcp_table *tcp;
    struct dhcp *dhcp;
    atoll_netif_fn cfg_fn;
    void *cfg_arg;
    struct net_waitq cfg_waitq; /* fibers waiting for an address */
    void *platform; /* atoll_netif_open's state */
    void (*on_destroy)(struct atoll_netif *nif);
};

static inline uint8_t *net_tx_payload(struct atoll_netif *nif)
{
    return nif->tx + ETH_HLEN + IP4_HLEN;
}

/* Current time (ns) and a random 64-bit number from the interface's
 * generator (xoroshiro128+, seeded from atoll_entropy). */
atoll_time_t net_now(void);
uint64_t net_random(struct atoll_netif *nif);

/* Apply a configuration from DHCP (or remove it): like
 * atoll_netif_set_ipv4 without stopping DHCP. */
void netif_configure(struct atoll_netif *nif,
                     const struct atoll_ip4_config *cfg);


/* The counters by name (stats.c). */
struct net_stat_name {
    const char *name;
    size_t off;
};
extern const struct net_stat_name net_stat_names[];
extern const size_t net_stat_count;
uint64_t net_stat_get(const struct atoll_net_stats *s, size_t i);

/* Debug-level log line prefixed with "net: ". */
#define NET_DEBUG(...)                                                     \
    do {                                                                   \
        if (atoll_log_enabled(ATOLL_LOG_DEBUG))                            \
            atoll_log(ATOLL_LOG_DEBUG, "net: " __VA_ARGS__);               \
    } while (0)

#endif
