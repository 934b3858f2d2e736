/*
 * atoll run --net NAME=auto: a TAP interface made for one run.
 *
 * The TAP is created without IFF_PERSIST and its descriptor is handed to
 * the tender as @FD, so the kernel removes the interface when the last
 * descriptor closes: when the unikernel exits, faults, or the tender is
 * killed by any signal (SIGKILL included), with no clean-up code to skip.
 *
 * The host side gets the first address of a /30 that overlaps no address
 * and no route of the current network namespace; the unikernel gets the
 * second, as --ipv4=ADDR/30 --ipv4-gateway=HOST.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/ethtool.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netauto.h"

struct prefix {
    uint32_t addr; /* host order */
    int len;
};

static uint32_t mask_of(int len)
{
    return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

static bool overlap(struct prefix a, struct prefix b)
{
    uint32_t m = mask_of(a.len < b.len ? a.len : b.len);

    return (a.addr & m) == (b.addr & m);
}

static int mask_len(uint32_t m)
{
    int n = 0;

    while (n < 32 && (m & (0x80000000u >> n)))
        n++;
    return n;
}

/* Every IPv4 address (with its subnet) and every route but the default
 * ones in this network namespace. */
static size_t in_use(struct prefix **out)
{
    struct ifaddrs *ifa = NULL;
    struct prefix *v = NULL;
    size_t n = 0, cap = 0;

    if (getifaddrs(&ifa) == 0) {
        for (struct ifaddrs *i = ifa; i != NULL; i = i->ifa_next) {
            if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET)
                continue;
            const struct sockaddr_in *a = (void *)i->ifa_addr;
            const struct sockaddr_in *m = (void *)i->ifa_netmask;
            if (n == cap)
                v = realloc(v, (cap = cap * 2 + 16) * sizeof *v);
            if (v == NULL)
                abort();
            v[n].addr = ntohl(a->sin_addr.s_addr);
            v[n].len = m != NULL ? mask_len(ntohl(m->sin_addr.s_addr)) : 32;
            n++;
        }
        freeifaddrs(ifa);
    }
    FILE *f = fopen("/proc/net/route", "r");
    char line[256];
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        char ifname[64];
        unsigned dst, gw, flags, mask;

        /* Iface Destination Gateway Flags RefCnt Use Metric Mask ... */
        if (sscanf(line, "%63s %x %x %x %*d %*d %*d %x", ifname, &dst, &gw,
                   &flags, &mask) != 5 || mask == 0)
            continue;
        if (n == cap)
            v = realloc(v, (cap = cap * 2 + 16) * sizeof *v);
        if (v == NULL)
            abort();
        v[n].addr = ntohl(dst); /* the file has network order in hex */
        v[n].len = mask_len(ntohl(mask));
        n++;
    }
    if (f != NULL)
        fclose(f);
    *out = v;
    return n;
}

int netauto_pick(uint32_t *net)
{
    /* Out of the private ranges, away from their most used corners. */
    static const struct prefix pools[] = {
        {0x0ad50000u, 16}, /* 10.213.0.0/16 */
        {0xac1f0000u, 16}, /* 172.31.0.0/16 */
        {0xc0a8d500u, 24}, /* 192.168.213.0/24 */
    };
    struct prefix *used;
    size_t nused = in_use(&used);

    for (size_t p = 0; p < sizeof pools / sizeof pools[0]; p++) {
        uint32_t count = 1u << (32 - pools[p].len - 2);

        for (uint32_t k = 0; k < count; k++) {
            struct prefix c = {pools[p].addr + 4 * k, 30};
            bool free_ = true;

            for (size_t u = 0; u < nused && free_; u++)
                free_ = !overlap(c, used[u]);
            if (free_) {
                *net = c.addr;
                free(used);
                return 0;
            }
        }
    }
    free(used);
    return -1;
}

void netauto_addr(uint32_t addr, char out[16])
{
    struct in_addr a = {.s_addr = htonl(addr)};

    inet_ntop(AF_INET, &a, out, 16);
}

static int set_addr(int s, const char *ifname, unsigned long req,
                    uint32_t addr)
{
    struct ifreq ifr;
    struct sockaddr_in sin;

    memset(&ifr, 0, sizeof ifr);
    memset(&sin, 0, sizeof sin);
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(addr);
    memcpy(&ifr.ifr_addr, &sin, sizeof sin);
    return ioctl(s, req, &ifr);
}

/* As the tenders do for a TAP they open by name: without IFF_VNET_HDR the
 * guest reads whole frames, so the kernel must not hand it GRO frames. */
static void no_offload(int s, const char *ifname)
{
    static const uint32_t cmds[] = {ETHTOOL_SGRO, ETHTOOL_SGSO};

    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        struct ethtool_value ev = {.cmd = cmds[i], .data = 0};
        struct ifreq ifr;

        memset(&ifr, 0, sizeof ifr);
        snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
        ifr.ifr_data = (void *)&ev;
        (void)ioctl(s, SIOCETHTOOL, &ifr);
    }
}

int netauto_create(struct netauto *na, bool vnet, char *err,
                   size_t errsize)
{
    struct ifreq ifr;
    int fd, s = -1;

    memset(na, 0, sizeof *na);
    na->fd = -1;
    if (netauto_pick(&na->net) != 0) {
        snprintf(err, errsize, "no free /30 left in 10.213.0.0/16, "
                 "172.31.0.0/16 or 192.168.213.0/24");
        errno = EADDRINUSE;
        return -1;
    }
    na->host = na->net + 1;
    na->guest = na->net + 2;
    na->prefix = 30;
    /* Not O_CLOEXEC: the tender inherits it as --net:NAME=@FD. */
    fd = open("/dev/net/tun", O_RDWR);
    if (fd < 0) {
        snprintf(err, errsize, "cannot open /dev/net/tun: %s",
                 strerror(errno));
        return -1;
    }
    memset(&ifr, 0, sizeof ifr);
    /* vnet: the image takes virtio-net headers (its request note asks
     * ATOLL_EXT_F_NET_VNET); the tender sets their size and offloads. */
    ifr.ifr_flags = (short)(IFF_TAP | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0));
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", "atoll%d");
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int e = errno;

        snprintf(err, errsize, "cannot create a TAP interface: %s",
                 strerror(e));
        close(fd);
        errno = e;
        return -1;
    }
    memcpy(na->tap, ifr.ifr_name, IFNAMSIZ);
    na->tap[IFNAMSIZ - 1] = '\0';
    s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0 || set_addr(s, na->tap, SIOCSIFADDR, na->host) < 0 ||
        set_addr(s, na->tap, SIOCSIFNETMASK, mask_of(na->prefix)) < 0) {
        int e = errno;

        snprintf(err, errsize, "%s: cannot set address: %s", na->tap,
                 strerror(e));
        goto fail;
    }
    if (!vnet)
        no_offload(s, na->tap);
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", na->tap);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0 ||
        (ifr.ifr_flags |= IFF_UP, ioctl(s, SIOCSIFFLAGS, &ifr) < 0)) {
        snprintf(err, errsize, "%s: cannot bring it up: %s", na->tap,
                 strerror(errno));
        goto fail;
    }
    close(s);
    na->fd = fd;
    return 0;
fail:
    if (s >= 0)
        close(s);
    close(fd); /* the interface goes with it */
    return -1;
}
