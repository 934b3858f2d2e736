/*
 * Unit tests for manifest validation, attaching devices, the guest command
 * line and the extension block.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_tun.h>

#include "../lib/check.h"
#include "tender.h"

static char err[TENDER_ERR_SIZE];

/* A manifest with entry 0 and the given devices ("n:name" or "b:name"). */
static struct atoll_mft *mft_make(int ndev, const char *const *devs,
                                  size_t *size)
{
    *size = ATOLL_MFT_SIZE(ndev + 1);
    struct atoll_mft *m = calloc(1, *size);
    m->version = ATOLL_MFT_VERSION;
    m->entries = (uint32_t)ndev + 1;
    m->e[0].type = ATOLL_MFT_RESERVED_FIRST;
    for (int i = 0; i < ndev; i++) {
        m->e[i + 1].type = devs[i][0] == 'n' ? ATOLL_MFT_DEV_NET_BASIC
                                             : ATOLL_MFT_DEV_BLOCK_BASIC;
        snprintf(m->e[i + 1].name, ATOLL_MFT_NAME_SIZE, "%s", devs[i] + 2);
    }
    return m;
}

static const char *const two[] = {"n:service", "b:storage"};

static void expect_invalid(const char *name, struct atoll_mft *m, size_t size,
                           const char *keyword)
{
    t_check_err(name, tender_mft_validate(m, size, err), err, keyword);
    free(m);
}

static void test_validate(void)
{
    size_t size;
    struct atoll_mft *m = mft_make(0, NULL, &size);
    t_check("only entry 0", tender_mft_validate(m, size, err) == 0, err);
    free(m);
    m = mft_make(2, two, &size);
    t_check("two devices", tender_mft_validate(m, size, err) == 0, err);
    free(m);

    const char *many[ATOLL_MFT_MAX_ENTRIES - 1];
    char names[ATOLL_MFT_MAX_ENTRIES][16];
    for (int i = 0; i < ATOLL_MFT_MAX_ENTRIES - 1; i++) {
        snprintf(names[i], sizeof names[i], "b:d%u", (unsigned)i & 63);
        many[i] = names[i];
    }
    m = mft_make(ATOLL_MFT_MAX_ENTRIES - 1, many, &size);
    t_check("64 entries", tender_mft_validate(m, size, err) == 0, err);
    free(m);

    m = mft_make(0, NULL, &size);
    expect_invalid("smaller than the header", m, 4, "too small");
    m = mft_make(0, NULL, &size);
    m->version = 2;
    expect_invalid("version 2", m, size, "manifest version 2");
    m = mft_make(0, NULL, &size);
    m->entries = 0;
    expect_invalid("no entries", m, 8, "no entries");
    m = mft_make(0, NULL, &size);
    m->entries = 65;
    expect_invalid("65 entries", m, size, "65 entries, at most 64");
    m = mft_make(0, NULL, &size);
    m->entries = 0xffffffffu;
    expect_invalid("2^32-1 entries", m, size, "at most 64");
    m = mft_make(2, two, &size);
    expect_invalid("size too small for entries", m, size - 1,
                   "does not match");
    m = mft_make(2, two, &size);
    m->entries = 2;
    expect_invalid("size too large for entries", m, size, "does not match");
    m = mft_make(2, two, &size);
    m->e[0].name[0] = 'x';
    expect_invalid("entry 0 named", m, size, "entry 0 is not the reserved");
    m = mft_make(2, two, &size);
    m->e[0].type = ATOLL_MFT_DEV_NET_BASIC;
    expect_invalid("entry 0 typed", m, size, "entry 0 is not the reserved");
    m = mft_make(2, two, &size);
    memset(m->e[0].name, 'a', ATOLL_MFT_NAME_SIZE);
    expect_invalid("entry 0 unterminated", m, size, "NUL-terminated");
    m = mft_make(2, two, &size);
    memset(m->e[2].name, 'a', ATOLL_MFT_NAME_SIZE);
    expect_invalid("entry 2 unterminated", m, size, "entry 2: name is not");
    m = mft_make(2, two, &size);
    m->e[2].name[0] = '\0';
    expect_invalid("entry 2 empty name", m, size, "entry 2: name is empty");
    m = mft_make(2, two, &size);
    m->e[1].name[1] = '\033';
    expect_invalid("control character in a name", m, size, "character");
    m = mft_make(2, two, &size);
    strcpy(m->e[2].name, "service");
    expect_invalid("duplicate names", m, size,
                   "entries 1 and 2 have the same name 'service'");
    m = mft_make(2, two, &size);
    m->e[1].type = 3;
    expect_invalid("unknown type", m, size, "unknown device type 3");
    m = mft_make(2, two, &size);
    m->e[2].type = ATOLL_MFT_RESERVED_FIRST;
    expect_invalid("second reserved entry", m, size, "unknown device type");
    m = mft_make(2, two, &size);
    memset(&m->e[2].attached, 0x7f, 1); /* a bool byte that is not 0/1 */
    expect_invalid("attached garbage", m, size, "attached");
    m = mft_make(2, two, &size);
    m->e[0].attached = true;
    expect_invalid("entry 0 attached", m, size, "attached");
}

