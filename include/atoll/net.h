/*
 * lib/net: Atoll's TCP/IP stack (Ethernet, ARP, IPv4, ICMP, UDP, TCP,
 * DHCP client).
 *
 * The stack is a set of plain objects with no global state: an interface
 * (struct atoll_netif) owns its device, its IPv4 configuration, its ARP
 * cache, its fragment reassembly and its UDP and TCP endpoints. Frames come
 * in through atoll_netif_input and go out through the device's transmit
 * function, so the same code runs on the platform's net devices
 * (atoll_netif_open) and in host tests that inject and capture frames
 * (atoll_netif_create).
 *
 * Two ways to use it, which may be mixed between endpoints but not on one:
 *
 *  - Callbacks, for code that wants no extra copies: set a handler on an
 *    endpoint; the stack calls it from the event loop when something
 *    happens, and the handler calls the non-blocking functions
 *    (atoll_tcp_recv, atoll_tcp_peek, atoll_tcp_send, atoll_udp_recv...).
 *    UDP handlers see each datagram in place, inside the received frame.
 *  - Blocking calls (atoll_tcp_accept, atoll_tcp_read, atoll_tcp_write,
 *    atoll_udp_recvfrom, ...), made from fibers (include/atoll/fiber.h) or
 *    from main; while one waits, the event loop and the other fibers run.
 *    These need lib/fiber linked in.
 *
 * Conventions: addresses (atoll_ip4_t) and ports are in host byte order.
 * Functions that can fail return 0 or a non-negative count on success and
 * a negative code of atoll/err.h (ATOLL_ERR_*) on failure. Timeouts are
 * relative nanoseconds; ATOLL_NET_FOREVER waits without limit, 0 does not
 * wait. Handlers must not call blocking functions.
 */
#ifndef ATOLL_NET_H
#define ATOLL_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/err.h"
#include "atoll/platform.h"
#include "atoll/rt.h"

#define ATOLL_NET_FOREVER UINT64_MAX

/* ---- addresses -------------------------------------------------------- */

typedef uint32_t atoll_ip4_t;

#define ATOLL_IP4(a, b, c, d)                                              \
    ((atoll_ip4_t)(a) << 24 | (atoll_ip4_t)(b) << 16 |                     \
     (atoll_ip4_t)(c) << 8 | (atoll_ip4_t)(d))
#define ATOLL_IP4_ANY 0u
#define ATOLL_IP4_BROADCAST 0xffffffffu
#define ATOLL_IP4_STRLEN 16 /* "255.255.255.255" and its NUL */

/* Parse a dotted quad ("10.0.0.2"); 0 or ATOLL_ERR_INVAL. */
int atoll_ip4_parse(const char *s, atoll_ip4_t *addr);

/* Parse "ADDR/PREFIX" (prefix 0-32); 0 or ATOLL_ERR_INVAL. */
int atoll_ip4_parse_cidr(const char *s, atoll_ip4_t *addr,
                         unsigned *prefix);

/* Format addr into buf (at least ATOLL_IP4_STRLEN bytes); returns buf. */
char *atoll_ip4_format(atoll_ip4_t addr, char *buf);

/* ---- devices and interfaces ------------------------------------------- */

/*
 * What the stack needs of a network device: its MAC address, its MTU (the
 * largest Ethernet payload) and a way to send one whole Ethernet frame.
 * transmit returns 0, or a negative value (ATOLL_ERR_IO from the platform
 * adapter) if the frame was dropped.
 */
struct atoll_netdev {
    uint8_t mac[ATOLL_NET_ALEN];
    size_t mtu;
    int (*transmit)(void *ctx, const void *frame, size_t len);
    void *ctx;
    uint32_t features; /* ATOLL_NETDEV_* */
};

/*
 * VNET: every frame, both ways, starts with a virtio-net header
 * (ATOLL_NET_VNET_HLEN bytes, include/atoll/platform.h), and frames
 * received may be TCPv4 GSO segments up to ATOLL_NET_VNET_FRAME_MAX bytes
 * with partial checksums. TX_OFFLOAD (with VNET): the stack sends TCP with
 * partial checksums and segments up to 64 KB for the device to cut.
 */
#define ATOLL_NETDEV_VNET (1u << 0)
#define ATOLL_NETDEV_TX_OFFLOAD (1u << 1)

struct atoll_netif;

/* IPv4 configuration of an interface; addr 0 means none. */
struct atoll_ip4_config {
    atoll_ip4_t addr;
    unsigned prefix;     /* 0-32 */
    atoll_ip4_t gateway; /* 0: no default route */
};

