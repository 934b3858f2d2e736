/*
 * Attaching host resources to the devices an image declares.
 *
 * First every declared device is matched with a command-line resource and
 * every resource with a declared device, so that a mistake is reported
 * before anything is opened. Then TAP interfaces and block files are opened
 * and the manifest entries filled in.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/fs.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>

#include "internal.h"
#include "lock_holder.h"
#include "tender.h"

/* if_nametoindex is declared in <net/if.h>, which clashes with <linux/if.h>. */
extern unsigned int if_nametoindex(const char *ifname);

static const char *kind_name(uint32_t type)
{
    return type == ATOLL_MFT_DEV_NET_BASIC ? "net" : "block";
}

static struct tender_dev_arg *find(struct tender_dev_arg *list, int n,
                                   const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i].name, name) == 0)
            return &list[i];
    return NULL;
}

static const struct atoll_mft_entry *mft_find(const struct atoll_mft *mft,
                                              const char *name)
{
    for (unsigned i = 1; i < mft->entries; i++)
        if (strcmp(mft->e[i].name, name) == 0)
            return &mft->e[i];
    return NULL;
}

/* Each declared device has a resource of its kind. */
static int match_declared(const struct atoll_mft *mft,
                          struct tender_args *args, char *err)
{
    for (unsigned i = 1; i < mft->entries; i++) {
        const struct atoll_mft_entry *e = &mft->e[i];
        bool net = e->type == ATOLL_MFT_DEV_NET_BASIC;
        struct tender_dev_arg *mine =
            net ? find(args->net, args->nnet, e->name)
                : find(args->block, args->nblock, e->name);
        struct tender_dev_arg *other =
            net ? find(args->block, args->nblock, e->name)
                : find(args->net, args->nnet, e->name);
        if (mine != NULL && mine->path != NULL)
            continue;
        if (other != NULL)
            return tender_err(err, "device '%s' is a %s device, but --%s:%s= "
                              "was given for it", e->name, kind_name(e->type),
                              other->path != NULL
                                  ? (net ? "block" : "net")
                                  : (net ? "block-sector-size" : "net-mac"),
                              e->name);
        return tender_err(err, "device '%s' (%s) declared by the image but "
                          "no --%s:%s= given", e->name, kind_name(e->type),
                          kind_name(e->type), e->name);
    }
    return 0;
}

/* Each resource names a declared device of its kind. */
static int match_given(const struct atoll_mft *mft,
                       const struct tender_dev_arg *list, int n,
                       uint32_t type, char *err)
{
    for (int i = 0; i < n; i++) {
        const struct tender_dev_arg *d = &list[i];
        const struct atoll_mft_entry *e = mft_find(mft, d->name);
        const char *opt = type == ATOLL_MFT_DEV_NET_BASIC
                              ? (d->path != NULL ? "net" : "net-mac")
                              : (d->path != NULL ? "block"
                                                 : "block-sector-size");
        if (e == NULL)
            return tender_err(err, "--%s:%s= given but the image declares "
                              "no %s device '%s'", opt, d->name,
                              kind_name(type), d->name);
        if (e->type != type)
            return tender_err(err, "--%s:%s= given but '%s' is a %s device",
                              opt, d->name, d->name, kind_name(e->type));
    }
    return 0;
}

/* Best effort: without IFF_VNET_HDR the guest reads whole frames of at most
 * MTU + header bytes, so the kernel must not hand it GRO super-frames. */
static void tap_no_offload(const char *ifname)
{
    static const uint32_t cmds[] = {ETHTOOL_SGRO, ETHTOOL_SGSO};
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    if (s < 0)
        return;
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        struct ethtool_value ev = {.cmd = cmds[i], .data = 0};
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
        ifr.ifr_data = (void *)&ev;
        (void)ioctl(s, SIOCETHTOOL, &ifr);
    }
    close(s);
}

