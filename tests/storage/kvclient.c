/*
 * kvclient: the host side of the kv-over-TCP tests (tests/storage/run.sh)
 * and of bench/kv's network figure, talking examples/kv's line protocol
 * (examples/kv/README.md) from inside the test's network namespace.
 *
 *   kvclient load ADDR PORT CLIENTS ROUNDS OUTDIR
 *       CLIENTS concurrent connections, each with its own keys (one of
 *       them full of bytes that need escaping), do ROUNDS random requests:
 *       PUT of random binary values (up to 64 KiB, one of 1 MiB), GET
 *       checked against what the client knows it wrote, DEL, and BEGIN ...
 *       COMMIT batches; then every key is read back and LISTed. OUTDIR
 *       gets the final state for comparison with `atoll-kv` on the image:
 *       "ls" (as `atoll-kv ls` prints it), "gets" (lines KEY<TAB>FILE,
 *       KEY escaped for atoll-kv) and the value files.
 *   kvclient flood ADDR PORT CONNS
 *       open CONNS connections at once and send PING on each; each must
 *       answer PONG or "ERR too many connections". All stay open until
 *       every one has answered. Prints the counts.
 *   kvclient bench ADDR PORT CONNS SECONDS SIZE
 *       CONNS connections each PUT (a commit each) SIZE-byte values for
 *       SECONDS, over up to 1000 keys of their own (4 MiB of values at
 *       most), then GET them for SECONDS; prints operations per second.
 *   kvclient slow ADDR PORT CONNS SIZE SECONDS
 *       CONNS connections each send "PUT slowN SIZE" and 10 bytes of the
 *       value, then nothing; meanwhile another connection PUTs a SIZE-byte
 *       value and GETs it back, each of which must finish within a
 *       second, and so must a GET while two more connections stop three
 *       quarters into their values; then every slow connection must be
 *       cut off (an ERR line,
 *       or closed) between SECONDS - 0.5 and SECONDS + 3 after it began
 *       (the server's --body-timeout=SECONDS). Prints the times.
 *
 * Exit 0 on success, 1 with a one-line reason on stderr otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NKEYS 8
#define BIG (1u << 20)

static struct sockaddr_in server;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((format(printf, 1, 2), noreturn))
static void die(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "kvclient: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    exit(1);
}

/* ---- a connection ------------------------------------------------------- */

struct conn {
    int fd;
    int id;
    char in[65536];
    size_t off, have;
};

static void conn_open(struct conn *c, int id)
{
    struct timeval tv = {60, 0};
    int one = 1;

    c->id = id;
    c->off = c->have = 0;
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0)
        die("socket: %s", strerror(errno));
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&server, sizeof server) != 0)
        die("client %d: connect: %s", id, strerror(errno));
}

static void send_all(struct conn *c, const void *p, size_t n)
{
    const char *s = p;

    while (n > 0) {
        ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            die("client %d: send: %s", c->id, strerror(errno));
        s += w;
        n -= (size_t)w;
    }
}

static bool fill(struct conn *c)
{
    ssize_t r;

    if (c->off == c->have)
        c->off = c->have = 0;
    if (c->have == sizeof c->in) {
        memmove(c->in, c->in + c->off, c->have - c->off);
        c->have -= c->off;
        c->off = 0;
    }
    do
        r = recv(c->fd, c->in + c->have, sizeof c->in - c->have, 0);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        die("client %d: recv: %s", c->id, strerror(errno));
    if (r == 0)
        return false;
    c->have += (size_t)r;
    return true;
}

/* The next reply line into buf (NUL-terminated, newline dropped). */
static void get_line(struct conn *c, char *buf, size_t size)
{
    for (;;) {
        char *nl = memchr(c->in + c->off, '\n', c->have - c->off);
        if (nl != NULL) {
            size_t n = (size_t)(nl - (c->in + c->off));
            if (n >= size)
                die("client %d: reply line of %zu bytes", c->id, n);
            memcpy(buf, c->in + c->off, n);
            buf[n] = '\0';
            c->off += n + 1;
            return;
        }
        if (c->have - c->off >= size)
            die("client %d: reply line too long", c->id);
        if (!fill(c))
            die("client %d: the server closed the connection", c->id);
    }
}