/*
 * Bring up the platform net device named device (from the manifest, e.g.
 * "service") and configure it from the boot parameters:
 *   --ipv4=ADDR/PREFIX | --ipv4=dhcp   (default dhcp)
 *   --ipv4-gateway=ADDR               (static configuration only)
 *   --mtu=N                           (default: the device's)
 * Received frames are handled from the runtime's event loop. With DHCP the
 * call returns at once, before an address is bound (see
 * atoll_netif_wait_configured and atoll_netif_set_config_handler).
 */
int atoll_netif_open(const char *device, struct atoll_netif **nif);

/* An interface on any device (host tests, other drivers). The device
 * struct is copied. NULL if out of memory or the MTU is below 576. */
struct atoll_netif *atoll_netif_create(const struct atoll_netdev *dev);

/* Free the interface and every endpoint on it (their handles die too).
 * Sends nothing. */
void atoll_netif_destroy(struct atoll_netif *nif);

/* Hand one received Ethernet frame (header included) to the stack. The
 * stack does not keep a pointer to frame after returning. */
void atoll_netif_input(struct atoll_netif *nif, const void *frame,
                       size_t len);

/* Send what the frames given since the last call made due (coalesced
 * ACKs). Call after each batch of atoll_netif_input. */
void atoll_netif_flush(struct atoll_netif *nif);

/* Set a static IPv4 configuration (stops DHCP). Announces the address with
 * a gratuitous ARP. A zero config.addr removes the address. */
int atoll_netif_set_ipv4(struct atoll_netif *nif,
                         const struct atoll_ip4_config *config);

/* The current IPv4 configuration (addr 0 when none). */
void atoll_netif_get_ipv4(const struct atoll_netif *nif,
                          struct atoll_ip4_config *config);

/* Lower the interface MTU (68 <= mtu <= the device's MTU; TCP needs 576
 * to be useful). */
int atoll_netif_set_mtu(struct atoll_netif *nif, size_t mtu);
size_t atoll_netif_mtu(const struct atoll_netif *nif);

/* Start the DHCP client (RFC 2131); the address follows its leases. */
int atoll_netif_start_dhcp(struct atoll_netif *nif);

/* The same with a limit (nanoseconds, 0: none) on the first lease: with
 * none by then the client stops asking, logs an error and calls
 * gave_up(nif, arg) if not NULL. Leases lost later are asked for again
 * without limit. */
typedef void (*atoll_netif_fn)(struct atoll_netif *nif, void *arg);
int atoll_netif_start_dhcp_limited(struct atoll_netif *nif,
                                   atoll_time_t limit, atoll_netif_fn gave_up,
                                   void *arg);

/* Called whenever the IPv4 configuration changes (DHCP bound, renewed
 * with a different address, lease lost; static set). */
void atoll_netif_set_config_handler(struct atoll_netif *nif,
                                    atoll_netif_fn fn, void *arg);

/* Blocking: wait until the interface has an address; 0 or ETIMEDOUT. */
int atoll_netif_wait_configured(struct atoll_netif *nif,
                                atoll_time_t timeout);

/* Counters: every frame the stack drops is counted under one reason. */
struct atoll_net_stats {
    uint64_t rx_frames, tx_frames, tx_errors;
    /* virtio-net headers: dropped for a bad checksum state, a GSO type not
     * asked for, more than the MTU or announced MSS; GSO segments */
    uint64_t vnet_bad_csum, vnet_bad_gso, vnet_too_big, vnet_gso_rx,
        vnet_gso_tx;
    /* Ethernet */
    uint64_t eth_short, eth_not_for_us, eth_unknown_type;
    /* ARP */
    uint64_t arp_malformed, arp_not_for_us, arp_conflict, arp_requests_rx,
        arp_replies_tx, arp_requests_tx, arp_unresolved, arp_evicted,
        arp_queue_full;
    /* IPv4 */
    uint64_t ip_short, ip_version, ip_header_len, ip_total_len,
        ip_checksum, ip_ttl, ip_bad_option, ip_bad_fragment, ip_bad_src,
        ip_not_for_us, ip_unknown_proto, ip_no_route, ip_too_big;
    /* IPv4 reassembly */
    uint64_t frag_rx, frag_reassembled, frag_overlap, frag_duplicate,
        frag_timeout, frag_evicted, frag_too_big, frag_tx;
    /* ICMP */
    uint64_t icmp_short, icmp_checksum, icmp_echo_rx, icmp_unreach_tx,
        icmp_rate_limited, icmp_other;
    /* UDP */
    uint64_t udp_short, udp_bad_len, udp_checksum, udp_no_port,
        udp_queue_full, udp_rx, udp_tx;
    /* TCP */
    uint64_t tcp_short, tcp_bad_offset, tcp_checksum, tcp_bad_option,
        tcp_bad_flags, tcp_no_port, tcp_rst_tx, tcp_rx, tcp_tx,
        tcp_retransmits, tcp_rto, tcp_fast_retransmits, tcp_out_of_window,
        tcp_ooo_queued, tcp_ooo_dropped, tcp_paws_dropped,
        tcp_challenge_acks, tcp_bad_ack, tcp_syn_cookies_tx,
        tcp_syn_cookies_ok, tcp_syn_cookies_bad, tcp_backlog_drops,
        tcp_conn_limit, tcp_keepalive_drops, tcp_zero_window_probes,
        tcp_loss_probes;
    /* DHCP */
    uint64_t dhcp_malformed, dhcp_ignored;
};
const struct atoll_net_stats *atoll_netif_stats(const struct atoll_netif *nif);
/* Log the counters that are not zero ("net: stats: name=value ..."). */
void atoll_netif_log_stats(const struct atoll_netif *nif,
                           enum atoll_log_level level);

