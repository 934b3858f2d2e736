/*
 * www: static files from the tar archive on the block device "storage",
 * over HTTP/1.1 (lib/http), one fiber per connection.
 *
 *   tar cf site.tar -C site .      (or: atoll www pack site -o site.tar)
 *   atoll-spt --net:service=tap0 --block:storage=site.tar www.spt \
 *       --ipv4=10.0.0.2/24 [--http-port=80] [--log=info]
 *
 * --log=info logs one line per request in the common log format;
 * --stats=N logs the counters every N seconds, and they are logged when
 * the server stops after --max-requests=N requests. --redirect-https
 * answers every request with a 301 to https:// on --https-port.
 *
 * HTTPS (lib/tls) on --https-port when --tls=NAME[:SNI,...]+... names
 * certificate chains and keys in the archive, .tls/NAME.crt and
 * .tls/NAME.key (PEM; the first chain is the default, the others answer
 * their SNI names); .tls/ itself is never served. A missing or wrong key
 * stops the boot.
 *
 * Built with -DWWW_NO_TLS (a cflags line in unikernel.conf, tls dropped
 * from its libraries), the image serves HTTP alone, without lib/tls and
 * BearSSL: bench/http/size.sh compares the two sizes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/fiber.h"
#include "atoll/net.h"
#include "atoll/rt.h"
#ifndef WWW_NO_TLS
#include "atoll/tls.h"
#endif

#include "www.h"

const char atoll_app_name[] = "www";

ATOLL_PARAM_INT(http_port, "http-port", 80, 1, 65535, "HTTP port");
ATOLL_PARAM_INT(https_port, "https-port", 443, 1, 65535,
                "HTTPS port (the target of --redirect-https)");
#ifndef WWW_NO_TLS
ATOLL_PARAM_STRING(tls, "tls", "", "NAME[:SNI,...]+...",
                   "serve HTTPS with .tls/NAME.crt and .tls/NAME.key");
#endif
ATOLL_PARAM_BOOL(redirect_https, "redirect-https", false,
                 "answer every HTTP request with a redirect to https://");
ATOLL_PARAM_INT(request_timeout, "request-timeout", 10, 1, 3600,
                "seconds to receive a request head (then 408)");
ATOLL_PARAM_INT(max_conns, "max-connections", 512, 1, 100000,
                "connections served at once (more are reset)");
ATOLL_PARAM_INT(max_body, "max-body", 64, 0, 1048576,
                "KiB of request body accepted (more: 413)");
ATOLL_PARAM_INT(max_requests, "max-requests", 0, 0, 1000000000,
                "stop after this many requests (0: never)");
ATOLL_PARAM_INT(stats_seconds, "stats", 0, 0, 86400,
                "log the counters every N seconds (0: never)");
ATOLL_PARAM_INT(bulk_buffers, "bulk-buffers", 4, 0, 32,
                "64 KiB buffers lent to connections sending long files");

#define CONN_STACK (48 * 1024)

static struct http_server server;
static struct http_fs fs;
static struct atoll_netif *nif;
static struct atoll_tcp *listener, *tls_listener;
#ifndef WWW_NO_TLS
static struct atoll_tls_config *tls_cfg;
#else
static void *tls_cfg;
#define tls_session session
#endif
static struct atoll_timer stats_timer;
static long active;
static uint64_t rejected;
static bool log_access, stopping;

static uint64_t mono(void) { return atoll_clock_monotonic(); }
static uint64_t wall(void) { return atoll_clock_wall(); }

static void log_counters(void)
{
    const struct http_server_stats *s = &server.stats;
    atoll_log(ATOLL_LOG_INFO,
              "www: stats: connections=%llu requests=%llu bytes_out=%llu "
              "2xx=%llu 3xx=%llu 4xx=%llu 5xx=%llu timeouts_408=%llu "
              "idle_closes=%llu bad_requests=%llu write_errors=%llu "
              "bulk_lent=%llu lingering_closes=%llu rejected=%llu "
              "active=%ld",
              (unsigned long long)s->connections,
              (unsigned long long)s->requests,
              (unsigned long long)s->bytes_out,
              (unsigned long long)s->status_2xx,
              (unsigned long long)s->status_3xx,
              (unsigned long long)s->status_4xx,
              (unsigned long long)s->status_5xx,
              (unsigned long long)s->timeouts_408,
              (unsigned long long)s->idle_closes,
              (unsigned long long)s->bad_requests,
              (unsigned long long)s->write_errors,
              (unsigned long long)s->bulk_lent,
              (unsigned long long)s->lingering_closes,
              (unsigned long long)rejected, active);
}

static void stats_tick(struct atoll_timer *t, void *arg)
{
    (void)arg;
    log_counters();
    atoll_timer_arm(t, atoll_clock_monotonic() +
                           (atoll_time_t)stats_seconds * 1000000000u,
                    stats_tick, NULL);
}

/* The common log format: host ident user [date] "request" status bytes. */
static void access_log(void *arg, const char *peer,
                       const struct http_request *r, int status,
                       uint64_t bytes)
{
    char d[30], when[32];

    (void)arg;
    if (!log_access)
        return;
    /* From the IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT". */
    http_date_format(atoll_clock_wall() / 1000000000u, d);
    snprintf(when, sizeof when, "%.2s/%.3s/%.4s:%.8s +0000", d + 5, d + 8,
             d + 12, d + 17);
    if (r == NULL) {
        atoll_log(ATOLL_LOG_INFO, "%s - - [%s] \"-\" %d %llu",
                  peer ? peer : "-", when, status, (unsigned long long)bytes);
        return;
    }
    atoll_log(ATOLL_LOG_INFO, "%s - - [%s] \"%.*s %.*s HTTP/1.%u\" %d %llu",
              peer ? peer : "-", when, (int)r->method_len, r->method,
              (int)(r->target_len > 512 ? 512 : r->target_len), r->target,
              r->minor, status, (unsigned long long)bytes);
}

