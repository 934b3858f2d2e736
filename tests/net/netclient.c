/*
 * netclient: the host side of lib/net's end-to-end tests and benchmarks,
 * run inside the test's network namespace against an echo server.
 *
 *   netclient echo ADDR PORT CONNS BYTES [SECONDS]
 *       CONNS concurrent connections each send BYTES of a pattern (its
 *       own per connection), read the echo back and check every byte;
 *       then close. Prints the time and the rate (both directions).
 *   netclient refused ADDR PORT
 *       the connection must be refused (a RST) within two seconds.
 *   netclient udp-refused ADDR PORT
 *       a datagram to a closed UDP port must bring back ICMP port
 *       unreachable (ECONNREFUSED on a connected socket) within two
 *       seconds.
 *   netclient send ADDR PORT BYTES [SECONDS]
 *       one connection sends BYTES (a discard server takes them); prints
 *       the rate once the server has acknowledged all (shutdown, EOF).
 *   netclient recv ADDR PORT BYTES [SECONDS]
 *       one connection reads BYTES from a source server (one that sends
 *       as soon as it accepts), then closes; prints the rate.
 *   netclient rr ADDR PORT CONNS SIZE SECONDS
 *       CONNS connections each send SIZE bytes and wait for SIZE back,
 *       over and over for SECONDS; prints round trips per second.
 *   netclient udp ADDR PORT SIZE INFLIGHT SECONDS
 *       UDP echo: keep INFLIGHT datagrams of SIZE bytes outstanding (a
 *       lost one is replaced after 100 ms) for SECONDS; prints echoed
 *       datagrams per second.
 *
 * Exit 0 on success, 1 with a one-line reason on stderr otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in server;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "netclient: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    exit(1);
}

static uint8_t pattern(uint64_t i, unsigned seed)
{
    return (uint8_t)((i * 2654435761u) >> 13 ^ seed ^ (i >> 20));
}

/* A socket connecting (non-blocking) to the server. */
static int open_conn(bool nodelay)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;

    if (s < 0)
        die("socket: %s", strerror(errno));
    if (nodelay)
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(s, (struct sockaddr *)&server, sizeof server) != 0 &&
        errno != EINPROGRESS)
        die("connect: %s", strerror(errno));
    return s;
}

struct conn {
    int fd;
    uint64_t sent, got;
    bool shut, done;
};

static int echo(int nconn, uint64_t bytes, double limit)
{
    struct conn *c = calloc((size_t)nconn, sizeof *c);
    struct pollfd *p = calloc((size_t)nconn, sizeof *p);
    static uint8_t buf[65536];
    double start = now();
    int left = nconn;

    if (c == NULL || p == NULL)
        die("%s", "out of memory");
    for (int i = 0; i < nconn; i++)
        c[i].fd = open_conn(false);
    while (left > 0) {
        if (now() - start > limit) {
            uint64_t got = 0;
            for (int i = 0; i < nconn; i++)
                got += c[i].got;
            fprintf(stderr, "netclient: %d of %d connections unfinished "
                    "after %.0f s (%llu of %llu bytes back)\n", left, nconn,
                    limit, (unsigned long long)got,
                    (unsigned long long)bytes * (unsigned)nconn);
            return 1;
        }
        for (int i = 0; i < nconn; i++) {
            p[i].fd = c[i].done ? -1 : c[i].fd;
            p[i].events = POLLIN | (c[i].sent < bytes ? POLLOUT : 0);
        }
        if (poll(p, (nfds_t)nconn, 200) < 0)
            die("poll: %s", strerror(errno));
        for (int i = 0; i < nconn; i++) {
            struct conn *k = &c[i];

            if (k->done || p[i].revents == 0)
                continue;
            if (p[i].revents & POLLOUT) {
                size_t n = bytes - k->sent < sizeof buf ? bytes - k->sent
                                                        : sizeof buf;
                for (size_t j = 0; j < n; j++)
                    buf[j] = pattern(k->sent + j, (unsigned)i);
                ssize_t w = send(k->fd, buf, n, MSG_NOSIGNAL);
                if (w < 0 && errno != EAGAIN)
                    die("send: %s", strerror(errno));
                if (w > 0)
                    k->sent += (uint64_t)w;
                if (k->sent == bytes && !k->shut) {
                    shutdown(k->fd, SHUT_WR);
                    k->shut = true;
                }
            }
            if (p[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t r = recv(k->fd, buf, sizeof buf, 0);
                if (r < 0 && errno != EAGAIN)
                    die("recv: %s", strerror(errno));
                for (ssize_t j = 0; j < r; j++)
                    if (buf[j] != pattern(k->got + (uint64_t)j, (unsigned)i)) {
                        fprintf(stderr, "netclient: connection %d: byte "
                                "%llu differs\n", i,
                                (unsigned long long)(k->got + (uint64_t)j));
                        return 1;
                    }
                if (r > 0)
                    k->got += (uint64_t)r;
                if (r == 0) {
                    if (k->got != bytes) {
                        fprintf(stderr, "netclient: connection %d ended "
                                "after %llu of %llu bytes\n", i,
                                (unsigned long long)k->got,
                                (unsigned long long)bytes);
                        return 1;
                    }
                    close(k->fd);
                    k->done = true;
                    left--;
                }
            }
        }
    }
    double t = now() - start;
    printf("ok: %d x %llu bytes echoed in %.2f s (%.1f MB/s each way)\n",
           nconn, (unsigned long long)bytes, t,
           (double)bytes * nconn / t / 1e6);
    return 0;
}

static int refused(void)
{
    int s = open_conn(false);
    struct pollfd p = {.fd = s, .events = POLLOUT};
    int err = 0;
    socklen_t len = sizeof err;

    if (poll(&p, 1, 2000) != 1)
        die("%s", "no answer within 2 s");
    getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != ECONNREFUSED)
        die("connect: %s, not refused", strerror(err));
    printf("ok: connection refused\n");
    return 0;
}