static void get_bytes(struct conn *c, uint8_t *dst, size_t n)
{
    while (n > 0) {
        size_t k = c->have - c->off;
        if (k == 0) {
            if (!fill(c))
                die("client %d: the server closed the connection in a "
                    "value", c->id);
            continue;
        }
        if (k > n)
            k = n;
        memcpy(dst, c->in + c->off, k);
        c->off += k;
        dst += k;
        n -= k;
    }
}

static void expect(struct conn *c, const char *want, const char *what)
{
    char line[1200];

    get_line(c, line, sizeof line);
    if (strcmp(line, want) != 0)
        die("client %d: %s: got '%s', want '%s'", c->id, what, line, want);
}

/* ---- keys and values ---------------------------------------------------- */

struct key {
    uint8_t k[64];
    size_t klen;
    bool present;
    uint8_t *v;
    size_t vlen;
};

/* The protocol's escaping (%XX). */
static void proto_key(const struct key *k, char *out)
{
    for (size_t i = 0; i < k->klen; i++) {
        uint8_t b = k->k[i];
        if (b > 0x20 && b < 0x7f && b != '%')
            *out++ = (char)b;
        else
            out += sprintf(out, "%%%02X", b);
    }
    *out = '\0';
}

/* atoll-kv's escaping (\xHH, \\). */
static void tool_key(FILE *f, const uint8_t *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (k[i] == '\\')
            fputs("\\\\", f);
        else if (k[i] > 0x20 && k[i] < 0x7f)
            fputc(k[i], f);
        else
            fprintf(f, "\\x%02x", k[i]);
    }
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* ---- load --------------------------------------------------------------- */

struct client {
    pthread_t thread;
    int id, rounds;
    uint64_t rng;
    struct key keys[NKEYS];
    uint64_t puts, gets, dels, batches;
};

static void do_put(struct conn *c, struct client *cl, struct key *k,
                   size_t len, bool in_batch)
{
    char hdr[300], pk[200];

    free(k->v);
    k->v = malloc(len > 0 ? len : 1);
    if (k->v == NULL)
        die("out of memory");
    for (size_t i = 0; i < len; i++)
        k->v[i] = (uint8_t)rnd(&cl->rng);
    /* Values ending in what looks like the protocol's terminators. */
    if (len >= 2 && rnd(&cl->rng) % 4 == 0) {
        k->v[len - 2] = '\r';
        k->v[len - 1] = '\n';
    }
    k->vlen = len;
    k->present = true;
    proto_key(k, pk);
    snprintf(hdr, sizeof hdr, "PUT %s %zu\n", pk, len);
    send_all(c, hdr, strlen(hdr));
    send_all(c, k->v, len);
    send_all(c, "\n", 1);
    if (!in_batch) {
        expect(c, "OK", "PUT");
        cl->puts++;
    }
}

static void check_get(struct conn *c, struct client *cl, struct key *k)
{
    char req[300], pk[200], line[1200], want[64];
    uint8_t *buf;
    size_t n;

    proto_key(k, pk);
    snprintf(req, sizeof req, "GET %s\n", pk);
    send_all(c, req, strlen(req));
    cl->gets++;
    get_line(c, line, sizeof line);
    if (!k->present) {
        if (strcmp(line, "NOTFOUND") != 0)
            die("client %d: GET %s of a deleted key: '%s'", c->id, pk, line);
        return;
    }
    snprintf(want, sizeof want, "VALUE %zu", k->vlen);
    if (strcmp(line, want) != 0)
        die("client %d: GET %s: got '%s', want '%s'", c->id, pk, line, want);
    n = k->vlen;
    buf = malloc(n + 1);
    if (buf == NULL)
        die("out of memory");
    get_bytes(c, buf, n + 1);
    if (memcmp(buf, k->v, n) != 0 || buf[n] != '\n')
        die("client %d: GET %s: the value differs", c->id, pk);
    free(buf);
}

