/*
 * lib/fiber and the blocking network API: fibers and their order, waits
 * with deadlines, echo over TCP with one fiber per connection, timeouts
 * of every blocking call, UDP, waiting for an address, blocking from the
 * main program, and the stack canary.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atoll/fiber.h"
#include "frames.h"

static char trace[64];
static size_t ntrace;

static void tracer(void *arg)
{
    const char *name = arg;

    for (int i = 0; i < 3; i++) {
        trace[ntrace++] = name[0];
        atoll_fiber_yield();
    }
}

static const char *round_robin(void)
{
    ntrace = 0;
    T_ASSERT(atoll_fiber_spawn(tracer, "a", 0) != NULL);
    T_ASSERT(atoll_fiber_spawn(tracer, "b", 0) != NULL);
    T_ASSERT(atoll_fiber_spawn(tracer, "c", ATOLL_FIBER_STACK_MIN) != NULL);
    T_ASSERT(atoll_fiber_count() == 3);
    atoll_fiber_run();
    trace[ntrace] = '\0';
    T_ASSERT(strcmp(trace, "abcabcabc") == 0);
    T_ASSERT(atoll_fiber_count() == 0);
    return NULL;
}

static struct atoll_fiber *sleeper;
static atoll_time_t woke_at;
static bool wait_result;

static void sleep_fiber(void *arg)
{
    (void)arg;
    atoll_fiber_sleep(3000 * MS);
    woke_at = t_now;
    /* A wait woken by another fiber returns true, before its deadline. */
    wait_result = atoll_fiber_wait(t_now + 10000 * MS);
    woke_at = t_now;
}

static void waker(void *arg)
{
    (void)arg;
    atoll_fiber_sleep(5000 * MS);
    atoll_fiber_wake(sleeper);
}

static const char *waits_and_deadlines(void)
{
    atoll_time_t start = t_now;

    sleeper = atoll_fiber_spawn(sleep_fiber, NULL, 0);
    T_ASSERT(atoll_fiber_spawn(waker, NULL, 0) != NULL);
    atoll_fiber_run();
    T_ASSERT(wait_result && woke_at == start + 5000 * MS);
    /* The main program waits too: a deadline, then false. */
    start = t_now;
    T_ASSERT(!atoll_fiber_wait(t_now + 700 * MS));
    T_ASSERT(t_now == start + 700 * MS);
    return NULL;
}

/* ---- TCP echo with one fiber per connection --------------------------- */

#define PORT 7
#define CLIENTS 20
#define BYTES 100000

struct world {
    struct t_dev *a, *b;
    struct atoll_tcp *l;
    int ok, failed, served;
};

static struct world w;

static void serve(void *arg)
{
    struct atoll_tcp *c = arg;
    uint8_t buf[3000];
    long n;

    while ((n = atoll_tcp_read(c, buf, sizeof buf, 60000 * MS)) > 0)
        if (atoll_tcp_write(c, buf, (size_t)n, 60000 * MS) != n)
            break;
    atoll_tcp_close(c);
    w.served++;
}

static void acceptor(void *arg)
{
    struct atoll_tcp *c;

    (void)arg;
    while (w.served + 0 < CLIENTS &&
           atoll_tcp_accept(w.l, &c, 2000 * MS) == 0)
        atoll_fiber_spawn(serve, c, 0);
}

static uint8_t pattern(size_t i, unsigned seed)
{
    return (uint8_t)(((uint32_t)i * 2654435761u) >> 13 ^ seed);
}

static void client(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    struct atoll_tcp *c;
    static uint8_t out[CLIENTS][BYTES];
    uint8_t in[4000];
    size_t got = 0;
    long n;

    if (atoll_tcp_dial(w.a->nif, T_IP(3), PORT, &c, 5000 * MS) != 0) {
        w.failed++;
        return;
    }
    for (size_t i = 0; i < BYTES; i++)
        out[seed][i] = pattern(i, seed);
    /* Write everything first: the server's echo must not stall on us. */
    if (atoll_tcp_write(c, out[seed], BYTES, 60000 * MS) != BYTES) {
        w.failed++;
        atoll_tcp_close(c);
        return;
    }
    atoll_tcp_shutdown(c);
    while ((n = atoll_tcp_read(c, in, sizeof in, 60000 * MS)) > 0) {
        for (long i = 0; i < n; i++)
            if (in[i] != pattern(got + (size_t)i, seed))
                n = -1000;
        if (n < 0)
            break;
        got += (size_t)n;
    }
    if (n == 0 && got == BYTES)
        w.ok++;
    else
        w.failed++;
    atoll_tcp_close(c);
}

static const char *tcp_echo_fibers(void)
{
    memset(&w, 0, sizeof w);
    w.a = t_dev_new(2, true, false);
    w.b = t_dev_new(3, true, false);
    t_wire(w.a, w.b, NULL, NULL);
    T_ASSERT(atoll_tcp_listen(w.b->nif, PORT, 0, &w.l) == 0);
    atoll_fiber_spawn(acceptor, NULL, 0);
    for (uintptr_t i = 0; i < CLIENTS; i++)
        atoll_fiber_spawn(client, (void *)i, 0);
    atoll_fiber_run();
    T_ASSERT(w.ok == CLIENTS && w.failed == 0 && w.served == CLIENTS);
    atoll_tcp_close(w.l);
    return NULL;
}

