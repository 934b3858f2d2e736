/*
 * Wire formats: byte offsets of the header fields lib/net reads and
 * writes (as lwIP's prot/ headers name them), with their lengths and
 * flags. Fields are loaded and stored with get16/get32/put16/put32
 * (net_internal.h): big-endian, no alignment assumed. Offsets are from
 * the start of each protocol's own header.
 */
#ifndef NET_WIRE_H
#define NET_WIRE_H

/* ---- Ethernet II ------------------------------------------------------ */

#define ETH_DST 0   /* 6 bytes */
#define ETH_SRC 6   /* 6 bytes */
#define ETH_TYPE 12 /* 16 bits */

/* ---- ARP for IPv4 over Ethernet (RFC 826) ----------------------------- */

#define ARP_HTYPE 0 /* 16 bits: 1, Ethernet */
#define ARP_PTYPE 2 /* 16 bits: ETH_TYPE_IP4 */
#define ARP_HLEN 4  /* 8 bits: hardware address length */
#define ARP_PLEN 5  /* 8 bits: protocol address length */
#define ARP_OP 6    /* 16 bits */
#define ARP_SHA 8   /* sender hardware address */
#define ARP_SPA 14  /* 32 bits: sender protocol address */
#define ARP_THA 18  /* target hardware address */
#define ARP_TPA 24  /* 32 bits: target protocol address */
#define ARP_HTYPE_ETHER 1
#define ARP_PLEN_IP4 4
#define ARP_LEN 28 /* for IPv4 over Ethernet */
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

/* ---- IPv4 (RFC 791) --------------------------------------------------- */

#define IP4_VHL 0    /* version (high 4 bits), header length in words */
#define IP4_TOS 1
#define IP4_LEN 2    /* 16 bits: total length */
#define IP4_ID 4     /* 16 bits */
#define IP4_FRAG 6   /* 16 bits: flags and fragment offset */
#define IP4_TTL 8
#define IP4_PROTO 9
#define IP4_CKSUM 10 /* 16 bits */
#define IP4_SRC 12   /* 32 bits */
#define IP4_DST 16   /* 32 bits */
#define IP4_VHL_DEFAULT 0x45 /* version 4, 20 bytes */
#define IP_FLAG_RESERVED 0x8000
#define IP_FLAG_DF 0x4000
#define IP_FLAG_MF 0x2000
#define IP_OFFSET_MASK 0x1fff

static inline unsigned ip4_version(const uint8_t *p)
{
    return p[IP4_VHL] >> 4;
}

/* Header length in bytes. */
static inline size_t ip4_hlen(const uint8_t *p)
{
    return (size_t)(p[IP4_VHL] & 0x0f) * 4;
}

/* ---- ICMP (RFC 792) --------------------------------------------------- */

#define ICMP_TYPE 0
#define ICMP_CODE 1
#define ICMP_CKSUM 2    /* 16 bits */
#define ICMP_ID 4       /* 16 bits: echo identifier */
#define ICMP_NEXT_MTU 6 /* 16 bits: in "fragmentation needed" (RFC 1191) */
#define ICMP_HLEN 8     /* then the quoted IPv4 header and 8 bytes */

/* ---- UDP (RFC 768) ---------------------------------------------------- */

#define UDP_SPORT 0 /* 16 bits each */
#define UDP_DPORT 2
#define UDP_LEN 4
#define UDP_CKSUM 6

/* ---- BOOTP/DHCP (RFC 951, RFC 2131) ------------------------------------ */

#define BOOTP_OP 0
#define BOOTP_HTYPE 1
#define BOOTP_HLEN 2
#define BOOTP_XID 4     /* 32 bits */
#define BOOTP_SECS 8    /* 16 bits */
#define BOOTP_FLAGS 10  /* 16 bits */
#define BOOTP_CIADDR 12 /* 32 bits: the client's address, if it has one */
#define BOOTP_YIADDR 16 /* 32 bits: "your" address, offered */
#define BOOTP_CHADDR 28 /* 16 bytes: the client's hardware address */
#define BOOTP_FIXED 236 /* op .. file: then the magic cookie */
#define BOOTP_OPTIONS (BOOTP_FIXED + 4)
#define BOOTP_REQUEST 1
#define BOOTP_REPLY 2
#define BOOTP_HTYPE_ETHER 1
#define BOOTP_FLAG_BROADCAST 0x8000
#define DHCP_MAGIC 0x63825363u

/* ---- TCP (RFC 9293) --------------------------------------------------- */

#define TCP_SPORT 0  /* 16 bits */
#define TCP_DPORT 2  /* 16 bits */
#define TCP_SEQ 4    /* 32 bits */
#define TCP_ACKNO 8  /* 32 bits */
#define TCP_OFF 12   /* data offset in words, high 4 bits */
#define TCP_FLAGS 13
#define TCP_WND 14   /* 16 bits */
#define TCP_CKSUM 16 /* 16 bits */
#define TCP_URP 18   /* 16 bits */
#define TCP_FLAGS_MASK 0x3f

/* Header length in bytes. */
static inline size_t tcp_hlen(const uint8_t *th)
{
    return (size_t)(th[TCP_OFF] >> 4) * 4;
}

/* Options: kind, length, value. */
#define TCP_OPT_END 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2       /* length 4 */
#define TCP_OPT_WSCALE 3    /* length 3 */
#define TCP_OPT_SACK_OK 4   /* length 2 */
#define TCP_OPT_SACK 5      /* length 2 + 8 per block */
#define TCP_OPT_TS 8        /* length 10 */
#define TCP_OPT_MSS_LEN 4
#define TCP_OPT_WSCALE_LEN 3
#define TCP_OPT_SACK_OK_LEN 2
#define TCP_OPT_TS_LEN 10
#define TCP_OPT_MAX 40 /* bytes of options a header holds */

/* ---- virtio-net header (struct virtio_net_hdr_v1) ---------------------- */

/* Little-endian, unlike everything above (get16le/put16le). */
#define VNET_FLAGS 0        /* 8 bits */
#define VNET_GSO_TYPE 1     /* 8 bits */
#define VNET_HDR_LEN 2      /* 16 bits: Ethernet + IP + TCP headers (GSO) */
#define VNET_GSO_SIZE 4     /* 16 bits: payload bytes per segment */
#define VNET_CSUM_START 6   /* 16 bits: from the Ethernet header */
#define VNET_CSUM_OFFSET 8  /* 16 bits: of the checksum, from csum_start */
#define VNET_NUM_BUFFERS 10 /* 16 bits: unused */
#define VNET_F_NEEDS_CSUM 1 /* checksum field holds the pseudo-header sum */
#define VNET_F_DATA_VALID 2 /* the host checked the checksum */
#define VNET_GSO_NONE 0
#define VNET_GSO_TCPV4 1
#define VNET_GSO_ECN 0x80

#endif