/*
 * Virtio-net headers of ATOLL_NET_VNET_HLEN bytes before every frame and
 * the offloads the guest's stack handles (ATOLL_EXT_F_NET_VNET): checksums
 * and TCPv4 segmentation both ways. Done here, before the sandbox: the
 * guest itself never gets ioctl.
 */
static int tap_vnet(int fd, const char *what, char *err)
{
    int sz = ATOLL_EXT_NET_VNET_HLEN;

    if (ioctl(fd, TUNSETVNETHDRSZ, &sz) < 0)
        return tender_err(err, "%s: cannot set the virtio-net header size: "
                          "%s", what, strerror(errno));
    if (ioctl(fd, TUNSETOFFLOAD, (unsigned long)(TUN_F_CSUM | TUN_F_TSO4)) < 0)
        return tender_err(err, "%s: cannot enable checksum and TCP "
                          "segmentation offloads: %s", what, strerror(errno));
    return 0;
}

/*
 * No offloads: the kernel then completes checksums and cuts segments
 * before a frame reaches the guest. They outlive the descriptor on a
 * persistent TAP, so one an earlier guest had must be taken back here.
 */
static int tap_plain(int fd, const char *what, char *err)
{
    if (ioctl(fd, TUNSETOFFLOAD, 0ul) < 0)
        return tender_err(err, "%s: cannot turn offloads off: %s", what,
                          strerror(errno));
    return 0;
}

/* An already open TAP descriptor, "@FD". */
static int tap_fd(const char *spec, bool want, bool *vnet, char *err)
{
    int fd = (int)strtol(spec + 1, NULL, 10); /* syntax checked by args.c */
    struct ifreq ifr;
    int fl;

    memset(&ifr, 0, sizeof ifr);
    if (ioctl(fd, TUNGETIFF, &ifr) < 0 || !(ifr.ifr_flags & IFF_TAP))
        return tender_err(err, "descriptor %d is not an attached TAP device",
                          fd);
    if (!(ifr.ifr_flags & IFF_NO_PI))
        return tender_err(err, "TAP descriptor %d was attached without "
                          "IFF_NO_PI", fd);
    /* Its flags are fixed: headers only for an image that takes them. */
    *vnet = (ifr.ifr_flags & IFF_VNET_HDR) != 0;
    if (*vnet && !want)
        return tender_err(err, "TAP descriptor %d was attached with "
                          "IFF_VNET_HDR, which this image does not take", fd);
    if (*vnet ? tap_vnet(fd, spec, err) < 0 : tap_plain(fd, spec, err) < 0)
        return -1;
    fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return tender_err(err, "descriptor %d: cannot set O_NONBLOCK: %s", fd,
                          strerror(errno));
    return fd;
}

static int tap_open(const char *name, bool want, bool *vnet, char *err)
{
    struct ifreq ifr;
    int fd, e;

    *vnet = false;
    if (name[0] == '@')
        return tap_fd(name, want, vnet, err);
    /* TUNSETIFF creates a missing interface: refuse instead. */
    if (if_nametoindex(name) == 0)
        return tender_err(err, "TAP interface '%s' does not exist (create "
                          "it with: ip tuntap add %s mode tap)", name, name);
    fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return tender_err(err, "cannot open /dev/net/tun: %s",
                          strerror(errno));
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = (short)(IFF_TAP | IFF_NO_PI | (want ? IFF_VNET_HDR : 0));
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        e = errno;
        close(fd);
        if (e == EBUSY)
            return tender_err(err, "TAP interface '%s' is already in use",
                              name);
        if (e == EINVAL)
            return tender_err(err, "'%s' is not a TAP interface", name);
        return tender_err(err, "cannot attach TAP interface '%s': %s", name,
                          strerror(e));
    }
    if (strncmp(ifr.ifr_name, name, IFNAMSIZ) != 0) {
        close(fd);
        return tender_err(err, "attaching '%s' gave interface '%s'", name,
                          ifr.ifr_name);
    }
    if (!want) {
        tap_no_offload(name);
        if (tap_plain(fd, name, err) < 0) {
            close(fd);
            return -1;
        }
        return fd;
    }
    if (tap_vnet(fd, name, err) < 0) {
        close(fd);
        return -1;
    }
    *vnet = true;
    return fd;
}

