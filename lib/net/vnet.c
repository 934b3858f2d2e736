/*
 * virtio-net headers on a VNET device (a TAP opened with IFF_VNET_HDR and
 * TUN_F_CSUM | TUN_F_TSO4): what the host says about each received frame
 * is checked before the stack relies on it, and transmitted TCP segments
 * get their partial checksum and segmentation request.
 *
 * A received header is either plain (flags 0, GSO none: the stack checks
 * every checksum), DATA_VALID (the host checked the TCP/UDP checksum), or
 * NEEDS_CSUM (the checksum field holds only the pseudo-header sum: the
 * host made the packet or took it apart and checked it), maybe with GSO
 * TCPv4 (a segment longer than the MTU that the host coalesced or its
 * TCP built, each piece at most gso_size bytes of payload). Anything else
 * is dropped and counted: a bad checksum state (unknown flags, both, a
 * checksum position that is not the TCP or UDP checksum of this packet),
 * a GSO type not asked for (only TCPv4 is), a frame over the MTU without
 * GSO or a GSO piece over the MSS the stack announces.
 */
#include <string.h>

#include "tcp.h"

/* The checksum position is that of the packet's own TCP or UDP header. */
static bool csum_place_ok(const uint8_t *f, size_t len, size_t start,
                          size_t off)
{
    const uint8_t *p = f + ETH_HLEN;
    size_t hlen;

    if (len < ETH_HLEN + IP4_HLEN || get16(f + ETH_TYPE) != ETH_TYPE_IP4 ||
        ip4_version(p) != 4)
        return false;
    hlen = ip4_hlen(p);
    if (start != ETH_HLEN + hlen || start + off + 2 > len)
        return false;
    if (p[IP4_PROTO] == IP_PROTO_TCP)
        return off == TCP_CKSUM;
    if (p[IP4_PROTO] == IP_PROTO_UDP)
        return off == UDP_CKSUM;
    return false;
}

static bool is_tcp4(const uint8_t *f, size_t len)
{
    return len >= ETH_HLEN + IP4_HLEN &&
           get16(f + ETH_TYPE) == ETH_TYPE_IP4 &&
           f[ETH_HLEN + IP4_PROTO] == IP_PROTO_TCP;
}

int vnet_input(struct atoll_netif *nif, const uint8_t *f, size_t len,
               bool *trusted)
{
    const uint8_t *h = f;
    uint8_t flags, gso;

    if (len < ATOLL_NET_VNET_HLEN + ETH_HLEN) {
        nif->stats.eth_short++;
        return -1;
    }
    flags = h[VNET_FLAGS];
    gso = h[VNET_GSO_TYPE];
    f += ATOLL_NET_VNET_HLEN;
    len -= ATOLL_NET_VNET_HLEN;
    if ((flags & ~(VNET_F_NEEDS_CSUM | VNET_F_DATA_VALID)) != 0 ||
        flags == (VNET_F_NEEDS_CSUM | VNET_F_DATA_VALID)) {
        nif->stats.vnet_bad_csum++;
        return -1;
    }
    if ((flags & VNET_F_NEEDS_CSUM) &&
        !csum_place_ok(f, len, get16le(h + VNET_CSUM_START),
                       get16le(h + VNET_CSUM_OFFSET))) {
        nif->stats.vnet_bad_csum++;
        return -1;
    }
    if (gso == VNET_GSO_NONE) {
        /* What the device's MTU lets through, as without the header. */
        if (len > nif->dev.mtu + ETH_HLEN) {
            nif->stats.vnet_too_big++;
            return -1;
        }
    } else if (gso == VNET_GSO_TCPV4) {
        /* Pieces of a TCP segment whose checksum the host computes. */
        uint16_t size = get16le(h + VNET_GSO_SIZE);

        if (!is_tcp4(f, len) || !(flags & VNET_F_NEEDS_CSUM)) {
            nif->stats.vnet_bad_gso++;
            return -1;
        }
        if (size == 0 || size > nif->mtu - IP4_HLEN - TCP_HLEN ||
            len > ATOLL_NET_VNET_FRAME_MAX - ATOLL_NET_VNET_HLEN) {
            nif->stats.vnet_too_big++;
            return -1;
        }
        nif->stats.vnet_gso_rx++;
    } else {
        nif->stats.vnet_bad_gso++;
        return -1;
    }
    *trusted = flags != 0;
    return ATOLL_NET_VNET_HLEN;
}

void vnet_output(struct atoll_netif *nif, uint8_t *frame, uint8_t proto,
                 size_t total)
{
    uint8_t *h = frame - ATOLL_NET_VNET_HLEN;
    const struct net_tx_offload *o = &nif->txo;

    memset(h, 0, ATOLL_NET_VNET_HLEN);
    if (!o->partial || proto != IP_PROTO_TCP)
        return;
    h[VNET_FLAGS] = VNET_F_NEEDS_CSUM;
    put16le(h + VNET_CSUM_START, ETH_HLEN + IP4_HLEN);
    put16le(h + VNET_CSUM_OFFSET, TCP_CKSUM);
    if (o->gso_size != 0 && total > nif->mtu) {
        h[VNET_GSO_TYPE] = VNET_GSO_TCPV4;
        put16le(h + VNET_HDR_LEN, (uint16_t)(ETH_HLEN + IP4_HLEN +
                                             o->l4_hlen));
        put16le(h + VNET_GSO_SIZE, o->gso_size);
        nif->stats.vnet_gso_tx++;
    }
}