static int udp_refused(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct timeval tv = {.tv_sec = 2};
    char buf[16];

    if (s < 0 || connect(s, (struct sockaddr *)&server, sizeof server) != 0)
        die("socket/connect: %s", strerror(errno));
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (send(s, "anyone?", 7, 0) != 7)
        die("send: %s", strerror(errno));
    if (recv(s, buf, sizeof buf, 0) >= 0 || errno != ECONNREFUSED)
        die("recv: %s, not refused", strerror(errno));
    printf("ok: port unreachable\n");
    return 0;
}

static int send_bytes(uint64_t bytes, double limit)
{
    int s = open_conn(false);
    static uint8_t buf[65536];
    uint64_t sent = 0;
    double start = now();
    struct pollfd p = {.fd = s, .events = POLLOUT};

    memset(buf, 'x', sizeof buf);
    while (sent < bytes) {
        if (now() - start > limit)
            die("%s", "too slow");
        if (poll(&p, 1, 200) < 0)
            die("poll: %s", strerror(errno));
        size_t n = bytes - sent < sizeof buf ? bytes - sent : sizeof buf;
        ssize_t w = send(s, buf, n, MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN)
            die("send: %s", strerror(errno));
        if (w > 0)
            sent += (uint64_t)w;
    }
    /* The server closes once it has read everything. */
    shutdown(s, SHUT_WR);
    p.events = POLLIN;
    for (;;) {
        if (now() - start > limit)
            die("%s", "no end from the server");
        if (poll(&p, 1, 200) < 0)
            die("poll: %s", strerror(errno));
        ssize_t r = recv(s, buf, sizeof buf, 0);
        if (r == 0)
            break;
        if (r < 0 && errno != EAGAIN)
            die("recv: %s", strerror(errno));
    }
    double t = now() - start;
    printf("ok: %llu bytes in %.2f s: %.1f MB/s\n", (unsigned long long)bytes,
           t, (double)bytes / t / 1e6);
    close(s);
    return 0;
}

static int recv_bytes(uint64_t bytes, double limit)
{
    int s = open_conn(false);
    static uint8_t buf[65536];
    uint64_t got = 0;
    double start = now();
    struct pollfd p = {.fd = s, .events = POLLIN};

    while (got < bytes) {
        if (now() - start > limit)
            die("%s", "too slow");
        if (poll(&p, 1, 200) < 0)
            die("poll: %s", strerror(errno));
        ssize_t r = recv(s, buf, sizeof buf, 0);
        if (r == 0)
            die("%s", "the server closed early");
        if (r < 0 && errno != EAGAIN)
            die("recv: %s", strerror(errno));
        if (r > 0)
            got += (uint64_t)r;
    }
    double t = now() - start;
    printf("ok: %llu bytes in %.2f s: %.1f MB/s\n", (unsigned long long)got,
           t, (double)got / t / 1e6);
    close(s);
    return 0;
}

