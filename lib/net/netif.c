/*
 * Interfaces: creation, configuration, the random generator, counters.
 */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

void (*net_wake_hook)(void *fiber);

atoll_time_t net_now(void)
{
    return atoll_clock_monotonic();
}

/* xoroshiro128+ (Blackman and Vigna): fast, and only ever seeded from
 * atoll_entropy; anything an attacker must not guess goes through
 * atoll_siphash under nif->key instead. */
uint64_t net_random(struct atoll_netif *nif)
{
    uint64_t s0 = nif->rng[0], s1 = nif->rng[1];
    uint64_t r = s0 + s1;

    s1 ^= s0;
    nif->rng[0] = ((s0 << 24) | (s0 >> 40)) ^ s1 ^ (s1 << 16);
    nif->rng[1] = (s1 << 37) | (s1 >> 27);
    return r;
}

static void free_buffers(struct atoll_netif *nif)
{
    if (nif->tx != NULL)
        free(nif->tx - NET_HEADROOM);
    if (nif->frag != NULL)
        free(nif->frag - NET_HEADROOM);
}

struct atoll_netif *atoll_netif_create(const struct atoll_netdev *dev)
{
    struct atoll_netif *nif;

    if (dev == NULL || dev->transmit == NULL || dev->mtu < 68)
        return NULL;
    nif = calloc(1, sizeof *nif);
    if (nif == NULL)
        return NULL;
    nif->dev = *dev;
    nif->mtu = dev->mtu < IP4_MAX ? dev->mtu : IP4_MAX;
    nif->vnet = (dev->features & ATOLL_NETDEV_VNET) != 0;
    nif->tx_offload = nif->vnet &&
                      (dev->features & ATOLL_NETDEV_TX_OFFLOAD) != 0;
    /* The headroom of fragments stays zero: a plain frame (vnet.c). */
    nif->tx = calloc(1, NET_HEADROOM + ETH_HLEN + IP4_MAX);
    nif->frag = calloc(1, NET_HEADROOM + ETH_HLEN + nif->mtu);
    if (nif->tx == NULL || nif->frag == NULL)
        goto fail;
    nif->tx += NET_HEADROOM;
    nif->frag += NET_HEADROOM;
    atoll_entropy(nif->key, sizeof nif->key);
    atoll_entropy(nif->rng, sizeof nif->rng);
    nif->rng[0] |= 1; /* xoroshiro's state must not be all zero */
    nif->ip_id = (uint16_t)net_random(nif);
    nif->udp_eph = (uint16_t)net_random(nif);
    nif->icmp_err.tokens = ICMP_ERR_BURST;
    nif->icmp_err.last = net_now();
    atoll_timer_init(&nif->arp.timer);
    atoll_timer_init(&nif->reass.timer);
    if (tcp_init(nif) != 0)
        goto fail;
    return nif;
fail:
    free_buffers(nif);
    free(nif);
    return NULL;
}

void atoll_netif_destroy(struct atoll_netif *nif)
{
    if (nif == NULL)
        return;
    if (nif->on_destroy != NULL)
        nif->on_destroy(nif);
    dhcp_destroy(nif);
    tcp_destroy(nif);
    while (nif->udp != NULL)
        atoll_udp_close(nif->udp);
    arp_flush(nif);
    reass_flush(nif);
    free_buffers(nif);
    free(nif);
}

void atoll_netif_flush(struct atoll_netif *nif)
{
    tcp_flush(nif);
}

static uint32_t mask_of(unsigned prefix)
{
    return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

/* Addresses an interface may not take: 0/8, loopback, multicast and
 * class E, and the network or broadcast address of its own subnet. */
static bool usable_addr(uint32_t a, unsigned prefix)
{
    uint32_t m = mask_of(prefix);

    if ((a >> 24) == 0 || (a >> 24) == 127 || (a >> 28) >= 14)
        return false;
    if (prefix <= 30 && ((a & ~m) == 0 || (a & ~m) == ~m))
        return false;
    return true;
}

void netif_configure(struct atoll_netif *nif,
                     const struct atoll_ip4_config *cfg)
{
    uint32_t old = nif->ip.addr;
    char a[ATOLL_IP4_STRLEN], g[ATOLL_IP4_STRLEN];

    nif->ip = *cfg;
    nif->netmask = cfg->addr != 0 ? mask_of(cfg->prefix) : 0;
    if (old != cfg->addr) {
        arp_flush(nif);
        tcp_addr_changed(nif, old);
    }
    if (cfg->addr != 0) {
        atoll_log(ATOLL_LOG_INFO, "net: address %s/%u, gateway %s",
                  atoll_ip4_format(cfg->addr, a), cfg->prefix,
                  cfg->gateway != 0 ? atoll_ip4_format(cfg->gateway, g)
                                    : "none");
        arp_announce(nif);
    } else if (old != 0) {
        atoll_log(ATOLL_LOG_INFO, "net: address %s removed",
                  atoll_ip4_format(old, a));
    }
    if (nif->cfg_fn != NULL)
        nif->cfg_fn(nif, nif->cfg_arg);
    net_wake_all(&nif->cfg_waitq);
}

int atoll_netif_set_ipv4(struct atoll_netif *nif,
                         const struct atoll_ip4_config *cfg)
{
    if (cfg->addr != 0) {
        if (cfg->prefix > 32 || !usable_addr(cfg->addr, cfg->prefix))
            return ATOLL_ERR_INVAL;
        /* The gateway must be on the subnet (and not ourselves). */
        if (cfg->gateway != 0 &&
            (((cfg->gateway ^ cfg->addr) & mask_of(cfg->prefix)) != 0 ||
             cfg->gateway == cfg->addr))
            return ATOLL_ERR_INVAL;
    }
    dhcp_destroy(nif);
    netif_configure(nif, cfg);
    return 0;
}

void atoll_netif_get_ipv4(const struct atoll_netif *nif,
                          struct atoll_ip4_config *cfg)
{
    *cfg = nif->ip;
}

int atoll_netif_set_mtu(struct atoll_netif *nif, size_t mtu)
{
    if (mtu < 68 || mtu > nif->dev.mtu || mtu > IP4_MAX)
        return ATOLL_ERR_INVAL;
    nif->mtu = mtu;
    return 0;
}

size_t atoll_netif_mtu(const struct atoll_netif *nif)
{
    return nif->mtu;
}

void atoll_netif_set_config_handler(struct atoll_netif *nif,
                                    atoll_netif_fn fn, void *arg)
{
    nif->cfg_fn = fn;
    nif->cfg_arg = arg;
}

const struct atoll_net_stats *atoll_netif_stats(const struct atoll_netif *nif)
{
    return &nif->stats;
}