static int loss_counter;
static bool every_seventh(struct t_dev *from, const struct t_frame *f,
                          void *arg)
{
    (void)from;
    (void)arg;
    return get16(f->data + 12) == ETH_TYPE_IP4 && ++loss_counter % 7 == 0;
}

static const char *tcp_echo_fibers_lossy(void)
{
    memset(&w, 0, sizeof w);
    w.a = t_dev_new(2, true, false);
    w.b = t_dev_new(3, true, false);
    t_teach_arp(w.a, T_IP(3), w.b->dev.mac);
    t_teach_arp(w.b, T_IP(2), w.a->dev.mac);
    t_wire(w.a, w.b, every_seventh, NULL);
    T_ASSERT(atoll_tcp_listen(w.b->nif, PORT, 0, &w.l) == 0);
    atoll_fiber_spawn(acceptor, NULL, 0);
    for (uintptr_t i = 0; i < 5; i++)
        atoll_fiber_spawn(client, (void *)i, 0);
    w.served = CLIENTS - 5;
    atoll_fiber_run();
    T_ASSERT(w.ok == 5 && w.failed == 0);
    atoll_tcp_close(w.l);
    return NULL;
}

/* ---- timeouts and errors ---------------------------------------------- */

static bool drop_all(struct t_dev *from, const struct t_frame *f, void *arg)
{
    (void)from;
    (void)arg;
    return get16(f->data + 12) == ETH_TYPE_IP4;
}

static const char *timeouts(void)
{
    struct t_dev *a = t_dev_new(2, true, false), *b = t_dev_new(3, true, false);
    struct atoll_tcp *l, *c, *s;
    atoll_time_t start;
    char buf[10];

    t_wire(a, b, NULL, NULL);
    T_ASSERT(atoll_tcp_listen(b->nif, PORT, 0, &l) == 0);
    /* From the main program, no fiber needed. */
    start = t_now;
    T_ASSERT(atoll_tcp_accept(l, &s, 1500 * MS) == ATOLL_ERR_TIMEDOUT);
    T_ASSERT(t_now - start == 1500 * MS);
    T_ASSERT(atoll_tcp_accept(l, &s, 0) == ATOLL_ERR_TIMEDOUT);
    T_ASSERT(atoll_tcp_dial(a->nif, T_IP(3), 9, &c, 5000 * MS) ==
             ATOLL_ERR_CONNREFUSED);
    T_ASSERT(atoll_tcp_dial(a->nif, T_IP(3), PORT, &c, 5000 * MS) == 0);
    T_ASSERT(atoll_tcp_accept(l, &s, 5000 * MS) == 0);
    start = t_now;
    T_ASSERT(atoll_tcp_read(s, buf, sizeof buf, 2500 * MS) ==
             ATOLL_ERR_TIMEDOUT);
    T_ASSERT(t_now - start == 2500 * MS);
    T_ASSERT(atoll_tcp_write(c, "0123456789", 10, 1000 * MS) == 10);
    T_ASSERT(atoll_tcp_read(s, buf, sizeof buf, 1000 * MS) == 10);
    /* A full send buffer: write times out part way. */
    T_ASSERT(atoll_tcp_set_buffers(s, 4096, 4096) == 0);
    static uint8_t big[1 << 20];
    T_ASSERT(atoll_tcp_write(c, big, sizeof big, 3000 * MS) ==
             ATOLL_ERR_TIMEDOUT);
    /* A peer that vanished: dial times out. */
    t_wire(a, b, drop_all, NULL);
    start = t_now;
    struct atoll_tcp *c2;
    T_ASSERT(atoll_tcp_dial(a->nif, T_IP(3), PORT, &c2, 4000 * MS) ==
             ATOLL_ERR_TIMEDOUT);
    T_ASSERT(t_now - start == 4000 * MS);
    t_wire(a, b, NULL, NULL);
    /* Errors come through: the peer resets. */
    atoll_tcp_abort(s);
    T_ASSERT(atoll_tcp_read(c, buf, sizeof buf, 1000 * MS) ==
             ATOLL_ERR_CONNRESET);
    atoll_tcp_close(c);
    atoll_tcp_close(l);
    return NULL;
}

static void udp_sender(void *arg)
{
    struct atoll_udp *s = arg;

    atoll_fiber_sleep(1000 * MS);
    atoll_udp_sendto(s, T_IP(3), 53, "question", 8);
}

static void configure_later(void *arg)
{
    struct atoll_netif *nif = arg;
    struct atoll_ip4_config c = {T_IP(4), 24, 0};

    atoll_fiber_sleep(2000 * MS);
    atoll_netif_set_ipv4(nif, &c);
}