/* The MTU of the TAP interface fd is attached to, as Solo5 reports it:
 * what the host side was configured with (ip link set TAP mtu N). */
static int tap_mtu(int fd, uint16_t *mtu, char *err)
{
    struct ifreq ifr;
    int s, e;

    memset(&ifr, 0, sizeof ifr);
    if (ioctl(fd, TUNGETIFF, &ifr) < 0)
        return tender_err(err, "cannot get the TAP interface's name: %s",
                          strerror(errno));
    s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return tender_err(err, "cannot get the MTU of '%s': socket: %s",
                          ifr.ifr_name, strerror(errno));
    e = ioctl(s, SIOCGIFMTU, &ifr) < 0 ? errno : 0;
    close(s);
    if (e != 0)
        return tender_err(err, "cannot get the MTU of '%s': %s",
                          ifr.ifr_name, strerror(e));
    /* The manifest holds 16 bits; below 576 an IPv4 host may not be able
     * to send a datagram it must accept. */
    if (ifr.ifr_mtu < TENDER_NET_MIN_MTU || ifr.ifr_mtu > TENDER_NET_MAX_MTU)
        return tender_err(err, "TAP interface '%s' has MTU %d, not from %d "
                          "to %d (set it with: ip link set %s mtu 1500)",
                          ifr.ifr_name, ifr.ifr_mtu, TENDER_NET_MIN_MTU,
                          TENDER_NET_MAX_MTU, ifr.ifr_name);
    *mtu = (uint16_t)ifr.ifr_mtu;
    return 0;
}

static int random_mac(uint8_t mac[6], char *err)
{
    if (getrandom(mac, 6, 0) != 6)
        return tender_err(err, "cannot get random bytes for a MAC address: "
                          "%s", strerror(errno));
    mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02); /* unicast, local */
    return 0;
}

static int attach_net(struct atoll_mft_entry *e, struct tender_dev_arg *d,
                      bool want_vnet, bool *vnet, char *err)
{
    uint8_t mac[6];

    if (d->has_mac)
        memcpy(mac, d->mac, sizeof mac);
    else if (random_mac(mac, err) < 0)
        return -1;
    int fd = tap_open(d->path, want_vnet, vnet, err);
    if (fd < 0)
        return -1;
    uint16_t mtu = 0;
    if (tap_mtu(fd, &mtu, err) < 0) {
        close(fd);
        return -1;
    }
    memset(&e->u, 0, sizeof e->u);
    memcpy(e->u.net_basic.mac, mac, sizeof mac);
    e->u.net_basic.mtu = mtu;
    e->b.data = 0;
    e->b.hostfd = fd;
    e->attached = true;
    return 0;
}

static int block_size(int fd, const struct stat *st, uint64_t *size)
{
    if (S_ISREG(st->st_mode)) {
        *size = (uint64_t)st->st_size;
        return 0;
    }
    return ioctl(fd, BLKGETSIZE64, size);
}

/*
 * An image is used by one tender at a time, and atoll-kv does not change
 * it behind a running guest: an exclusive flock lock. It belongs to the
 * open file, so it lasts as long as the descriptor, that is the guest's
 * life, needs no system call once taken (nothing to allow in the seccomp
 * filters), would survive an exec of the descriptor, and goes when the
 * tender dies however it dies. Not classic POSIX locks, which give the
 * holder's pid (F_GETLK) but are dropped when the process closes any
 * descriptor of the file; not OFD locks, which behave like flock but hide
 * the holder (F_OFD_GETLK reports pid -1) and do not conflict with
 * flock(1). /proc/locks still names the pid that took a flock lock.
 */
