/*
 * tlsecho: a TLS echo server on lib/tls, for tests/tls/run.sh.
 *
 *   atoll-spt --net:service=tap0 --block:storage=certs.tar tlsecho.spt \
 *       --ipv4=10.0.0.2/24 --certs=rsa,ec:ec.test,*.ec.test
 *
 * --certs lists chains as NAME[:SNI-NAMES] separated by '+': NAME.crt and
 * NAME.key are read from the tar archive; SNI-NAMES (comma-separated) are
 * the server names the chain answers; the first chain is the default. A
 * missing or wrong file stops the boot with exit status 1 and the reason.
 * Each connection logs "tlsecho: SNI suite 0xXXXX" at info, or the
 * handshake failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/blockdev.h"
#include "atoll/fiber.h"
#include "atoll/net.h"
#include "atoll/rt.h"
#include "atoll/tarkv.h"
#include "atoll/tls.h"

const char atoll_app_name[] = "tlsecho";

ATOLL_PARAM_INT(port, "port", 443, 1, 65535, "TCP port to serve TLS on");
ATOLL_PARAM_STRING(certs, "certs", "server", "NAME[:SNI,...]+...",
                   "certificate chains, read as NAME.crt and NAME.key");
ATOLL_PARAM_INT(cache_kb, "cache", 64, 0, 65536,
                "session cache size in KiB (0: no resumption)");

static struct atoll_tls_config *cfg;

static void session(void *arg)
{
    struct atoll_tcp *tcp = arg;
    struct atoll_tls_conn *c;
    char buf[4096];
    int tls_err = 0;
    long n;
    int r = atoll_tls_accept(cfg, tcp, 10 * 1000000000ll, &c, &tls_err);

    if (r != 0) {
        atoll_log(ATOLL_LOG_INFO, "tlsecho: handshake failed: %s (%s %d)",
                  atoll_strerror(r), atoll_tls_error_name(tls_err), tls_err);
        atoll_tcp_abort(tcp);
        return;
    }
    atoll_log(ATOLL_LOG_INFO, "tlsecho: sni '%s' suite 0x%04x",
              atoll_tls_server_name(c), atoll_tls_suite(c));
    while ((n = atoll_tls_read(c, buf, sizeof buf, ATOLL_NET_FOREVER)) > 0)
        if (atoll_tls_write(c, buf, (size_t)n, 10 * 1000000000ll) < 0)
            break;
    atoll_tls_close(c);
}

static void acceptor(void *arg)
{
    struct atoll_tcp *l = arg, *c;

    while (atoll_tcp_accept(l, &c, ATOLL_NET_FOREVER) == 0)
        if (atoll_fiber_spawn(session, c, 64 * 1024) == NULL)
            atoll_tcp_abort(c);
}

int main(void)
{
    static struct atoll_blockdev dev;
    struct atoll_tarkv *tar;
    struct atoll_netif *nif;
    struct atoll_tcp *l;
    char why[200] = "";
    int r;

    if (atoll_blockdev_platform(&dev, "storage") != 0 ||
        atoll_tarkv_mount(&dev, &tar, why, sizeof why) != 0) {
        atoll_log(ATOLL_LOG_ERROR, "tlsecho: storage: no tar archive %s", why);
        return 1;
    }
    if (atoll_tls_config_create((size_t)cache_kb * 1024, &cfg) != 0)
        return 1;
    r = atoll_tls_config_add_tar(cfg, tar, "", certs, why, sizeof why);
    if (r != 0) {
        atoll_log(ATOLL_LOG_ERROR, "tlsecho: %s", why);
        return 1;
    }
    atoll_tarkv_unmount(tar);
    if (atoll_netif_open("service", &nif) != 0)
        return 1;
    r = atoll_tcp_listen(nif, (uint16_t)port, 0, &l);
    if (r != 0) {
        atoll_log(ATOLL_LOG_ERROR, "tlsecho: port %lld: %s", (long long)port,
                  atoll_strerror(r));
        return 1;
    }
    atoll_log(ATOLL_LOG_INFO, "tlsecho: %zu chains, port %lld, %zu bytes "
              "per connection", atoll_tls_config_count(cfg), (long long)port,
              atoll_tls_conn_size());
    if (atoll_fiber_spawn(acceptor, l, 0) == NULL)
        return 1;
    atoll_fiber_run();
    return 0;
}