static const char *udp_and_configuration(void)
{
    struct t_dev *a = t_dev_new(2, true, false), *b = t_dev_new(3, true, false);
    struct atoll_udp *sa, *sb;
    char buf[32];
    atoll_ip4_t src;
    uint16_t port;
    atoll_time_t start = t_now;

    t_wire(a, b, NULL, NULL);
    T_ASSERT(atoll_udp_bind(a->nif, 0, &sa) == 0);
    T_ASSERT(atoll_udp_bind(b->nif, 53, &sb) == 0);
    T_ASSERT(atoll_udp_recvfrom(sb, buf, sizeof buf, &src, &port,
                                500 * MS) == ATOLL_ERR_TIMEDOUT);
    atoll_fiber_spawn(udp_sender, sa, 0);
    T_ASSERT(atoll_udp_recvfrom(sb, buf, sizeof buf, &src, &port,
                                5000 * MS) == 8);
    T_ASSERT(src == T_IP(2) && port == atoll_udp_port(sa) &&
             memcmp(buf, "question", 8) == 0);
    T_ASSERT(t_now - start >= 1500 * MS);
    /* An interface without an address, configured by another fiber. */
    struct t_dev *u = t_dev_new(4, false, false);
    T_ASSERT(atoll_netif_wait_configured(u->nif, 1000 * MS) ==
             ATOLL_ERR_TIMEDOUT);
    atoll_fiber_spawn(configure_later, u->nif, 0);
    T_ASSERT(atoll_netif_wait_configured(u->nif, ATOLL_NET_FOREVER) == 0);
    atoll_fiber_run();
    return NULL;
}

/* ---- many connections, each with a fiber ------------------------------ */

static int done_small;
static void small_client(void *arg)
{
    struct atoll_tcp *c;
    char buf[16];

    (void)arg;
    if (atoll_tcp_dial(w.a->nif, T_IP(3), PORT, &c, 30000 * MS) != 0)
        return;
    if (atoll_tcp_write(c, "ping", 4, 30000 * MS) == 4 &&
        atoll_tcp_shutdown(c) == 0 &&
        atoll_tcp_read(c, buf, sizeof buf, 30000 * MS) == 4 &&
        atoll_tcp_read(c, buf, sizeof buf, 30000 * MS) == 0)
        done_small++;
    atoll_tcp_close(c);
}

static void many_acceptor(void *arg)
{
    struct atoll_tcp *c;
    int n = (int)(uintptr_t)arg;

    for (int i = 0; i < n && atoll_tcp_accept(w.l, &c, 30000 * MS) == 0; i++)
        atoll_fiber_spawn(serve, c, 16384);
}

static const char *thousand_fibers(void)
{
    enum { N = 1000 };

    memset(&w, 0, sizeof w);
    done_small = 0;
    w.a = t_dev_new(2, true, false);
    w.b = t_dev_new(3, true, false);
    t_teach_arp(w.a, T_IP(3), w.b->dev.mac);
    t_teach_arp(w.b, T_IP(2), w.a->dev.mac);
    t_wire(w.a, w.b, NULL, NULL);
    T_ASSERT(atoll_tcp_listen(w.b->nif, PORT, N, &w.l) == 0);
    atoll_fiber_spawn(many_acceptor, (void *)(uintptr_t)N, 0);
    for (int i = 0; i < N; i++)
        T_ASSERT(atoll_fiber_spawn(small_client, NULL, 16384) != NULL);
    atoll_fiber_run();
    T_ASSERT(done_small == N && w.served == N);
    atoll_tcp_close(w.l);
    return NULL;
}

/* ---- the stack canary ------------------------------------------------- */

static int deep(int n)
{
    volatile char pad[512];

    pad[0] = (char)n;
    return n == 0 ? pad[0] : deep(n - 1) + pad[0];
}

static void overflow(void *arg)
{
    (void)arg;
    deep(100); /* 50 KiB of frames in an 8 KiB stack */
    atoll_fiber_yield();
}

static const char *stack_overflow_stops(void)
{
    pid_t pid = fork();
    int status;

    if (pid == 0) {
        /* Here AddressSanitizer sees the write below the stack's heap
         * block first; in a unikernel the canary check does. Either way
         * the program stops. */
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        atoll_fiber_spawn(overflow, NULL, ATOLL_FIBER_STACK_MIN);
        atoll_fiber_run();
        _exit(0);
    }
    T_ASSERT(pid > 0 && waitpid(pid, &status, 0) == pid);
    T_ASSERT(!WIFEXITED(status) || WEXITSTATUS(status) != 0);
    return NULL;
}

int main(int argc, char **argv)
{
    t_net_init(argc, argv);
    RUN(round_robin);
    RUN(waits_and_deadlines);
    RUN(tcp_echo_fibers);
    RUN(tcp_echo_fibers_lossy);
    RUN(timeouts);
    RUN(udp_and_configuration);
    RUN(thousand_fibers);
    RUN(stack_overflow_stops);
    return t_finish();
}
