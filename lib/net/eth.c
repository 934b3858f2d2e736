/*
 * Ethernet II: accept frames for our MAC address and broadcast, dispatch
 * by EtherType; on a VNET device, behind the virtio-net header (vnet.c).
 */
#include <string.h>

#include "net_internal.h"

const uint8_t net_bcast_mac[ATOLL_NET_ALEN] = {0xff, 0xff, 0xff,
                                               0xff, 0xff, 0xff};

void atoll_netif_input(struct atoll_netif *nif, const void *frame, size_t len)
{
    const uint8_t *f = frame;
    bool trusted = false;

    nif->stats.rx_frames++;
    if (nif->vnet) {
        int off = vnet_input(nif, f, len, &trusted);

        if (off < 0)
            return;
        f += off;
        len -= (size_t)off;
    }
    nif->rx_csum_ok = trusted;
    if (len < ETH_HLEN) {
        nif->stats.eth_short++;
        return;
    }
    if (memcmp(f + ETH_DST, nif->dev.mac, ATOLL_NET_ALEN) != 0 &&
        memcmp(f + ETH_DST, net_bcast_mac, ATOLL_NET_ALEN) != 0) {
        nif->stats.eth_not_for_us++;
        return;
    }
    switch (get16(f + ETH_TYPE)) {
    case ETH_TYPE_IP4:
        ip4_input(nif, f + ETH_HLEN, len - ETH_HLEN);
        break;
    case ETH_TYPE_ARP:
        arp_input(nif, f + ETH_HLEN, len - ETH_HLEN);
        break;
    default:
        nif->stats.eth_unknown_type++;
        break;
    }
}

void eth_output(struct atoll_netif *nif, uint8_t *frame, size_t len,
                const uint8_t *dst, uint16_t type)
{
    memcpy(frame + ETH_DST, dst, ATOLL_NET_ALEN);
    memcpy(frame + ETH_SRC, nif->dev.mac, ATOLL_NET_ALEN);
    put16(frame + ETH_TYPE, type);
    /* The virtio-net header is in the headroom already (NET_HEADROOM). */
    if (nif->vnet) {
        frame -= ATOLL_NET_VNET_HLEN;
        len += ATOLL_NET_VNET_HLEN;
    }
    if (nif->dev.transmit(nif->dev.ctx, frame, len) == 0)
        nif->stats.tx_frames++;
    else
        nif->stats.tx_errors++;
}