/* ---- attach ------------------------------------------------------------ */

static char dir[] = "/tmp/atoll-unit-mft-XXXXXX";

static char *file_of(const char *name, off_t size)
{
    static char path[4][256];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
        if (ftruncate(fd, size) != 0)
            perror("ftruncate");
        close(fd);
    }
    return p;
}

static int parse(struct tender_args *a, int argc, char **argv)
{
    return tender_parse_args(argc, argv, a, err);
}

static void attach_err(const char *name, const char *const *devs, int ndev,
                       int argc, char **argv, const char *keyword)
{
    struct tender_args a;
    size_t size;
    struct atoll_mft *m = mft_make(ndev, devs, &size);
    int rc = parse(&a, argc, argv);
    if (rc == 0)
        rc = tender_attach(m, &a, err);
    t_check_err(name, rc, err, keyword);
    for (unsigned i = 0; i < m->entries; i++)
        if (m->e[i].attached)
            close(m->e[i].b.hostfd);
    free(m);
}

static void test_attach_block(void)
{
    struct tender_args a;
    size_t size;
    const char *const blk[] = {"b:storage"};
    const char *const net[] = {"n:service"};
    char *disk = file_of("disk", 8192);
    char opt[300];

    snprintf(opt, sizeof opt, "--block:storage=%s", disk);
    struct atoll_mft *m = mft_make(1, blk, &size);
    int rc = parse(&a, 3, (char *[]){"t", opt, "k", NULL});
    rc = rc ? rc : tender_attach(m, &a, err);
    t_check("block attached", rc == 0 && m->e[1].attached &&
                                m->e[1].u.block_basic.capacity == 8192 &&
                                m->e[1].u.block_basic.block_size == 512 &&
                                m->e[1].b.hostfd > 2 && a.block[0].used,
          err);
    if (rc == 0) {
        int fl = fcntl(m->e[1].b.hostfd, F_GETFL);
        t_check("block opened read-write", (fl & O_ACCMODE) == O_RDWR,
              "not O_RDWR");
        close(m->e[1].b.hostfd);
    }
    free(m);

    m = mft_make(1, blk, &size);
    rc = parse(&a, 4, (char *[]){"t", opt, "--block-sector-size:storage=4096",
                                 "k", NULL});
    rc = rc ? rc : tender_attach(m, &a, err);
    t_check("block sector size 4096", rc == 0 &&
                                        m->e[1].u.block_basic.block_size ==
                                            4096,
          err);
    if (rc == 0)
        close(m->e[1].b.hostfd);
    free(m);

    char *odd = file_of("odd", 1000);
    snprintf(opt, sizeof opt, "--block:storage=%s", odd);
    attach_err("block size not a sector multiple", blk, 1, 3,
               (char *[]){"t", opt, "k", NULL}, "not a non-zero multiple");
    char *empty = file_of("empty", 0);
    snprintf(opt, sizeof opt, "--block:storage=%s", empty);
    attach_err("empty block file", blk, 1, 3,
               (char *[]){"t", opt, "k", NULL}, "is 0 bytes");
    snprintf(opt, sizeof opt, "--block:storage=%s", dir);
    attach_err("directory as block file", blk, 1, 3,
               (char *[]){"t", opt, "k", NULL}, "cannot open block file");
    attach_err("character device as block file", blk, 1, 3,
               (char *[]){"t", "--block:storage=/dev/null", "k", NULL},
               "not a regular file or block device");
    snprintf(opt, sizeof opt, "--block:storage=%s/missing", dir);
    attach_err("missing block file", blk, 1, 3,
               (char *[]){"t", opt, "k", NULL}, "No such file");

    snprintf(opt, sizeof opt, "--block:storage=%s", disk);
    attach_err("declared but not given", blk, 1, 2,
               (char *[]){"t", "k", NULL},
               "device 'storage' (block) declared by the image but no "
               "--block:storage= given");
    attach_err("net declared but not given", net, 1, 2,
               (char *[]){"t", "k", NULL},
               "device 'service' (net) declared by the image but no "
               "--net:service= given");
    attach_err("given but not declared", NULL, 0, 3,
               (char *[]){"t", opt, "k", NULL},
               "--block:storage= given but the image declares no block "
               "device 'storage'");
    attach_err("--net for a block device", blk, 1, 3,
               (char *[]){"t", "--net:storage=tap0", "k", NULL},
               "is a block device");
    attach_err("--block for a net device", net, 1, 4,
               (char *[]){"t", "--net:service=tap0", opt, "k", NULL},
               "given but the image declares no block device 'storage'");
    attach_err("--net-mac alone", net, 1, 3,
               (char *[]){"t", "--net-mac:service=02:00:00:00:00:01", "k",
                          NULL},
               "no --net:service= given");
    attach_err("--net-mac for an undeclared device", NULL, 0, 3,
               (char *[]){"t", "--net-mac:x=02:00:00:00:00:01", "k", NULL},
               "--net-mac:x= given but the image declares no net device");
    /* A sector size out of range is a bad device (status 1), refused
     * before anything is opened. */
    static const char *const bad_sizes[] = {"0", "256", "511", "513",
                                            "1000", "65536", "4294967295"};
    for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
        char sopt[64], sname[64];
        snprintf(sopt, sizeof sopt, "--block-sector-size:storage=%s",
                 bad_sizes[i]);
        snprintf(sname, sizeof sname, "bad sector size %s", bad_sizes[i]);
        attach_err(sname, blk, 1, 4, (char *[]){"t", opt, sopt, "k", NULL},
                   "must be a power of two from 512 to 32768");
    }
    attach_err("sector size for an undeclared device", NULL, 0, 3,
               (char *[]){"t", "--block-sector-size:x=4096", "k", NULL},
               "--block-sector-size:x= given");

    /* Nothing is left open when a later device fails. */
    const char *const both[] = {"b:storage", "b:other"};
    snprintf(opt, sizeof opt, "--block:storage=%s", disk);
    char opt2[300];
    snprintf(opt2, sizeof opt2, "--block:other=%s", odd);
    m = mft_make(2, both, &size);
    rc = parse(&a, 4, (char *[]){"t", opt, opt2, "k", NULL});
    int fd_before = dup(0);
    close(fd_before);
    rc = rc ? rc : tender_attach(m, &a, err);
    int fd_after = dup(0);
    close(fd_after);
    t_check("failed attach closes what it opened",
          rc == -1 && !m->e[1].attached && fd_before == fd_after, err);
    free(m);
}