static int redirect(struct http_conn *c, const struct http_request *r)
{
    char loc[600];
    int n;

    if (r->host == NULL || r->host_len > 255 || r->path_len > 300)
        return http_reply_error(c, 400);
    /* The host without its port, then the HTTPS port. */
    uint32_t hl = r->host_len;
    for (uint32_t i = hl; i > 0; i--)
        if (r->host[i - 1] == ':') {
            hl = i - 1;
            break;
        }
    if (https_port == 443)
        n = snprintf(loc, sizeof loc, "https://%.*s%.*s", (int)hl, r->host,
                     (int)r->path_len, r->path);
    else
        n = snprintf(loc, sizeof loc, "https://%.*s:%lld%.*s", (int)hl,
                     r->host, (long long)https_port, (int)r->path_len,
                     r->path);
    if (n < 0 || (size_t)n >= sizeof loc ||
        http_reply_header(c, "Location", loc) != 0)
        return http_reply_error(c, 400);
    return http_reply_error(c, 301);
}

static int route(void *arg, struct http_conn *c, const struct http_request *r)
{
    (void)arg;
    if (redirect_https)
        return redirect(c, r);
    return http_serve_file(c, r, &fs);
}

static void session_end(void);

static void session(void *arg)
{
    struct atoll_tcp *conn = arg;
    struct http_stream st;
    char peer[ATOLL_IP4_STRLEN];
    atoll_ip4_t addr;

    atoll_tcp_endpoints(conn, NULL, NULL, &addr, NULL);
    atoll_ip4_format(addr, peer);
    atoll_tcp_set_nodelay(conn, true);
    www_tcp_stream(&st, conn);
    http_serve(&server, &st, peer);
    session_end();
}

#ifndef WWW_NO_TLS
/* The same after a TLS handshake (bounded by the request timeout). */
static void tls_session(void *arg)
{
    struct atoll_tcp *conn = arg;
    struct atoll_tls_conn *tc;
    struct http_stream st;
    char peer[ATOLL_IP4_STRLEN];
    atoll_ip4_t addr;
    int r, err;

    atoll_tcp_endpoints(conn, NULL, NULL, &addr, NULL);
    atoll_ip4_format(addr, peer);
    atoll_tcp_set_nodelay(conn, true);
    r = atoll_tls_accept(tls_cfg, conn,
                         (atoll_time_t)request_timeout * 1000000000u, &tc,
                         &err);
    if (r != 0) {
        atoll_log(ATOLL_LOG_INFO, "www: %s: TLS handshake failed: %s (%s)",
                  peer, atoll_strerror(r), atoll_tls_error_name(err));
        atoll_tcp_abort(conn);
    } else {
        www_tls_stream(&st, tc);
        http_serve(&server, &st, peer);
    }
    session_end();
}
#endif

static void session_end(void)
{
    active--;
    if (max_requests > 0 && server.stats.requests >= (uint64_t)max_requests)
        stopping = true; /* the acceptor closes the listener */
}

