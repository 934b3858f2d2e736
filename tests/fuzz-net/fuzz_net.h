/*
 * Shared parts of lib/net's libFuzzer targets.
 *
 * An input is a list of records, each [flags:1][len:2 big-endian][data],
 * fed in order to a fresh interface (10.0.0.2/24, gateway 10.0.0.1, MAC
 * 02:00:00:00:00:02). Before each record the clock advances by
 * (flags >> 4) * 250 ms; bit 0 asks the target to fix up checksums so the
 * fuzzer gets past them. Everything the stack sends is checked (length
 * within the MTU, IPv4, ICMP, UDP and TCP checksums right); a bad frame
 * aborts. At the end the interface is destroyed and no timer may be left.
 */
#ifndef FUZZ_NET_H
#define FUZZ_NET_H

#include "../../lib/net/net_internal.h"

#define F_ADDR ATOLL_IP4(10, 0, 0, 2)
#define F_PEER ATOLL_IP4(10, 0, 0, 7)
#define F_FIX 1

extern const uint8_t f_mac[6], f_peer_mac[6];
/* The xid of the last DHCP message the stack sent. */
extern uint32_t f_dhcp_xid;
/* The last TCP segment the stack sent: its ports, the sequence number
 * after it, and its acknowledgment number. */
extern uint16_t f_tcp_sport, f_tcp_dport;
extern uint32_t f_tcp_next, f_tcp_ack;

/* Make the interface (configured unless bare) and seed the peer's ARP
 * entry so replies leave at once. */
struct atoll_netif *f_setup(bool bare);
/* Run the records of data through fn, then tear down and check. */
typedef void (*f_record_fn)(struct atoll_netif *nif, uint8_t flags,
                            const uint8_t *data, size_t len);
void f_run(struct atoll_netif *nif, const uint8_t *data, size_t size,
           f_record_fn fn);
/* Deliver payload as an IPv4 packet from src to dst (Ethernet and IPv4
 * headers made valid). */
void f_send_ip(struct atoll_netif *nif, uint32_t src, uint32_t dst,
               uint8_t proto, const uint8_t *payload, size_t len);
/* Put the right TCP/UDP/ICMP checksum into payload. */
void f_fix_l4(uint8_t proto, uint32_t src, uint32_t dst, uint8_t *payload,
              size_t len);
/* Hand a frame to the stack from an exactly sized heap copy, so that
 * AddressSanitizer sees any read past its end. */
void f_input(struct atoll_netif *nif, const uint8_t *frame, size_t len);
/* Advance the clock by ns, firing timers. */
void f_advance(atoll_time_t ns);

#endif