static int rr(int nconn, size_t size, double seconds)
{
    struct pollfd *p = calloc((size_t)nconn, sizeof *p);
    size_t *got = calloc((size_t)nconn, sizeof *got);
    static uint8_t buf[65536];
    uint64_t trips = 0;
    double start, end;

    if (p == NULL || got == NULL || size > sizeof buf)
        die("%s", "bad arguments");
    memset(buf, 'r', size);
    for (int i = 0; i < nconn; i++) {
        p[i].fd = open_conn(true);
        p[i].events = POLLOUT;
    }
    /* Wait for all to connect, then send the first requests. */
    for (int i = 0; i < nconn; i++) {
        struct pollfd q = {.fd = p[i].fd, .events = POLLOUT};
        if (poll(&q, 1, 5000) != 1)
            die("%s", "connect timed out");
        if (send(p[i].fd, buf, size, MSG_NOSIGNAL) != (ssize_t)size)
            die("%s", "short send");
        p[i].events = POLLIN;
    }
    start = now();
    end = start + seconds;
    while (now() < end) {
        if (poll(p, (nfds_t)nconn, 100) < 0)
            die("poll: %s", strerror(errno));
        for (int i = 0; i < nconn; i++) {
            if (!(p[i].revents & POLLIN))
                continue;
            ssize_t r = recv(p[i].fd, buf, sizeof buf, 0);
            if (r <= 0)
                die("%s", r == 0 ? "closed" : strerror(errno));
            got[i] += (size_t)r;
            if (got[i] >= size) {
                got[i] = 0;
                trips++;
                if (send(p[i].fd, buf, size, MSG_NOSIGNAL) != (ssize_t)size)
                    die("%s", "short send");
            }
        }
    }
    printf("ok: %.0f round trips/s over %d connections of %zu bytes\n",
           (double)trips / (now() - start), nconn, size);
    return 0;
}

static int udp(size_t size, int inflight, double seconds)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    static uint8_t buf[65536];
    uint64_t echoed = 0, sent = 0;
    double start, end, last_rx;
    int out = 0;

    if (s < 0 || size > sizeof buf)
        die("%s", "bad socket or size");
    if (connect(s, (struct sockaddr *)&server, sizeof server) != 0)
        die("connect: %s", strerror(errno));
    memset(buf, 'u', size);
    start = last_rx = now();
    end = start + seconds;
    while (now() < end) {
        struct pollfd p = {.fd = s, .events = POLLIN};

        while (out < inflight) {
            if (send(s, buf, size, 0) != (ssize_t)size)
                break;
            out++;
            sent++;
        }
        if (poll(&p, 1, 10) < 0)
            die("poll: %s", strerror(errno));
        while (recv(s, buf, sizeof buf, 0) > 0) {
            echoed++;
            out--;
            last_rx = now();
        }
        /* Datagrams get lost: after a quiet spell, refill the window. */
        if (now() - last_rx > 0.1) {
            out = 0;
            last_rx = now();
        }
    }
    printf("ok: %.0f datagrams/s of %zu bytes echoed (%llu of %llu)\n",
           (double)echoed / (now() - start), size,
           (unsigned long long)echoed, (unsigned long long)sent);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: netclient echo|refused|send|recv|rr|udp "
                "ADDR PORT ...\n");
        return 2;
    }
    server.sin_family = AF_INET;
    server.sin_port = htons((uint16_t)atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &server.sin_addr) != 1)
        die("bad address %s", argv[2]);
    if (strcmp(argv[1], "echo") == 0 && argc >= 6)
        return echo(atoi(argv[4]), strtoull(argv[5], NULL, 10),
                    argc > 6 ? atof(argv[6]) : 120);
    if (strcmp(argv[1], "refused") == 0)
        return refused();
    if (strcmp(argv[1], "udp-refused") == 0)
        return udp_refused();
    if (strcmp(argv[1], "send") == 0 && argc >= 5)
        return send_bytes(strtoull(argv[4], NULL, 10),
                          argc > 5 ? atof(argv[5]) : 120);
    if (strcmp(argv[1], "recv") == 0 && argc >= 5)
        return recv_bytes(strtoull(argv[4], NULL, 10),
                          argc > 5 ? atof(argv[5]) : 120);
    if (strcmp(argv[1], "rr") == 0 && argc >= 7)
        return rr(atoi(argv[4]), (size_t)atoi(argv[5]), atof(argv[6]));
    if (strcmp(argv[1], "udp") == 0 && argc >= 7)
        return udp((size_t)atoi(argv[4]), atoi(argv[5]), atof(argv[6]));
    fprintf(stderr, "netclient: bad arguments\n");
    return 2;
}