static int lock_block(int fd, const char *path, const struct stat *st,
                      char *err)
{
    char who[64];

    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno != EWOULDBLOCK)
        return tender_err(err, "cannot lock block file '%s': %s", path,
                          strerror(errno));
    tender_lock_holder(st, who, sizeof who);
    return tender_err(err, "block file '%s' is in use: locked%s", path,
                      who[0] ? who : " by another tender or atoll kv");
}

static int attach_block(struct atoll_mft_entry *e, struct tender_dev_arg *d,
                        char *err)
{
    uint32_t sector = d->sector_size ? d->sector_size
                                     : TENDER_DEFAULT_SECTOR_SIZE;
    struct stat st;
    uint64_t size;
    int fd;

    fd = open(d->path, O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return tender_err(err, "cannot open block file '%s': %s", d->path,
                          strerror(errno));
    if (fstat(fd, &st) < 0 || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
        close(fd);
        return tender_err(err, "block file '%s' is not a regular file or "
                          "block device", d->path);
    }
    if (lock_block(fd, d->path, &st, err) < 0) {
        close(fd);
        return -1;
    }
    if (block_size(fd, &st, &size) < 0) {
        close(fd);
        return tender_err(err, "cannot get the size of '%s': %s", d->path,
                          strerror(errno));
    }
    if (size == 0 || size % sector != 0) {
        close(fd);
        return tender_err(err, "block file '%s' is %llu bytes, not a "
                          "non-zero multiple of the %u-byte sector size",
                          d->path, (unsigned long long)size, sector);
    }
    memset(&e->u, 0, sizeof e->u);
    e->u.block_basic.capacity = size;
    e->u.block_basic.block_size = (uint16_t)sector;
    e->b.data = 0;
    e->b.hostfd = fd;
    e->attached = true;
    return 0;
}

static void detach_all(struct atoll_mft *mft)
{
    for (unsigned i = 1; i < mft->entries; i++) {
        if (mft->e[i].attached) {
            close(mft->e[i].b.hostfd);
            mft->e[i].attached = false;
            mft->e[i].b.data = 0;
        }
    }
}

/* Each --block-sector-size is a power of two in range. */
static int check_sector_sizes(const struct tender_args *args, char *err)
{
    for (int i = 0; i < args->nblock; i++) {
        const struct tender_dev_arg *d = &args->block[i];
        uint32_t n = d->sector_size;
        if (d->has_sector_size &&
            (n < TENDER_MIN_SECTOR_SIZE || n > TENDER_MAX_SECTOR_SIZE ||
             (n & (n - 1)) != 0))
            return tender_err(err, "--block-sector-size:%s=%u: the sector "
                              "size must be a power of two from %d to %d",
                              d->name, n, TENDER_MIN_SECTOR_SIZE,
                              TENDER_MAX_SECTOR_SIZE);
    }
    return 0;
}

int tender_attach(struct atoll_mft *mft, struct tender_args *args, char *err)
{
    if (match_declared(mft, args, err) < 0 ||
        check_sector_sizes(args, err) < 0 ||
        match_given(mft, args->net, args->nnet, ATOLL_MFT_DEV_NET_BASIC,
                    err) < 0 ||
        match_given(mft, args->block, args->nblock,
                    ATOLL_MFT_DEV_BLOCK_BASIC, err) < 0)
        return -1;
    args->vnet_got = 0;
    for (unsigned i = 1; i < mft->entries; i++) {
        struct atoll_mft_entry *e = &mft->e[i];
        bool net = e->type == ATOLL_MFT_DEV_NET_BASIC;
        struct tender_dev_arg *d =
            net ? find(args->net, args->nnet, e->name)
                : find(args->block, args->nblock, e->name);
        bool vnet = false;
        int rc = net ? attach_net(e, d, args->vnet_want, &vnet, err)
                     : attach_block(e, d, err);
        if (rc < 0) {
            detach_all(mft);
            args->vnet_got = 0;
            return -1;
        }
        d->used = true;
        if (vnet)
            args->vnet_got |= 1ull << i;
    }
    return 0;
}