/* arg: NULL for the HTTP listener, else the HTTPS one. */
static void acceptor(void *arg)
{
    struct atoll_tcp *l = arg != NULL ? arg : listener, *conn;
    void (*serve)(void *) = arg != NULL ? tls_session : session;

    while (!stopping) {
        int r = atoll_tcp_accept(l, &conn, 1000000000u);
        if (r == ATOLL_ERR_TIMEDOUT)
            continue;
        if (r != 0) {
            atoll_log(ATOLL_LOG_ERROR, "www: accept: %s", atoll_strerror(r));
            break;
        }
        if (active >= max_conns ||
            atoll_fiber_spawn(serve, conn, CONN_STACK) == NULL) {
            rejected++;
            atoll_tcp_abort(conn);
            continue;
        }
        active++;
    }
    atoll_tcp_close(l);
}

int main(void)
{
    static struct atoll_blockdev dev;
    struct http_server_config cfg = {0};
    struct atoll_tarkv *tar;
    char why[200] = "";
    int r;

    log_access = atoll_log_enabled(ATOLL_LOG_INFO);
    if (atoll_blockdev_platform(&dev, "storage") != 0) {
        atoll_log(ATOLL_LOG_ERROR, "www: no usable block device 'storage'");
        return 1;
    }
    r = atoll_tarkv_mount(&dev, &tar, why, sizeof why);
    if (r != 0) {
        atoll_log(ATOLL_LOG_ERROR, "www: storage: %s", why);
        return 1;
    }
    www_tar_fs(&fs, tar);
#ifndef WWW_NO_TLS
    if (tls[0] != '\0') {
        r = atoll_tls_config_create(256 * 1024, &tls_cfg);
        if (r == 0)
            r = atoll_tls_config_add_tar(tls_cfg, tar, ".tls/", tls, why,
                                         sizeof why);
        if (r != 0) {
            atoll_log(ATOLL_LOG_ERROR, "www: --tls: %s",
                      why[0] ? why : atoll_strerror(r));
            return 1;
        }
    }
#endif
    cfg.handler = route;
    cfg.monotonic = mono;
    cfg.wall = wall;
    cfg.log = access_log;
    cfg.request_timeout = (uint64_t)request_timeout * 1000000000u;
    cfg.limits.max_body = max_body > 0 ? (uint64_t)max_body * 1024 : 1;
    /* 64 KiB: one block read and one 64 KiB TCP segment per piece. */
    cfg.bulk_size = 64 * 1024;
    cfg.bulk_count = (unsigned)bulk_buffers;
    if (cfg.bulk_count > 0 &&
        (cfg.bulk = malloc(cfg.bulk_count * cfg.bulk_size)) == NULL) {
        atoll_log(ATOLL_LOG_ERROR, "www: no memory for --bulk-buffers");
        return 1;
    }
    if (http_server_init(&server, &cfg) != 0)
        return 1;
    if (atoll_netif_open("service", &nif) != 0)
        return 1;
    r = atoll_tcp_listen(nif, (uint16_t)http_port, 0, &listener);
    if (r != 0) {
        atoll_log(ATOLL_LOG_ERROR, "www: port %lld: %s",
                  (long long)http_port, atoll_strerror(r));
        return 1;
    }
    if (tls_cfg != NULL) {
        r = atoll_tcp_listen(nif, (uint16_t)https_port, 0, &tls_listener);
        if (r != 0) {
            atoll_log(ATOLL_LOG_ERROR, "www: port %lld: %s",
                      (long long)https_port, atoll_strerror(r));
            return 1;
        }
        if (atoll_fiber_spawn(acceptor, tls_listener, 0) == NULL)
            return 1;
#ifndef WWW_NO_TLS
        atoll_log(ATOLL_LOG_INFO, "www: https port %lld, %zu chains, %zu "
                  "bytes per TLS connection", (long long)https_port,
                  atoll_tls_config_count(tls_cfg), atoll_tls_conn_size());
#endif
    }
    atoll_log(ATOLL_LOG_INFO, "www: serving %zu entries on http port %lld",
              atoll_tarkv_count(tar), (long long)http_port);
    if (stats_seconds > 0)
        stats_tick(&stats_timer, NULL);
    if (atoll_fiber_spawn(acceptor, NULL, 0) == NULL)
        return 1;
    atoll_fiber_run();
    if (stats_seconds > 0)
        atoll_timer_cancel(&stats_timer);
    log_counters();
    return 0;
}