static int set_mtu(const char *ifname, int mtu)
{
    struct ifreq ifr;
    int s = socket(AF_INET, SOCK_DGRAM, 0), rc;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, ifname);
    ifr.ifr_mtu = mtu;
    rc = s < 0 ? -1 : ioctl(s, SIOCSIFMTU, &ifr);
    if (s >= 0)
        close(s);
    return rc;
}

/* The guest gets the TAP's own MTU (as Solo5 reports it), by name or
 * @FD; one outside 576..65535 is refused. Needs atolltap0. */
static void test_tap_mtu(const char *const *net)
{
    static const int good[] = {9000, 576, 65521, 1500}; /* tun's largest */
    char name[64], fdopt[64];
    struct tender_args a;
    size_t size;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        snprintf(name, sizeof name, "TAP with MTU %d: the guest gets %d",
                 good[i], good[i]);
        if (set_mtu("atolltap0", good[i]) != 0) {
            printf("SKIP: %s: cannot set the MTU (%s)\n", name,
                   strerror(errno));
            continue;
        }
        struct atoll_mft *m = mft_make(1, net, &size);
        int rc = parse(&a, 3, (char *[]){"t", "--net:service=atolltap0",
                                         "k", NULL});
        rc = rc ? rc : tender_attach(m, &a, err);
        t_check(name, rc == 0 && m->e[1].u.net_basic.mtu == good[i], err);
        if (rc == 0)
            close(m->e[1].b.hostfd);
        free(m);
    }

    /* An open TAP descriptor: the MTU of the interface it is attached to. */
    set_mtu("atolltap0", 9000);
    int tun = open("/dev/net/tun", O_RDWR);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strcpy(ifr.ifr_name, "atolltap0");
    if (tun >= 0 && ioctl(tun, TUNSETIFF, &ifr) == 0) {
        struct atoll_mft *m = mft_make(1, net, &size);
        snprintf(fdopt, sizeof fdopt, "--net:service=@%d", tun);
        int rc = parse(&a, 3, (char *[]){"t", fdopt, "k", NULL});
        rc = rc ? rc : tender_attach(m, &a, err);
        t_check("TAP descriptor @FD with MTU 9000: the guest gets 9000",
              rc == 0 && m->e[1].u.net_basic.mtu == 9000, err);
        free(m);
    } else {
        printf("SKIP: TAP descriptor @FD with MTU 9000: %s\n",
               strerror(errno));
    }
    if (tun >= 0)
        close(tun);

    static const int bad[] = {575, 68};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(name, sizeof name, "TAP with MTU %d is refused", bad[i]);
        if (set_mtu("atolltap0", bad[i]) != 0) {
            printf("SKIP: %s: cannot set the MTU (%s)\n", name,
                   strerror(errno));
            continue;
        }
        char want[64];
        snprintf(want, sizeof want, "has MTU %d, not from 576 to 65535",
                 bad[i]);
        attach_err(name, net, 1, 3,
                   (char *[]){"t", "--net:service=atolltap0", "k", NULL},
                   want);
    }
    set_mtu("atolltap0", 1500);
}