static void do_del(struct conn *c, struct client *cl, struct key *k,
                   bool in_batch)
{
    char req[300], pk[200];

    proto_key(k, pk);
    snprintf(req, sizeof req, "DEL %s\n", pk);
    send_all(c, req, strlen(req));
    if (!in_batch) {
        expect(c, k->present ? "OK" : "NOTFOUND", "DEL");
        cl->dels++;
    }
    k->present = false;
}

static size_t pick_len(struct client *cl, int round)
{
    uint64_t r = rnd(&cl->rng);

    if (cl->id == 0 && round == cl->rounds / 2)
        return BIG; /* the largest value the store takes */
    if (r % 8 == 0)
        return (size_t)(rnd(&cl->rng) % 65536);
    if (r % 8 == 1)
        return 0;
    return (size_t)(rnd(&cl->rng) % 2000);
}

static void *load_client(void *arg)
{
    struct client *cl = arg;
    struct conn *c = malloc(sizeof *c);
    char pk[200], want[300];

    if (c == NULL)
        die("out of memory");
    for (int j = 0; j < NKEYS; j++) {
        struct key *k = &cl->keys[j];
        if (j == 0) {
            /* Every kind of byte the escaping must carry. */
            static const uint8_t odd[] = {' ', '%', 0, 0xff, '\n', '\r',
                                          '\\', '\t', 0x7f};
            k->klen = (size_t)sprintf((char *)k->k, "c%02d/", cl->id);
            memcpy(k->k + k->klen, odd, sizeof odd);
            k->klen += sizeof odd;
        } else {
            k->klen = (size_t)sprintf((char *)k->k, "c%02d/k%d", cl->id, j);
        }
    }
    conn_open(c, cl->id);
    for (int r = 0; r < cl->rounds; r++) {
        struct key *k = &cl->keys[rnd(&cl->rng) % NKEYS];
        unsigned op = (unsigned)(rnd(&cl->rng) % 10);

        if (op <= 5) {
            do_put(c, cl, k, pick_len(cl, r), false);
            if (op % 2 == 0)
                check_get(c, cl, k);
        } else if (op <= 7) {
            check_get(c, cl, k);
        } else if (op == 8) {
            do_del(c, cl, k, false);
        } else {
            struct key *k2 = &cl->keys[rnd(&cl->rng) % NKEYS];
            struct key *k3 = &cl->keys[rnd(&cl->rng) % NKEYS];
            send_all(c, "BEGIN\n", 6);
            expect(c, "OK", "BEGIN");
            do_put(c, cl, k, pick_len(cl, r) % 4096, true);
            expect(c, "QUEUED", "PUT in a batch");
            do_put(c, cl, k2, pick_len(cl, r) % 4096, true);
            expect(c, "QUEUED", "PUT in a batch");
            do_del(c, cl, k3, true);
            expect(c, "QUEUED", "DEL in a batch");
            send_all(c, "COMMIT\n", 7);
            expect(c, "OK 3", "COMMIT");
            cl->batches++;
        }
    }
    for (int j = 0; j < NKEYS; j++)
        check_get(c, cl, &cl->keys[j]);
    /* LIST of this client's prefix: its present keys in byte order. */
    snprintf(want, sizeof want, "LIST c%02d/\n", cl->id);
    send_all(c, want, strlen(want));
    {
        int order[NKEYS], n = 0;
        for (int j = 0; j < NKEYS; j++)
            if (cl->keys[j].present)
                order[n++] = j;
        for (int a = 1; a < n; a++) /* insertion sort by key bytes */
            for (int b = a; b > 0; b--) {
                struct key *x = &cl->keys[order[b - 1]];
                struct key *y = &cl->keys[order[b]];
                size_t m = x->klen < y->klen ? x->klen : y->klen;
                int d = memcmp(x->k, y->k, m);
                if (d < 0 || (d == 0 && x->klen <= y->klen))
                    break;
                int t = order[b];
                order[b] = order[b - 1];
                order[b - 1] = t;
            }
        for (int i = 0; i < n; i++) {
            struct key *k = &cl->keys[order[i]];
            proto_key(k, pk);
            snprintf(want, sizeof want, "KEY %s %zu", pk, k->vlen);
            expect(c, want, "LIST");
        }
        snprintf(want, sizeof want, "END %d", n);
        expect(c, want, "LIST end");
    }
    send_all(c, "QUIT\n", 5);
    expect(c, "BYE", "QUIT");
    /* Then the server closes. */
    if (fill(c))
        die("client %d: data after BYE", c->id);
    close(c->fd);
    free(c);
    return NULL;
}