/* ---- UDP -------------------------------------------------------------- */

struct atoll_udp;

/* A received datagram. data points into the received frame: valid only
 * during the handler call. */
struct atoll_udp_dgram {
    atoll_ip4_t src, dst;
    uint16_t sport, dport;
    const void *data;
    size_t len;
};

typedef void (*atoll_udp_fn)(struct atoll_udp *sock,
                             const struct atoll_udp_dgram *dgram, void *arg);

/* Bind a socket to port (0: an ephemeral port) on every address of nif. */
int atoll_udp_bind(struct atoll_netif *nif, uint16_t port,
                   struct atoll_udp **sock);

/* The port a socket is bound to. */
uint16_t atoll_udp_port(const struct atoll_udp *sock);

/* Deliver datagrams to fn. Without a handler they wait in a bounded queue
 * (atoll_udp_set_queue) for atoll_udp_recv / atoll_udp_recvfrom. */
void atoll_udp_set_handler(struct atoll_udp *sock, atoll_udp_fn fn,
                           void *arg);

/* Bound the receive queue (default 64 datagrams, 256 KiB); datagrams that
 * do not fit are dropped and counted (udp_queue_full). */
void atoll_udp_set_queue(struct atoll_udp *sock, size_t max_dgrams,
                         size_t max_bytes);

/* Send one datagram (fragmented when larger than the MTU allows). Does not
 * block: a datagram waiting for ARP is queued. Returns 0, EMSGSIZE,
 * ENETUNREACH, ENOMEM. */
int atoll_udp_sendto(struct atoll_udp *sock, atoll_ip4_t dst, uint16_t port,
                     const void *data, size_t len);

/* Take the oldest queued datagram: copies at most size bytes (the rest is
 * lost) and returns the datagram's length, or EAGAIN. src/port may be
 * NULL. */
long atoll_udp_recv(struct atoll_udp *sock, void *buf, size_t size,
                    atoll_ip4_t *src, uint16_t *port);

/* Blocking atoll_udp_recv: waits at most timeout (ETIMEDOUT). */
long atoll_udp_recvfrom(struct atoll_udp *sock, void *buf, size_t size,
                        atoll_ip4_t *src, uint16_t *port,
                        atoll_time_t timeout);

/* Unbind and free; queued datagrams are dropped. */
void atoll_udp_close(struct atoll_udp *sock);

/* ---- TCP -------------------------------------------------------------- */

/* A listening endpoint or a connection. */
struct atoll_tcp;

enum atoll_tcp_event {
    ATOLL_TCP_ACCEPTABLE, /* listener: a connection waits for accept */
    ATOLL_TCP_CONNECTED,  /* an active open completed */
    ATOLL_TCP_READABLE,   /* data or the peer's FIN arrived */
    ATOLL_TCP_WRITABLE,   /* send space opened after a send fell short */
    ATOLL_TCP_CLOSED,     /* the connection is over (atoll_tcp_error says
                             why); the handle stays valid until closed */
};

typedef void (*atoll_tcp_fn)(struct atoll_tcp *tcp,
                             enum atoll_tcp_event event, void *arg);

/*
 * Listen on port (1-65535) on every address of nif. backlog bounds the
 * connections that are half open or wait to be accepted (default 1024 when
 * 0); beyond it new SYNs are answered with SYN cookies.
 */
int atoll_tcp_listen(struct atoll_netif *nif, uint16_t port, int backlog,
                     struct atoll_tcp **listener);

/* Start an active open to addr:port from an ephemeral port. Returns at
 * once; ATOLL_TCP_CONNECTED or ATOLL_TCP_CLOSED follows. */
int atoll_tcp_connect(struct atoll_netif *nif, atoll_ip4_t addr,
                      uint16_t port, struct atoll_tcp **conn);

