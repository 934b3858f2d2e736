/*
 * The stack on the platform's net devices: atoll_netif_open acquires a
 * device, reads its frames from the runtime's event loop and configures
 * the interface from the boot parameters --ipv4, --ipv4-gateway, --mtu and
 * --dhcp-timeout.
 * Guest only: host tests drive atoll_netif_create directly.
 */
#include <stdlib.h>
#include <string.h>

#include "atoll/abi/ext.h"
#include "net_internal.h"

/*
 * The stack takes virtio-net headers (vnet.c): ask an Atoll tender for
 * them (include/atoll/abi/ext.h). A tender that does not grant them, or a
 * Solo5 one, gives plain frames, and so does a device it cannot offer
 * them on; atoll_net_acquire says which.
 */
const struct atoll_ext_request_note atoll_net_request
    __attribute__((section(ATOLL_EXT_NOTE_SECTION), aligned(4), used)) = {
        .n_namesz = sizeof(ATOLL_EXT_NOTE_NAME),
        .n_descsz = sizeof(struct atoll_ext_request),
        .n_type = ATOLL_NOTE_TYPE_REQUEST,
        .n_name = ATOLL_EXT_NOTE_NAME,
        .r = {.features = ATOLL_EXT_F_NET_VNET},
};

/* Frames handled per wakeup before timers get a turn. */
#define RX_BATCH 64

static bool params_used;

static const char *check_ipv4(const char *v)
{
    atoll_ip4_t a;
    unsigned p;

    if (strcmp(v, "dhcp") == 0 || atoll_ip4_parse_cidr(v, &a, &p) == 0)
        return NULL;
    return "expected ADDR/PREFIX (like 10.0.0.2/24) or dhcp";
}

static const char *check_gateway(const char *v)
{
    atoll_ip4_t a;

    if (*v == '\0' || atoll_ip4_parse(v, &a) == 0)
        return NULL;
    return "expected an IPv4 address (like 10.0.0.1)";
}

ATOLL_PARAM_STRING_CHECKED(ipv4_value, "ipv4", "dhcp", check_ipv4,
                           "ADDR/PREFIX|dhcp", "IPv4 address of the network "
                           "interface: ADDR/PREFIX or dhcp");
ATOLL_PARAM_STRING_CHECKED(gateway_value, "ipv4-gateway", "", check_gateway,
                           "ADDR", "default IPv4 gateway (with a static "
                           "--ipv4)");
ATOLL_PARAM_INT(mtu_value, "mtu", 0, 0, 65535,
                "interface MTU (0: the device's)");
ATOLL_PARAM_BOOL(tx_offload, "net-offload", true,
                 "send TCP with partial checksums and 64 KB segments where "
                 "the device takes them (received offloads are always "
                 "taken)");
ATOLL_PARAM_INT(dhcp_timeout, "dhcp-timeout", 60, 0, 86400,
                "seconds to wait for the first DHCP lease before exiting "
                "with status 1 (0: forever)");

/* No first lease: the unikernel ends (a supervisor may restart it). */
static void dhcp_gave_up(struct atoll_netif *nif, void *arg)
{
    (void)nif;
    (void)arg;
    atoll_exit(1);
}

struct plat {
    atoll_handle_t handle;
    size_t size;
    uint8_t *rx;
};

static int plat_transmit(void *ctx, const void *frame, size_t len)
{
    struct plat *p = ctx;

    if (atoll_net_write(p->handle, frame, len) != ATOLL_OK)
        return ATOLL_ERR_IO;
    return 0;
}

static void plat_readable(atoll_handle_t h, void *arg)
{
    struct atoll_netif *nif = arg;
    struct plat *p = nif->platform;
    size_t len;

    for (int i = 0; i < RX_BATCH; i++) {
        if (atoll_net_read(h, p->rx, p->size, &len) != ATOLL_OK)
            break;
        atoll_netif_input(nif, p->rx, len);
    }
    atoll_netif_flush(nif);
}

static void plat_destroy(struct atoll_netif *nif)
{
    struct plat *p = nif->platform;

    atoll_loop_unwatch(p->handle);
    free(p->rx);
    free(p);
    nif->platform = NULL;
}

