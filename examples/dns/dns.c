/*
 * dns: an authoritative name server (lib/dns) for the zone files in the
 * tar archive on the block device "storage" (storage.c), over UDP and TCP.
 * examples/dns-builtin is the same server with the archive compiled into
 * the image instead (atoll dns pack --c).
 *
 *   tar cf zones.tar -C zones .     (or: atoll dns pack ZONEFILE... -o zones.tar)
 *   atoll-spt --net:service=tap0 --block:storage=zones.tar dns.spt \
 *       --ipv4=10.0.0.2/24 [--port=53] [--axfr-allow=10.0.0.1/32]
 *
 * Every regular file of the archive is a zone; a zone that does not load
 * stops the boot with its FILE:LINE message. UDP answers fit the
 * client's EDNS buffer (at most 1232 bytes) or carry TC; TCP follows RFC
 * 7766 (2-byte length, pipelined queries, --tcp-idle, --max-tcp). AXFR
 * and IXFR (a whole zone) go over TCP to --axfr-allow sources only.
 * --rrl=N limits responses a second per source prefix and answer (RRL,
 * every --rrl-slip-th one goes out truncated). --log=debug logs a line
 * per query; the counters are logged every --stats=N seconds and when
 * the server stops after --max-queries=N queries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/fiber.h"
#include "atoll/rt.h"

#include "server.h"

const char atoll_app_name[] = "dns";

ATOLL_PARAM_INT(port, "port", 53, 1, 65535, "UDP and TCP port");
ATOLL_PARAM_INT(tcp_idle, "tcp-idle", 10, 1, 3600,
                "seconds a TCP connection may stay idle");
ATOLL_PARAM_INT(max_tcp, "max-tcp", 100, 1, 10000,
                "TCP connections served at once (more are reset)");
ATOLL_PARAM_STRING_CHECKED(axfr_allow, "axfr-allow", "", srv_acl_check,
                           "PREFIX[,PREFIX...]",
                           "sources allowed AXFR/IXFR (none: all REFUSED)");
ATOLL_PARAM_INT(rrl_rate, "rrl", 0, 0, 1000000,
                "response rate limit a second per bucket (0: off)");
ATOLL_PARAM_INT(rrl_slip, "rrl-slip", 2, 0, 100,
                "every N-th limited response goes out truncated (0: none)");
ATOLL_PARAM_INT(rrl_buckets, "rrl-buckets", 4096, 1, 1048576,
                "RRL table size (32 bytes each)");
ATOLL_PARAM_INT(max_queries, "max-queries", 0, 0, 1000000000,
                "stop after this many queries (0: never)");
ATOLL_PARAM_INT(stats_seconds, "stats", 0, 0, 86400,
                "log the counters every N seconds (0: never)");

struct dns_zone *srv_zones;
size_t srv_nzones;
struct srv_stats srv_stats;
struct dns_rrl srv_rrl;
bool srv_debug;

static struct atoll_fiber *main_fiber;
static bool stopping;
static struct atoll_timer stats_timer;

void srv_count_reply(const uint8_t *r, size_t len)
{
    if (len < DNS_HEADER_LEN)
        return;
    srv_stats.rcode[r[3] & 15]++;
    if (r[2] & (DNS_F_TC >> 8))
        srv_stats.truncated++;
}

void srv_query_seen(void)
{
    uint64_t n = srv_stats.queries_udp + srv_stats.queries_tcp;

    if (max_queries > 0 && n >= (uint64_t)max_queries && !stopping) {
        stopping = true;
        atoll_fiber_wake(main_fiber);
    }
}

static void log_counters(void)
{
    const struct srv_stats *s = &srv_stats;
    uint64_t other = 0;

    for (int i = 0; i < 16; i++)
        if (i > 5 && i != DNS_R_NOTAUTH)
            other += s->rcode[i];
    atoll_log(ATOLL_LOG_INFO,
              "dns: stats: queries_udp=%llu queries_tcp=%llu noerror=%llu "
              "formerr=%llu servfail=%llu nxdomain=%llu notimp=%llu "
              "refused=%llu notauth=%llu other_rcode=%llu no_reply=%llu "
              "truncated=%llu rrl_sent=%llu rrl_dropped=%llu "
              "rrl_slipped=%llu axfr=%llu axfr_refused=%llu "
              "axfr_failed=%llu tcp_conns=%llu tcp_rejected=%llu "
              "tcp_idle=%llu tcp_bad=%llu",
              (unsigned long long)s->queries_udp,
              (unsigned long long)s->queries_tcp,
              (unsigned long long)s->rcode[0], (unsigned long long)s->rcode[1],
              (unsigned long long)s->rcode[2], (unsigned long long)s->rcode[3],
              (unsigned long long)s->rcode[4], (unsigned long long)s->rcode[5],
              (unsigned long long)s->rcode[DNS_R_NOTAUTH],
              (unsigned long long)other, (unsigned long long)s->no_reply,
              (unsigned long long)s->truncated,
              (unsigned long long)srv_rrl.sent,
              (unsigned long long)srv_rrl.dropped,
              (unsigned long long)srv_rrl.slipped,
              (unsigned long long)s->axfr,
              (unsigned long long)s->axfr_refused,
              (unsigned long long)s->axfr_failed,
              (unsigned long long)s->tcp_conns,
              (unsigned long long)s->tcp_rejected,
              (unsigned long long)s->tcp_idle, (unsigned long long)s->tcp_bad);
}

static void stats_tick(struct atoll_timer *t, void *arg)
{
    (void)arg;
    log_counters();
    atoll_timer_arm(t, atoll_clock_monotonic() +
                           (atoll_time_t)stats_seconds * 1000000000u,
                    stats_tick, NULL);
}

static int rrl_setup(void)
{
    struct dns_rrl_config c = {0};
    size_t size = (size_t)rrl_buckets * DNS_RRL_BUCKET_BYTES;
    void *mem;

    if (rrl_rate == 0)
        return 0;
    mem = malloc(size);
    if (mem == NULL)
        return ATOLL_ERR_NOMEM;
    c.rate = (unsigned)rrl_rate;
    c.slip = (unsigned)rrl_slip;
    c.ipv4_prefix = 24;
    c.ipv6_prefix = 56;
    atoll_entropy(c.key, sizeof c.key);
    return dns_rrl_init(&srv_rrl, mem, size, &c);
}

int main(void)
{
    struct atoll_netif *nif;
    struct atoll_tarkv *tar;
    size_t records = 0;
    int r;

    srv_debug = atoll_log_enabled(ATOLL_LOG_DEBUG);
    main_fiber = atoll_fiber_current();
    if (srv_open_zones(&tar) != 0)
        return 1;
    if (srv_acl_set(axfr_allow) != 0 || rrl_setup() != 0) {
        atoll_log(ATOLL_LOG_ERROR, "dns: out of memory");
        return 1;
    }
    if (atoll_netif_open("service", &nif) != 0)
        return 1;
    r = srv_udp_start(nif, (uint16_t)port);
    if (r == 0)
        r = srv_tcp_start(nif, (uint16_t)port, max_tcp,
                          (uint64_t)tcp_idle * 1000000000u);
    if (r != 0) {
        atoll_log(ATOLL_LOG_ERROR, "dns: port %lld: %s", (long long)port,
                  atoll_strerror(r));
        return 1;
    }
    for (size_t i = 0; i < srv_nzones; i++)
        records += srv_zones[i].n;
    atoll_log(ATOLL_LOG_INFO,
              "dns: serving %zu zones (%zu records) on udp and tcp port "
              "%lld%s", srv_nzones, records, (long long)port,
              rrl_rate > 0 ? ", rrl on" : "");
    if (stats_seconds > 0)
        stats_tick(&stats_timer, NULL);
    while (!stopping)
        atoll_fiber_wait(UINT64_MAX);
    if (stats_seconds > 0)
        atoll_timer_cancel(&stats_timer);
    log_counters();
    return 0;
}