static int keycmp(const void *a, const void *b)
{
    const struct key *x = *(struct key *const *)a, *y = *(struct key *const *)b;
    size_t m = x->klen < y->klen ? x->klen : y->klen;
    int d = memcmp(x->k, y->k, m);

    if (d != 0)
        return d;
    return x->klen < y->klen ? -1 : x->klen > y->klen;
}

static int load(int nclients, int rounds, const char *outdir)
{
    struct client *cl = calloc((size_t)nclients, sizeof *cl);
    struct key **all = calloc((size_t)nclients * NKEYS, sizeof *all);
    uint64_t puts = 0, gets = 0, dels = 0, batches = 0;
    size_t n = 0;
    char path[4096];
    FILE *ls, *gets_f;
    double t0;

    if (cl == NULL || all == NULL)
        die("out of memory");
    t0 = now();
    for (int i = 0; i < nclients; i++) {
        cl[i].id = i;
        cl[i].rounds = rounds;
        cl[i].rng = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1) | 1;
        if (pthread_create(&cl[i].thread, NULL, load_client, &cl[i]) != 0)
            die("pthread_create failed");
    }
    for (int i = 0; i < nclients; i++) {
        pthread_join(cl[i].thread, NULL);
        puts += cl[i].puts;
        gets += cl[i].gets;
        dels += cl[i].dels;
        batches += cl[i].batches;
        for (int j = 0; j < NKEYS; j++)
            if (cl[i].keys[j].present)
                all[n++] = &cl[i].keys[j];
    }
    t0 = now() - t0;
    qsort(all, n, sizeof *all, keycmp);
    mkdir(outdir, 0755);
    snprintf(path, sizeof path, "%s/ls", outdir);
    ls = fopen(path, "w");
    snprintf(path, sizeof path, "%s/gets", outdir);
    gets_f = fopen(path, "w");
    if (ls == NULL || gets_f == NULL)
        die("%s: %s", outdir, strerror(errno));
    for (size_t i = 0; i < n; i++) {
        FILE *v;
        tool_key(ls, all[i]->k, all[i]->klen);
        fprintf(ls, "\t%zu\n", all[i]->vlen);
        snprintf(path, sizeof path, "%s/v%zu", outdir, i);
        tool_key(gets_f, all[i]->k, all[i]->klen);
        fprintf(gets_f, "\t%s\n", path);
        if ((v = fopen(path, "w")) == NULL ||
            fwrite(all[i]->v, 1, all[i]->vlen, v) != all[i]->vlen ||
            fclose(v) != 0)
            die("%s: %s", path, strerror(errno));
    }
    fclose(ls);
    fclose(gets_f);
    printf("ok: %d clients, %llu puts, %llu gets, %llu dels, %llu batches "
           "in %.2f s (%.0f requests/s), %zu keys left\n", nclients,
           (unsigned long long)puts, (unsigned long long)gets,
           (unsigned long long)dels, (unsigned long long)batches, t0,
           (double)(puts + gets + dels + batches) / t0, n);
    return 0;
}

