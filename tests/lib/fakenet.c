/*
 * The capturing network device of fakenet.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/rt/rt_internal.h"
#include "fakenet.h"

#define ETH_HEADER 14

static struct t_dev *devs[T_MAX_DEVS];
static int ndevs;
static struct t_dev *wire_a, *wire_b;
static t_loss_fn wire_loss;
static void *wire_arg;

void t_wire(struct t_dev *a, struct t_dev *b, t_loss_fn loss, void *arg)
{
    wire_a = a;
    wire_b = b;
    wire_loss = loss;
    wire_arg = arg;
}

static void wire_yield(atoll_time_t deadline, atoll_handle_set_t *ready)
{
    atoll_time_t next;
    size_t moved = 0;

    if (ready != NULL)
        *ready = 0;
    if (wire_a != NULL) {
        atoll_netif_flush(wire_a->nif);
        atoll_netif_flush(wire_b->nif);
        moved = t_pump(wire_a, wire_b, wire_loss, wire_arg);
    }
    if (moved > 0 || deadline <= t_now)
        return;
    if (rt_timers_next(&next) && next < deadline)
        deadline = next;
    if (deadline == UINT64_MAX) {
        printf("# atoll_yield: nothing will ever happen\n");
        fflush(stdout);
        abort();
    }
    if (deadline > t_now)
        t_now = deadline;
}

void t_timers(void)
{
    atoll_time_t next;

    /* Timers armed by timers for "now" run in the same call. */
    for (int i = 0; i < 1000 && rt_timers_next(&next) && next <= t_now; i++)
        rt_timers_run(t_now);
}

void t_advance(atoll_time_t ns)
{
    atoll_time_t end = t_now + ns;

    while (t_now < end) {
        atoll_time_t next, step = end - t_now;

        if (step > 10000000)
            step = 10000000;
        if (rt_timers_next(&next) && next > t_now && next - t_now < step)
            step = next - t_now;
        t_now += step;
        t_timers();
        for (int i = 0; i < ndevs; i++)
            atoll_netif_flush(devs[i]->nif);
    }
    t_timers();
}

/* ---- devices ---------------------------------------------------------- */

void t_mac(uint8_t mac[6], unsigned nn)
{
    static const uint8_t base[6] = {2, 0, 0, 0, 0, 0};

    memcpy(mac, base, 6);
    mac[5] = (uint8_t)nn;
}

static int capture(void *ctx, const void *frame, size_t len)
{
    struct t_dev *d = ctx;
    struct t_frame *f;

    size_t head = 0, max = d->dev.mtu + ETH_HEADER;

    if (d->fail)
        return -1;
    /* A VNET device's frames: a virtio-net header first; TCP segments of
     * up to 64 KB when the header asks for segmentation (byte 1). */
    if (d->dev.features & ATOLL_NETDEV_VNET) {
        head = ATOLL_NET_VNET_HLEN;
        max = len > head && ((const uint8_t *)frame)[1] != 0
                  ? ATOLL_NET_VNET_FRAME_MAX
                  : head + max;
    }
    if (len < head + ETH_HEADER || len > max) {
        printf("# transmit of %zu bytes with mtu %zu\n", len, d->dev.mtu);
        abort(); /* the stack must never do this */
    }
    f = malloc(sizeof *f + len);
    if (f == NULL)
        abort();
    f->next = NULL;
    f->len = len;
    memcpy(f->data, frame, len);
    if (d->tail != NULL)
        d->tail->next = f;
    else
        d->head = f;
    d->tail = f;
    d->count++;
    return 0;
}

struct t_dev *t_dev_new(unsigned nn, bool configure, bool gw)
{
    return t_dev_new_with(nn, configure, gw, 0);
}

struct t_dev *t_dev_new_with(unsigned nn, bool configure, bool gw,
                             uint32_t features)
{
    struct t_dev *d = calloc(1, sizeof *d);

    if (d == NULL || ndevs == T_MAX_DEVS)
        abort();
    t_mac(d->dev.mac, nn);
    d->dev.mtu = 1500;
    d->dev.transmit = capture;
    d->dev.ctx = d;
    d->dev.features = features;
    d->nif = atoll_netif_create(&d->dev);
    if (d->nif == NULL)
        abort();
    if (configure) {
        struct atoll_ip4_config c = {T_IP(nn), 24, gw ? T_IP(1) : 0};

        if (atoll_netif_set_ipv4(d->nif, &c) != 0)
            abort();
        t_drain(d); /* the gratuitous ARP */
    }
    devs[ndevs++] = d;
    return d;
}

struct t_frame *t_pop(struct t_dev *d)
{
    struct t_frame *f = d->head;

    if (f == NULL)
        return NULL;
    d->head = f->next;
    if (d->head == NULL)
        d->tail = NULL;
    d->count--;
    f->next = NULL;
    return f;
}

void t_drain(struct t_dev *d)
{
    struct t_frame *f;

    while ((f = t_pop(d)) != NULL)
        free(f);
}

size_t t_pump(struct t_dev *a, struct t_dev *b, t_loss_fn loss, void *arg)
{
    size_t n = 0;

    for (int round = 0; round < 100000 && (a->count || b->count); round++) {
        for (int dir = 0; dir < 2; dir++) {
            struct t_dev *from = dir ? b : a, *to = dir ? a : b;
            size_t k = from->count;

            for (size_t i = 0; i < k; i++) {
                struct t_frame *f = t_pop(from);

                if (loss == NULL || !loss(from, f, arg)) {
                    atoll_netif_input(to->nif, f->data, f->len);
                    n++;
                }
                free(f);
            }
            atoll_netif_flush(to->nif);
        }
    }
    return n;
}

void t_run(struct t_dev *a, struct t_dev *b, atoll_time_t ns,
           atoll_time_t step, t_loss_fn loss, void *arg)
{
    atoll_time_t end = t_now + ns;

    t_pump(a, b, loss, arg);
    while (t_now < end) {
        atoll_time_t next, s = end - t_now < step ? end - t_now : step;

        /* Jump straight to the next timer when it comes first. */
        if (rt_timers_next(&next) && next > t_now && next - t_now < s)
            s = next - t_now;
        t_now += s;
        t_timers();
        atoll_netif_flush(a->nif);
        atoll_netif_flush(b->nif);
        t_pump(a, b, loss, arg);
    }
}

void t_input(struct t_dev *d, const void *frame, size_t len)
{
    atoll_netif_input(d->nif, frame, len);
    atoll_netif_flush(d->nif);
}

void t_net_reset(void)
{
    t_now = 1000000000000ull;
    t_set_yield(wire_yield);
}

void t_net_cleanup(void)
{
    atoll_time_t next;

    for (int i = 0; i < ndevs; i++) {
        atoll_netif_destroy(devs[i]->nif);
        t_drain(devs[i]);
        free(devs[i]);
    }
    ndevs = 0;
    wire_a = wire_b = NULL;
    /* Nothing may stay armed once every interface is gone (but timers
     * due now, like lib/fiber's wakeup poke, may run). */
    t_timers();
    if (rt_timers_next(&next)) {
        printf("# a timer outlived its interface\n");
        fflush(stdout);
        abort();
    }
}
