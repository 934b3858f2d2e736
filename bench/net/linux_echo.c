/*
 * linux_echo: the Linux-socket counterpart of examples/echo for
 * bench/net: TCP and UDP echo on port 7, TCP discard on port 9 and a TCP
 * source on port 19 (sends zeros from accept until the peer closes), in
 * one thread with epoll, as the unikernel serves them with one vCPU.
 *
 *   linux_echo
 */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXEV 256
#define BUF 65536

enum kind { ECHO_LISTEN, DISCARD_LISTEN, SOURCE_LISTEN, UDP, ECHO, DISCARD,
            SOURCE };

struct conn {
    enum kind kind;
    int fd;
    size_t pending, off; /* echo bytes not yet written */
    char buf[BUF];
};

static int ep;

static void die(const char *what)
{
    fprintf(stderr, "linux_echo: %s: %s\n", what, strerror(errno));
    exit(1);
}

static struct conn *add(int fd, enum kind kind, uint32_t events)
{
    struct conn *c = calloc(1, kind == ECHO ? sizeof *c
                                            : offsetof(struct conn, buf));
    struct epoll_event ev = {.events = events};

    if (c == NULL)
        die("calloc");
    c->fd = fd;
    c->kind = kind;
    ev.data.ptr = c;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0)
        die("epoll_ctl");
    return c;
}

static int bound(int type, int port)
{
    int s = socket(AF_INET, type | SOCK_NONBLOCK, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port)};

    if (s < 0)
        die("socket");
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0)
        die("bind");
    if (type == SOCK_STREAM && listen(s, 1024) != 0)
        die("listen");
    return s;
}

static void drop(struct conn *c)
{
    close(c->fd);
    free(c);
}

/* Echo: read while the previous read is written out. */
static void echo(struct conn *c)
{
    for (;;) {
        while (c->pending > 0) {
            ssize_t w = send(c->fd, c->buf + c->off, c->pending,
                             MSG_NOSIGNAL);
            if (w < 0) {
                if (errno == EAGAIN)
                    return; /* EPOLLOUT brings us back */
                drop(c);
                return;
            }
            c->off += (size_t)w;
            c->pending -= (size_t)w;
        }
        ssize_t r = recv(c->fd, c->buf, sizeof c->buf, 0);
        if (r <= 0) {
            if (r < 0 && errno == EAGAIN)
                return;
            drop(c);
            return;
        }
        c->pending = (size_t)r;
        c->off = 0;
    }
}

/* Source: write until the socket is full; a failed write (the peer
 * closed) ends it. */
static void source(struct conn *c)
{
    static const char zeros[BUF];

    for (;;) {
        ssize_t w = send(c->fd, zeros, sizeof zeros, MSG_NOSIGNAL);

        if (w > 0)
            continue;
        if (w < 0 && errno == EAGAIN)
            return;
        drop(c);
        return;
    }
}

static enum kind served(enum kind listener)
{
    return listener == ECHO_LISTEN      ? ECHO
           : listener == DISCARD_LISTEN ? DISCARD
                                        : SOURCE;
}

int main(void)
{
    static char dbuf[BUF];
    struct epoll_event ev[MAXEV];

    ep = epoll_create1(0);
    if (ep < 0)
        die("epoll_create1");
    add(bound(SOCK_STREAM, 7), ECHO_LISTEN, EPOLLIN);
    add(bound(SOCK_STREAM, 9), DISCARD_LISTEN, EPOLLIN);
    add(bound(SOCK_STREAM, 19), SOURCE_LISTEN, EPOLLIN);
    add(bound(SOCK_DGRAM, 7), UDP, EPOLLIN);
    printf("linux_echo: ready\n");
    fflush(stdout);
    for (;;) {
        int n = epoll_wait(ep, ev, MAXEV, -1);

        if (n < 0 && errno != EINTR)
            die("epoll_wait");
        for (int i = 0; i < n; i++) {
            struct conn *c = ev[i].data.ptr;
            int fd;

            switch (c->kind) {
            case ECHO_LISTEN:
            case DISCARD_LISTEN:
            case SOURCE_LISTEN:
                while ((fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK)) >= 0)
                    add(fd, served(c->kind), EPOLLIN | EPOLLOUT | EPOLLET);
                break;
            case SOURCE:
                source(c);
                break;
            case UDP:
                for (;;) {
                    struct sockaddr_in from;
                    socklen_t len = sizeof from;
                    ssize_t r = recvfrom(c->fd, dbuf, sizeof dbuf, 0,
                                         (struct sockaddr *)&from, &len);
                    if (r < 0)
                        break;
                    sendto(c->fd, dbuf, (size_t)r, 0,
                           (struct sockaddr *)&from, len);
                }
                break;
            case ECHO:
                echo(c);
                break;
            case DISCARD:
                for (;;) {
                    ssize_t r = recv(c->fd, dbuf, sizeof dbuf, 0);
                    if (r > 0)
                        continue;
                    if (r < 0 && errno == EAGAIN)
                        break;
                    drop(c);
                    break;
                }
                break;
            }
        }
    }
}