/* The boot parameters configure the first interface opened. */
static int configure(struct atoll_netif *nif)
{
    struct atoll_ip4_config cfg = {0, 0, 0};
    int r;

    if (mtu_value != 0 && (r = atoll_netif_set_mtu(nif, (size_t)mtu_value))) {
        atoll_log(ATOLL_LOG_ERROR, "net: --mtu=%lld: must be 68..%zu",
                  (long long)mtu_value, nif->dev.mtu);
        return r;
    }
    if (strcmp(ipv4_value, "dhcp") == 0) {
        if (*gateway_value != '\0')
            atoll_log(ATOLL_LOG_WARN, "net: --ipv4-gateway is ignored "
                      "with dhcp");
        return atoll_netif_start_dhcp_limited(
            nif, (atoll_time_t)dhcp_timeout * 1000000000ull, dhcp_gave_up,
            NULL);
    }
    atoll_ip4_parse_cidr(ipv4_value, &cfg.addr, &cfg.prefix);
    if (*gateway_value != '\0')
        atoll_ip4_parse(gateway_value, &cfg.gateway);
    r = atoll_netif_set_ipv4(nif, &cfg);
    if (r != 0)
        atoll_log(ATOLL_LOG_ERROR, "net: --ipv4=%s --ipv4-gateway=%s: "
                  "not a usable configuration", ipv4_value, gateway_value);
    return r;
}

int atoll_netif_open(const char *device, struct atoll_netif **nifp)
{
    struct atoll_net_info info = {{0}, 0, 0}; /* a target may not set all */
    struct atoll_netdev dev;
    struct atoll_netif *nif;
    struct plat *p;
    atoll_handle_t h;
    enum atoll_result ar;
    int r;

    ar = atoll_net_acquire(device, &h, &info);
    if (ar != ATOLL_OK) {
        atoll_log(ATOLL_LOG_ERROR, "net: cannot acquire net device '%s' "
                  "(%s)", device, ar == ATOLL_ENOENT ? "not in the manifest"
                  : "not attached or already in use");
        return ATOLL_ERR_INVAL;
    }
    p = calloc(1, sizeof *p);
    if (p == NULL)
        return ATOLL_ERR_NOMEM;
    p->handle = h;
    p->size = (info.features & ATOLL_NET_F_VNET) ? ATOLL_NET_VNET_FRAME_MAX
                                                 : info.mtu + ATOLL_NET_HLEN;
    p->rx = malloc(p->size);
    memcpy(dev.mac, info.mac, ATOLL_NET_ALEN);
    dev.mtu = info.mtu;
    dev.transmit = plat_transmit;
    dev.ctx = p;
    dev.features = 0;
    if (info.features & ATOLL_NET_F_VNET)
        dev.features = ATOLL_NETDEV_VNET |
                       (tx_offload ? ATOLL_NETDEV_TX_OFFLOAD : 0);
    nif = p->rx != NULL ? atoll_netif_create(&dev) : NULL;
    if (nif == NULL) {
        free(p->rx);
        free(p);
        return ATOLL_ERR_NOMEM;
    }
    nif->platform = p;
    nif->on_destroy = plat_destroy;
    if (atoll_loop_watch(h, plat_readable, nif) != 0) {
        atoll_netif_destroy(nif);
        return ATOLL_ERR_INVAL;
    }
    atoll_log(ATOLL_LOG_INFO, "net: %s: mac %02x:%02x:%02x:%02x:%02x:%02x, "
              "mtu %zu, offload %s", device, info.mac[0], info.mac[1],
              info.mac[2], info.mac[3], info.mac[4], info.mac[5], info.mtu,
              !(dev.features & ATOLL_NETDEV_VNET) ? "none"
              : (dev.features & ATOLL_NETDEV_TX_OFFLOAD) ? "both ways"
                                                          : "receive only");
    if (!params_used) {
        params_used = true;
        r = configure(nif);
        if (r != 0) {
            atoll_netif_destroy(nif);
            return r;
        }
    }
    *nifp = nif;
    return 0;
}
