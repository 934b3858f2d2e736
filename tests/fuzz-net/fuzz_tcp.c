/*
 * Fuzz target: TCP segments from the peer (10.0.0.7) to a stack with a
 * listener on port 80 (backlog 2, so that SYN cookies come into play)
 * whose connections send 30000 bytes at once, then echo what they
 * receive, shut down on "QUIT" and close at end of stream; and with an
 * active open in progress to the peer's port 5555, which sends 30000
 * bytes once connected. Each record is a TCP segment (header, options,
 * data). Flag bits: 1 fix the checksum, and make SACK blocks count back
 * from the stack's next sequence number (so that they name data in
 * flight); 2 set the ACK field to the stack's next sequence number (that
 * of the end of its last segment) less the field's low 16 bits, so that
 * the fuzzer can acknowledge part of what is in flight, or repeat an
 * ACK (duplicate ACKs, recovery); 4 set the sequence number to
 * what the stack last acknowledged; 8 address the active open's port.
 * The high nibble advances the clock (250 ms each), which drives
 * retransmissions, probes, delayed ACKs, keepalives and TIME-WAIT.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_net.h"

static struct atoll_tcp *client;
static uint16_t client_port;

static uint8_t burst[30000];

static void echo(struct atoll_tcp *c, enum atoll_tcp_event ev, void *arg)
{
    const void *d;
    long n;

    (void)arg;
    if (ev == ATOLL_TCP_CLOSED) {
        atoll_tcp_close(c);
        return;
    }
    while ((n = atoll_tcp_peek(c, &d)) > 0) {
        if (n >= 4 && memcmp(d, "QUIT", 4) == 0)
            atoll_tcp_shutdown(c);
        long w = atoll_tcp_send(c, d, (size_t)n);
        if (w <= 0)
            return;
        atoll_tcp_consume(c, (size_t)w);
    }
    if (n == 0)
        atoll_tcp_close(c);
}

static void client_events(struct atoll_tcp *c, enum atoll_tcp_event ev,
                          void *arg)
{
    (void)arg;
    if (ev == ATOLL_TCP_CONNECTED)
        atoll_tcp_send(c, burst, sizeof burst);
}

static void accept_all(struct atoll_tcp *l, enum atoll_tcp_event ev,
                       void *arg)
{
    struct atoll_tcp *c;

    (void)ev;
    (void)arg;
    while (atoll_tcp_try_accept(l, &c) == 0) {
        atoll_tcp_set_handler(c, echo, NULL);
        atoll_tcp_send(c, burst, sizeof burst);
        atoll_tcp_set_keepalive(c, true, 2000000000ull, 500000000ull, 2);
    }
}

/* SACK blocks in the options: each edge becomes the stack's next
 * sequence number less the edge's low 16 bits. */
static void sack_relative(uint8_t *t, size_t len)
{
    size_t hlen = (size_t)(t[12] >> 4) * 4, i = 20;

    if (hlen > len)
        return;
    while (i + 1 < hlen && t[i] != 0) {
        if (t[i] == 1) {
            i++;
            continue;
        }
        if (t[i + 1] < 2 || i + t[i + 1] > hlen)
            return;
        if (t[i] == 5)
            for (size_t e = i + 2; e + 4 <= i + t[i + 1]; e += 4)
                put32(t + e, f_tcp_next - (get32(t + e) & 0xffff));
        i += t[i + 1];
    }
}

static void segment(struct atoll_netif *nif, uint8_t flags, const uint8_t *d,
                    size_t len)
{
    static uint8_t t[IP4_MAX];

    if (len < 20)
        return;
    if (len > IP4_MAX - IP4_HLEN)
        len = IP4_MAX - IP4_HLEN;
    memcpy(t, d, len);
    if (flags & 8)
        put16(t + 2, client_port);
    if (flags & 2)
        put32(t + 8, f_tcp_next - (get32(t + 8) & 0xffff));
    if (flags & 4)
        put32(t + 4, f_tcp_ack);
    if (flags & F_FIX)
        sack_relative(t, len);
    if (flags & F_FIX)
        f_fix_l4(IP_PROTO_TCP, F_PEER, F_ADDR, t, len);
    f_send_ip(nif, F_PEER, F_ADDR, IP_PROTO_TCP, t, len);
    /* The client sends now and then: data to retransmit and probe. */
    if (client != NULL && (flags & 0x08) == 0 && (d[13] & 0x40) != 0)
        atoll_tcp_send(client, d, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct atoll_netif *nif = f_setup(false);
    struct atoll_tcp *l;

    if (atoll_tcp_listen(nif, 80, 2, &l) != 0 ||
        atoll_tcp_connect(nif, F_PEER, 5555, &client) != 0)
        abort();
    atoll_tcp_set_handler(l, accept_all, NULL);
    atoll_tcp_set_handler(client, client_events, NULL);
    atoll_tcp_endpoints(client, NULL, &client_port, NULL, NULL);
    f_run(nif, data, size, segment);
    client = NULL;
    return 0;
}