/* ---- flood -------------------------------------------------------------- */

static int flood(int nconns)
{
    struct pollfd *p = calloc((size_t)nconns, sizeof *p);
    char (*got)[64] = calloc((size_t)nconns, 64);
    size_t *glen = calloc((size_t)nconns, sizeof *glen);
    int pong = 0, busy = 0, left = nconns;
    double deadline = now() + 60;

    if (p == NULL || got == NULL || glen == NULL)
        die("out of memory");
    for (int i = 0; i < nconns; i++) {
        p[i].fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (p[i].fd < 0)
            die("socket: %s", strerror(errno));
        if (connect(p[i].fd, (struct sockaddr *)&server, sizeof server) != 0
            && errno != EINPROGRESS)
            die("connect: %s", strerror(errno));
        p[i].events = POLLOUT;
    }
    while (left > 0) {
        int n = poll(p, (nfds_t)nconns, 1000);
        if (n < 0 && errno != EINTR)
            die("poll: %s", strerror(errno));
        if (now() > deadline)
            die("%d of %d connections did not answer in 60 s", left, nconns);
        for (int i = 0; i < nconns && n > 0; i++) {
            if (p[i].revents == 0)
                continue;
            if (p[i].events == POLLOUT) {
                int err = 0;
                socklen_t el = sizeof err;
                getsockopt(p[i].fd, SOL_SOCKET, SO_ERROR, &err, &el);
                if (err != 0)
                    die("connection %d: %s", i, strerror(err));
                if (send(p[i].fd, "PING\n", 5, MSG_NOSIGNAL) != 5)
                    die("connection %d: send: %s", i, strerror(errno));
                p[i].events = POLLIN;
                continue;
            }
            ssize_t r = recv(p[i].fd, got[i] + glen[i], 63 - glen[i], 0);
            if (r <= 0)
                die("connection %d: %s before a whole answer ('%.*s')", i,
                    r == 0 ? "closed" : strerror(errno), (int)glen[i],
                    got[i]);
            glen[i] += (size_t)r;
            if (memchr(got[i], '\n', glen[i]) == NULL) {
                if (glen[i] == 63)
                    die("connection %d: answer too long", i);
                continue;
            }
            if (strncmp(got[i], "PONG\n", 5) == 0)
                pong++;
            else if (strncmp(got[i], "ERR too many connections\n", 25) == 0)
                busy++;
            else
                die("connection %d: answered '%.*s'", i, (int)glen[i],
                    got[i]);
            p[i].events = 0;
            p[i].fd = -p[i].fd - 1; /* poll ignores it, kept open */
            left--;
        }
    }
    for (int i = 0; i < nconns; i++)
        close(-p[i].fd - 1);
    printf("ok: %d connections: %d PONG, %d told too many connections\n",
           nconns, pong, busy);
    return 0;
}

/* ---- slow clients ------------------------------------------------------- */