/* Set the handler of a listener or connection (NULL: none). Accepted
 * connections start without one. */
void atoll_tcp_set_handler(struct atoll_tcp *tcp, atoll_tcp_fn fn,
                           void *arg);

/* Take a connection that completed its handshake; EAGAIN if none. The
 * caller owns it and must atoll_tcp_close it eventually. */
int atoll_tcp_try_accept(struct atoll_tcp *listener, struct atoll_tcp **conn);

/* Copy up to len received bytes; returns the count, 0 at end of stream
 * (the peer's FIN), EAGAIN when nothing is there yet, or the error that
 * ended the connection. */
long atoll_tcp_recv(struct atoll_tcp *conn, void *buf, size_t len);

/* Zero copy: point *data at the next contiguous received bytes and return
 * how many (0 at end of stream; EAGAIN; error). They stay valid until the
 * next call on conn; atoll_tcp_consume drops n of them. */
long atoll_tcp_peek(struct atoll_tcp *conn, const void **data);
void atoll_tcp_consume(struct atoll_tcp *conn, size_t n);

/* Queue up to len bytes for sending; returns how many were taken (less
 * than len when the send buffer fills: ATOLL_TCP_WRITABLE follows), or
 * EAGAIN if none, EPIPE after shutdown, or the connection's error. Called
 * from a handler, the segments leave once the batch of received frames
 * has been handled, so that several sends fill whole segments. */
long atoll_tcp_send(struct atoll_tcp *conn, const void *buf, size_t len);

/* Bytes atoll_tcp_send would take now. */
size_t atoll_tcp_send_space(const struct atoll_tcp *conn);

/* Send a FIN after the queued data: no more sending, still receiving. */
int atoll_tcp_shutdown(struct atoll_tcp *conn);

/*
 * Release the handle (listener or connection). A connection finishes
 * sending its queued data and closes gracefully in the background, unless
 * received data was left unread: then it is reset (RFC 9293 3.10.4).
 * A listener resets the connections not yet accepted.
 */
void atoll_tcp_close(struct atoll_tcp *tcp);

/* Reset the connection (RST) and release the handle. */
void atoll_tcp_abort(struct atoll_tcp *conn);

/* Why the connection ended (0 while it is open or ended normally). */
int atoll_tcp_error(const struct atoll_tcp *conn);

/* Whether the handshake completed and the connection is not closed. */
bool atoll_tcp_is_connected(const struct atoll_tcp *conn);

/* Addresses and ports of a connection (of a listener: local port only);
 * any pointer may be NULL. */
void atoll_tcp_endpoints(const struct atoll_tcp *tcp, atoll_ip4_t *local,
                         uint16_t *lport, atoll_ip4_t *remote,
                         uint16_t *rport);

/* The RFC 9293 state name ("ESTABLISHED", ...). */
const char *atoll_tcp_state(const struct atoll_tcp *tcp);

/* Nagle's algorithm is on by default; nodelay turns it off. */
void atoll_tcp_set_nodelay(struct atoll_tcp *conn, bool nodelay);

/* Keepalive probes after idle, then every interval, count times, before
 * the connection fails with ETIMEDOUT. Off by default. */
void atoll_tcp_set_keepalive(struct atoll_tcp *conn, bool on,
                             atoll_time_t idle, atoll_time_t interval,
                             unsigned count);

/* Receive and send buffer sizes (default 256 KiB each; 4 KiB - 16 MiB).
 * On a listener they apply to the connections it accepts later; on a
 * connection they take effect at once (a smaller receive buffer never
 * shrinks the window already offered). */
int atoll_tcp_set_buffers(struct atoll_tcp *tcp, size_t rcvbuf,
                          size_t sndbuf);

/* ---- TCP, blocking (fibers) ------------------------------------------ */

/* Wait for a connection on listener. */
int atoll_tcp_accept(struct atoll_tcp *listener, struct atoll_tcp **conn,
                     atoll_time_t timeout);

/* Connect and wait for the handshake (ETIMEDOUT, ECONNREFUSED, ...). On
 * failure *conn is not set and nothing needs closing. */
int atoll_tcp_dial(struct atoll_netif *nif, atoll_ip4_t addr, uint16_t port,
                   struct atoll_tcp **conn, atoll_time_t timeout);

/* Wait until some data, the end of stream or an error; then as
 * atoll_tcp_recv. */
long atoll_tcp_read(struct atoll_tcp *conn, void *buf, size_t len,
                    atoll_time_t timeout);

/* Queue all len bytes, waiting for send space as needed; returns len, or
 * an error (ETIMEDOUT: some bytes may have been queued). */
long atoll_tcp_write(struct atoll_tcp *conn, const void *buf, size_t len,
                     atoll_time_t timeout);

#endif
