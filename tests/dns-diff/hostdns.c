/*
 * hostdns: lib/dns's dns_answer behind host sockets, the Atoll side of
 * tests/dns-diff when no unikernel is asked (the same call examples/dns
 * makes): zone files loaded with dns_zone_load, UDP and TCP (RFC 7766
 * framing, pipelined queries answered in order) on one address and port.
 *
 *   hostdns ADDR PORT ORIGIN=FILE...
 *
 * ADDR is IPv4 or IPv6; ORIGIN is the zone's apex ("example."). Prints
 * "ready" on stdout once both sockets listen; runs until killed. One TCP
 * connection is served at a time (the test's client is sequential); a
 * connection idle for 2 s is closed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "atoll/dns.h"

#define ZONES_MAX 16
#define ARENA_BYTES (32u << 20)

static struct dns_zone zones[ZONES_MAX];
static size_t nzones;

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* ORIGIN=FILE into the next zone; 0 or -1 after a message. */
static int load(struct dns_arena *a, const char *arg)
{
    const char *eq = strchr(arg, '=');
    uint8_t origin[DNS_NAME_MAX];
    size_t len;
    if (!eq || nzones == ZONES_MAX ||
        dns_name_from_text(arg, (size_t)(eq - arg), NULL, origin) < 0) {
        fprintf(stderr, "hostdns: bad zone argument %s\n", arg);
        return -1;
    }
    char *text = read_file(eq + 1, &len);
    if (!text) {
        fprintf(stderr, "hostdns: %s: %s\n", eq + 1, strerror(errno));
        return -1;
    }
    /* The zone keeps pointers into the arena, not into text. */
    uint8_t *o = dns_arena_alloc(a, dns_name_len(origin), 1);
    if (!o)
        return -1;
    memcpy(o, origin, dns_name_len(origin));
    struct dns_zone *z = &zones[nzones];
    if (dns_zone_load(z, a, eq + 1, text, len, o) < 0) {
        fprintf(stderr, "hostdns: %s\n", z->err);
        free(text);
        return -1;
    }
    nzones++;
    return 0;
}

static int bound(int type, const char *addr, int port)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        sl = sizeof *s4;
    } else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        sl = sizeof *s6;
    } else {
        fprintf(stderr, "hostdns: bad address %s\n", addr);
        return -1;
    }
    int one = 1, fd = socket(ss.ss_family, type, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(fd, (struct sockaddr *)&ss, sl) ||
        (type == SOCK_STREAM && listen(fd, 16))) {
        fprintf(stderr, "hostdns: %s port %d: %s\n", addr, port,
                strerror(errno));
        return -1;
    }
    return fd;
}

static int read_all(int fd, uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t r = write(fd, p, n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* One TCP connection: length-prefixed queries until EOF, an error or 2 s
 * of silence. */
static void serve_tcp(int c)
{
    static uint8_t q[65535], out[2 + 65535];
    struct timeval tv = {2, 0};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (;;) {
        uint8_t l[2];
        if (read_all(c, l, 2) < 0)
            return;
        size_t n = (size_t)l[0] << 8 | l[1];
        if (read_all(c, q, n) < 0)
            return;
        int r = dns_answer(zones, nzones, q, n, out + 2, 65535,
                           DNS_ANSWER_TCP);
        if (r < 0)
            continue;
        out[0] = (uint8_t)(r >> 8);
        out[1] = (uint8_t)r;
        if (write_all(c, out, 2 + (size_t)r) < 0)
            return;
    }
}

int main(int argc, char **argv)
{
    static uint8_t q[65535], out[65535];
    if (argc < 4) {
        fprintf(stderr, "usage: hostdns ADDR PORT ORIGIN=FILE...\n");
        return 2;
    }
    struct dns_arena a;
    void *mem = malloc(ARENA_BYTES);
    if (!mem)
        return 1;
    dns_arena_init(&a, mem, ARENA_BYTES);
    for (int i = 3; i < argc; i++)
        if (load(&a, argv[i]) < 0)
            return 1;
    int port = atoi(argv[2]);
    int u = bound(SOCK_DGRAM, argv[1], port);
    int t = bound(SOCK_STREAM, argv[1], port);
    if (u < 0 || t < 0)
        return 1;
    printf("ready\n");
    fflush(stdout);
    struct pollfd p[2] = {{.fd = u, .events = POLLIN},
                          {.fd = t, .events = POLLIN}};
    for (;;) {
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            return 1;
        if (p[0].revents & POLLIN) {
            struct sockaddr_storage from;
            socklen_t fl = sizeof from;
            ssize_t n = recvfrom(u, q, sizeof q, 0, (struct sockaddr *)&from,
                                 &fl);
            int r = n < 0 ? -1
                          : dns_answer(zones, nzones, q, (size_t)n, out,
                                       sizeof out, 0);
            if (r >= 0)
                sendto(u, out, (size_t)r, 0, (struct sockaddr *)&from, fl);
        }
        if (p[1].revents & POLLIN) {
            int c = accept(t, NULL, NULL);
            if (c >= 0) {
                serve_tcp(c);
                close(c);
            }
        }
    }
}