static int slow(int nconns, size_t size, double secs)
{
    struct conn *sc = calloc((size_t)nconns, sizeof *sc);
    double *t0 = calloc((size_t)nconns, sizeof *t0);
    struct conn c;
    uint8_t *val = malloc(size), *got = malloc(size);
    char line[1200];
    struct conn heavy[2];
    double t, tput, tget, tget2, first = 1e9, last = 0;
    int errs = 0, closed = 0;

    if (sc == NULL || t0 == NULL || val == NULL || got == NULL)
        die("out of memory");
    for (size_t i = 0; i < size; i++)
        val[i] = (uint8_t)(i * 7 + 3);
    for (int i = 0; i < nconns; i++) {
        char req[64];
        int n = snprintf(req, sizeof req, "PUT slow%d %zu\n0123456789", i,
                         size);

        conn_open(&sc[i], 1000 + i);
        t0[i] = now();
        send_all(&sc[i], req, (size_t)n);
    }
    usleep(300000); /* the server has read them all */
    conn_open(&c, 0);
    snprintf(line, sizeof line, "PUT fast %zu\n", size);
    t = now();
    send_all(&c, line, strlen(line));
    send_all(&c, val, size);
    send_all(&c, "\n", 1);
    expect(&c, "OK", "PUT beside the slow clients");
    tput = now() - t;
    t = now();
    send_all(&c, "GET fast\n", 9);
    snprintf(line, sizeof line, "VALUE %zu", size);
    expect(&c, line, "GET beside the slow clients");
    get_bytes(&c, got, size);
    expect(&c, "", "the newline after the value");
    tget = now() - t;
    if (memcmp(got, val, size) != 0)
        die("GET beside the slow clients: the value differs");
    close(c.fd);
    if (tput > 1 || tget > 1)
        die("with %d slow clients: PUT took %.3f s, GET %.3f s (want 1 s "
            "at most)", nconns, tput, tget);
    /* Two more stop three quarters into their values, holding what PUTs
     * may hold: a GET still does not wait for them. */
    for (int i = 0; i < 2; i++) {
        size_t n = size * 3 / 4, done = 0;

        conn_open(&heavy[i], 2000 + i);
        snprintf(line, sizeof line, "PUT heavy%d %zu\n", i, size);
        send_all(&heavy[i], line, strlen(line));
        while (done < n) {
            ssize_t w = send(heavy[i].fd, val + done, n - done,
                             MSG_NOSIGNAL | MSG_DONTWAIT);
            if (w <= 0)
                break; /* the rest waits in no buffer of ours */
            done += (size_t)w;
        }
    }
    usleep(300000);
    conn_open(&c, 0);
    t = now();
    send_all(&c, "GET fast\n", 9);
    snprintf(line, sizeof line, "VALUE %zu", size);
    expect(&c, line, "GET beside the stalled large PUTs");
    get_bytes(&c, got, size);
    expect(&c, "", "the newline after the value");
    tget2 = now() - t;
    close(c.fd);
    close(heavy[0].fd);
    close(heavy[1].fd);
    if (tget2 > 1)
        die("GET beside two stalled large PUTs took %.3f s (want 1 s at "
            "most)", tget2);
    /* Each slow connection: an ERR line or the end, in time. */
    for (int i = 0; i < nconns; i++) {
        struct timeval tv = {(time_t)secs + 10, 0};
        ssize_t r;

        setsockopt(sc[i].fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        r = recv(sc[i].fd, line, sizeof line - 1, 0);
        t = now() - t0[i];
        if (r < 0 && errno != ECONNRESET)
            die("slow client %d: not cut off after %.1f s: %s", i, t,
                strerror(errno));
        if (r > 0) {
            line[r] = '\0';
            if (strncmp(line, "ERR ", 4) != 0)
                die("slow client %d: answered '%.60s'", i, line);
            errs++;
        } else {
            closed++;
        }
        if (t < secs - 0.5 || t > secs + 3)
            die("slow client %d: cut off after %.1f s, want about %.0f s "
                "('%.60s')", i, t, secs, r > 0 ? line : "closed");
        first = t < first ? t : first;
        last = t > last ? t : last;
        close(sc[i].fd);
    }
    printf("ok: %d slow PUTs held; beside them a %zu-byte PUT took %.3f s "
           "and its GET %.3f s (%.3f s beside two stalled large PUTs); the "
           "slow ones cut off after %.1f to %.1f s (%d ERR lines, %d "
           "closed)\n", nconns, size, tput, tget, tget2, first, last, errs,
           closed);
    free(sc);
    free(t0);
    free(val);
    free(got);
    return 0;
}

/* ---- bench -------------------------------------------------------------- */

struct bencher {
    pthread_t thread;
    int id;
    size_t size;
    double seconds;
    uint64_t puts, gets;
};

static void *bench_client(void *arg)
{
    struct bencher *b = arg;
    struct conn *c = malloc(sizeof *c);
    uint8_t *val = malloc(b->size + 1), *buf = malloc(b->size + 1);
    char hdr[100], want[40];
    uint64_t rng = (uint64_t)b->id * 0x9e3779b97f4a7c15ull | 1;
    /* Keys per connection: at most 4 MiB of values each. */
    uint64_t nkeys = (4u << 20) / (b->size > 0 ? b->size : 1);
    double end;

    if (nkeys > 1000)
        nkeys = 1000;
    if (nkeys < 1)
        nkeys = 1;
    if (c == NULL || val == NULL || buf == NULL)
        die("out of memory");
    memset(val, 'v', b->size);
    conn_open(c, b->id);
    end = now() + b->seconds;
    while (now() < end) {
        snprintf(hdr, sizeof hdr, "PUT b%d/%llu %zu\n", b->id,
                 (unsigned long long)(b->puts % nkeys), b->size);
        send_all(c, hdr, strlen(hdr));
        send_all(c, val, b->size);
        send_all(c, "\n", 1);
        expect(c, "OK", "PUT");
        b->puts++;
    }
    snprintf(want, sizeof want, "VALUE %zu", b->size);
    end = now() + b->seconds;
    while (now() < end) {
        uint64_t k = rnd(&rng) % (b->puts < nkeys ? b->puts : nkeys);
        snprintf(hdr, sizeof hdr, "GET b%d/%llu\n", b->id,
                 (unsigned long long)k);
        send_all(c, hdr, strlen(hdr));
        expect(c, want, "GET");
        get_bytes(c, buf, b->size + 1);
        b->gets++;
    }
    close(c->fd);
    free(c);
    free(val);
    free(buf);
    return NULL;
}

static int bench(int nconns, double seconds, size_t size)
{
    struct bencher *b = calloc((size_t)nconns, sizeof *b);
    uint64_t puts = 0, gets = 0;

    if (b == NULL)
        die("out of memory");
    for (int i = 0; i < nconns; i++) {
        b[i].id = i;
        b[i].size = size;
        b[i].seconds = seconds;
        if (pthread_create(&b[i].thread, NULL, bench_client, &b[i]) != 0)
            die("pthread_create failed");
    }
    for (int i = 0; i < nconns; i++) {
        pthread_join(b[i].thread, NULL);
        puts += b[i].puts;
        gets += b[i].gets;
    }
    printf("ok: %d connections, %zu-byte values: %.0f puts/s (a commit "
           "each), %.0f gets/s\n", nconns, size, (double)puts / seconds,
           (double)gets / seconds);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        die("usage: kvclient load|flood|bench ADDR PORT ...");
    server.sin_family = AF_INET;
    server.sin_port = htons((uint16_t)atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &server.sin_addr) != 1)
        die("bad address '%s'", argv[2]);
    if (strcmp(argv[1], "load") == 0 && argc == 7)
        return load(atoi(argv[4]), atoi(argv[5]), argv[6]);
    if (strcmp(argv[1], "flood") == 0 && argc == 5)
        return flood(atoi(argv[4]));
    if (strcmp(argv[1], "slow") == 0 && argc == 7)
        return slow(atoi(argv[4]), (size_t)strtoul(argv[5], NULL, 10),
                    atof(argv[6]));
    if (strcmp(argv[1], "bench") == 0 && argc == 7)
        return bench(atoi(argv[4]), atof(argv[5]),
                     (size_t)strtoul(argv[6], NULL, 10));
    die("usage: kvclient load ADDR PORT CLIENTS ROUNDS OUTDIR | flood ADDR "
        "PORT CONNS | bench ADDR PORT CONNS SECONDS SIZE | slow ADDR PORT "
        "CONNS SIZE SECONDS");
}
