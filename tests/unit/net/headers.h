/*
 * Header builders for crafted frames (headers.c): Ethernet, IPv4, UDP and
 * ARP as the wire has them, with correct checksums. Nothing of the test
 * harness: lib/net's unit tests (through frames.h) and its fuzz targets
 * both build their frames with them.
 */
#ifndef NET_HEADERS_H
#define NET_HEADERS_H

#include <stddef.h>
#include <stdint.h>

/* Write an Ethernet header; returns 14. */
size_t t_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src,
             uint16_t type);
/* Write a 20-byte IPv4 header for payload_len bytes of proto. */
void t_ip4(uint8_t *p, uint32_t src, uint32_t dst, uint8_t proto,
           size_t payload_len, uint16_t id, uint16_t frag);
/* A UDP datagram with a correct checksum; returns its length. */
size_t t_udp(uint8_t *u, uint32_t src, uint32_t dst, uint16_t sport,
             uint16_t dport, const void *data, size_t len);
/* Fill an ARP packet (28 bytes) at a. */
void t_arp(uint8_t *a, uint16_t op, const uint8_t *sha, uint32_t spa,
           const uint8_t *tha, uint32_t tpa);

#endif