static void test_attach_net(void)
{
    const char *const net[] = {"n:service"};

    attach_err("missing TAP interface", net, 1, 3,
               (char *[]){"t", "--net:service=atollnone0", "k", NULL},
               "TAP interface 'atollnone0' does not exist");
    attach_err("@FD that is not a TAP", net, 1, 3,
               (char *[]){"t", "--net:service=@0", "k", NULL},
               "not an attached TAP");

    /* The rest needs a TAP interface: make one in a private network
     * namespace, so nothing outside this process sees it. */
    if (unshare(CLONE_NEWNET) != 0) {
        printf("SKIP: TAP attach: cannot make a network namespace (%s)\n",
               strerror(errno));
        return;
    }
    int tun = open("/dev/net/tun", O_RDWR);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strcpy(ifr.ifr_name, "atolltap0");
    if (tun < 0 || ioctl(tun, TUNSETIFF, &ifr) != 0 ||
        ioctl(tun, TUNSETPERSIST, 1) != 0) {
        printf("SKIP: TAP attach: cannot create a TAP interface (%s)\n",
               strerror(errno));
        if (tun >= 0)
            close(tun);
        return;
    }
    close(tun); /* persistent, not in use */

    attach_err("not a TAP interface", net, 1, 3,
               (char *[]){"t", "--net:service=lo", "k", NULL},
               "'lo' is not a TAP interface");

    struct tender_args a;
    size_t size;
    struct atoll_mft *m = mft_make(1, net, &size);
    int rc = parse(&a, 4, (char *[]){"t", "--net:service=atolltap0",
                                     "--net-mac:service=02:11:22:33:44:55",
                                     "k", NULL});
    rc = rc ? rc : tender_attach(m, &a, err);
    const struct atoll_mft_net_basic *nb = &m->e[1].u.net_basic;
    t_check("TAP attached", rc == 0 && m->e[1].attached && nb->mtu == 1500 &&
                              nb->mac[0] == 0x02 && nb->mac[5] == 0x55,
          err);
    if (rc == 0) {
        int fl = fcntl(m->e[1].b.hostfd, F_GETFL);
        t_check("TAP non-blocking", (fl & O_NONBLOCK) != 0, "blocking");
        attach_err("TAP already in use", net, 1, 3,
                   (char *[]){"t", "--net:service=atolltap0", "k", NULL},
                   "already in use");
        close(m->e[1].b.hostfd);
    }
    free(m);

    m = mft_make(1, net, &size);
    rc = parse(&a, 3, (char *[]){"t", "--net:service=atolltap0", "k", NULL});
    rc = rc ? rc : tender_attach(m, &a, err);
    t_check("random MAC is unicast, locally administered",
          rc == 0 && (nb = &m->e[1].u.net_basic, (nb->mac[0] & 3) == 2),
          err);
    if (rc == 0)
        close(m->e[1].b.hostfd);
    free(m);
    test_tap_mtu(net);
}

