/*
 * Counter names, and logging the counters.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "net_internal.h"

#define F(name) {#name, offsetof(struct atoll_net_stats, name)}
const struct net_stat_name net_stat_names[] = {
    F(rx_frames),
    F(tx_frames),
    F(tx_errors),
    F(vnet_bad_csum),
    F(vnet_bad_gso),
    F(vnet_too_big),
    F(vnet_gso_rx),
    F(vnet_gso_tx),
    F(eth_short),
    F(eth_not_for_us),
    F(eth_unknown_type),
    F(arp_malformed),
    F(arp_not_for_us),
    F(arp_conflict),
    F(arp_requests_rx),
    F(arp_replies_tx),
    F(arp_requests_tx),
    F(arp_unresolved),
    F(arp_evicted),
    F(arp_queue_full),
    F(ip_short),
    F(ip_version),
    F(ip_header_len),
    F(ip_total_len),
    F(ip_checksum),
    F(ip_ttl),
    F(ip_bad_option),
    F(ip_bad_fragment),
    F(ip_bad_src),
    F(ip_not_for_us),
    F(ip_unknown_proto),
    F(ip_no_route),
    F(ip_too_big),
    F(frag_rx),
    F(frag_reassembled),
    F(frag_overlap),
    F(frag_duplicate),
    F(frag_timeout),
    F(frag_evicted),
    F(frag_too_big),
    F(frag_tx),
    F(icmp_short),
    F(icmp_checksum),
    F(icmp_echo_rx),
    F(icmp_unreach_tx),
    F(icmp_rate_limited),
    F(icmp_other),
    F(udp_short),
    F(udp_bad_len),
    F(udp_checksum),
    F(udp_no_port),
    F(udp_queue_full),
    F(udp_rx),
    F(udp_tx),
    F(tcp_short),
    F(tcp_bad_offset),
    F(tcp_checksum),
    F(tcp_bad_option),
    F(tcp_bad_flags),
    F(tcp_no_port),
    F(tcp_rst_tx),
    F(tcp_rx),
    F(tcp_tx),
    F(tcp_retransmits),
    F(tcp_rto),
    F(tcp_fast_retransmits),
    F(tcp_out_of_window),
    F(tcp_ooo_queued),
    F(tcp_ooo_dropped),
    F(tcp_paws_dropped),
    F(tcp_challenge_acks),
    F(tcp_bad_ack),
    F(tcp_syn_cookies_tx),
    F(tcp_syn_cookies_ok),
    F(tcp_syn_cookies_bad),
    F(tcp_backlog_drops),
    F(tcp_conn_limit),
    F(tcp_keepalive_drops),
    F(tcp_zero_window_probes),
    F(tcp_loss_probes),
    F(dhcp_malformed),
    F(dhcp_ignored)
};
#undef F

_Static_assert(sizeof net_stat_names / sizeof net_stat_names[0] ==
                   sizeof(struct atoll_net_stats) / sizeof(uint64_t),
               "every counter has a name");

const size_t net_stat_count =
    sizeof net_stat_names / sizeof net_stat_names[0];

uint64_t net_stat_get(const struct atoll_net_stats *s, size_t i)
{
    uint64_t v;

    memcpy(&v, (const char *)s + net_stat_names[i].off, sizeof v);
    return v;
}

void atoll_netif_log_stats(const struct atoll_netif *nif,
                           enum atoll_log_level level)
{
    char line[160];
    size_t n = 0;

    if (!atoll_log_enabled(level))
        return;
    /* The counters that are not zero, a few to a line. */
    for (size_t i = 0; i < net_stat_count; i++) {
        uint64_t v = net_stat_get(&nif->stats, i);
        int k;

        if (v == 0)
            continue;
        k = snprintf(line + n, sizeof line - n, " %s=%llu",
                     net_stat_names[i].name, (unsigned long long)v);
        if (k < 0 || (size_t)k >= sizeof line - n) {
            line[n] = '\0';
            atoll_log(level, "net: stats:%s", line);
            n = 0;
            i--;
            continue;
        }
        n += (size_t)k;
    }
    if (n > 0)
        atoll_log(level, "net: stats:%s", line);
}