/* ---- command line, extension block ------------------------------------- */

static void test_cmdline(void)
{
    char buf[16];

    int rc = tender_cmdline(buf, sizeof buf, 3, (char *[]){"a", "bc", "d"},
                            err);
    t_check("cmdline joined", rc == 0 && strcmp(buf, "a bc d") == 0, err);
    rc = tender_cmdline(buf, sizeof buf, 0, (char *[]){NULL}, err);
    t_check("empty cmdline", rc == 0 && buf[0] == '\0', err);
    rc = tender_cmdline(buf, sizeof buf, 2,
                        (char *[]){"0123456", "89abcde"}, err);
    t_check("cmdline fills the area exactly",
          rc == 0 && strlen(buf) == 15, err);
    rc = tender_cmdline(buf, sizeof buf, 2,
                        (char *[]){"0123456", "89abcdef"}, err);
    t_check_err("cmdline one byte too long", rc, err, "16 bytes, longer than "
                                                    "the 15");

    static char big[8193]; /* 8192 characters and the NUL */
    memset(big, 'x', sizeof big - 1);
    char area[8192];
    rc = tender_cmdline(area, sizeof area, 1, (char *[]){big}, err);
    t_check_err("8192-character argument", rc, err, "longer than the 8191");

    struct atoll_ext ext;
    memset(&ext, 0xff, sizeof ext);
    tender_ext_init(&ext, ATOLL_EXT_F_BLOCK_FLUSH);
    t_check("extension block", ext.magic == ATOLL_EXT_MAGIC &&
                                 ext.version == ATOLL_EXT_VERSION &&
                                 ext.features == ATOLL_EXT_F_BLOCK_FLUSH,
          "fields differ");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    test_validate();
    test_cmdline();
    test_attach_block();
    test_attach_net();
    const char *names[] = {"disk", "odd", "empty"};
    for (size_t i = 0; i < 3; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
    return t_finish();
}
