/*
 * bench/net's floor: the least any program behind a TAP device can do.
 * It answers ARP for its address, ICMP echo, and UDP on port 7 by
 * sending the frame back with the addresses swapped, through the same
 * calls atoll-spt makes per frame (epoll_wait until the TAP is readable,
 * read until EAGAIN, one write per answer), with no network stack at
 * all. bench/net/run.sh measures ping and UDP echo against it beside
 * Atoll: what is left between the two is Atoll's, the rest is the TAP's
 * and the wake-up's.
 *
 *   tap_reflect IFNAME IPV4   (the TAP exists, e.g. ip tuntap add)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const uint8_t my_mac[6] = {0x02, 0x00, 0x00, 0xbe, 0x0c, 0x01};
static uint8_t my_ip[4];

static int open_tap(const char *name)
{
    struct ifreq ifr;
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);

    if (fd < 0)
        return -1;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (strlen(name) >= sizeof ifr.ifr_name) {
        close(fd);
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(ifr.ifr_name, name, strlen(name));
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void swap(uint8_t *a, uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

/* The answer to frame f (n bytes) in place; its length, or 0: none. */
static size_t reflect(uint8_t *f, size_t n)
{
    if (n < 42)
        return 0;
    if (f[12] == 0x08 && f[13] == 0x06) { /* ARP request for my_ip */
        if (f[20] != 0 || f[21] != 1 || memcmp(f + 38, my_ip, 4) != 0)
            return 0;
        memcpy(f, f + 6, 6);
        memcpy(f + 6, my_mac, 6);
        f[21] = 2;
        memcpy(f + 32, f + 22, 10); /* target: the asker */
        memcpy(f + 22, my_mac, 6);
        memcpy(f + 28, my_ip, 4);
        return 42;
    }
    if (f[12] != 0x08 || f[13] != 0x00 || (f[14] & 0xf0) != 0x40)
        return 0;
    size_t ihl = (size_t)(f[14] & 15) * 4;
    if (ihl < 20 || n < 14 + ihl + 8 || memcmp(f + 30, my_ip, 4) != 0)
        return 0;
    uint8_t *l4 = f + 14 + ihl;
    if (f[23] == 1 && l4[0] == 8) { /* echo request: reply */
        unsigned sum = (unsigned)(l4[2] << 8 | l4[3]) + 0x0800;
        sum = (sum & 0xffff) + (sum >> 16);
        l4[0] = 0;
        l4[2] = (uint8_t)(sum >> 8);
        l4[3] = (uint8_t)sum;
    } else if (f[23] == 17 && l4[2] == 0 && l4[3] == 7) { /* UDP echo */
        swap(l4, l4 + 2, 2); /* the checksum does not change */
    } else {
        return 0;
    }
    swap(f, f + 6, 6);
    swap(f + 26, f + 30, 4); /* nor does the header's */
    return n;
}

int main(int argc, char **argv)
{
    static uint8_t frame[65536];
    struct epoll_event ev = {.events = EPOLLIN};
    int fd, ep;

    if (argc != 3 || inet_pton(AF_INET, argv[2], my_ip) != 1) {
        fprintf(stderr, "usage: tap_reflect IFNAME IPV4\n");
        return 2;
    }
    fd = open_tap(argv[1]);
    if (fd < 0) {
        fprintf(stderr, "tap_reflect: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    ep = epoll_create1(0);
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
        perror("tap_reflect: epoll");
        return 1;
    }
    for (;;) {
        if (epoll_wait(ep, &ev, 1, -1) < 0 && errno != EINTR) {
            perror("tap_reflect: epoll_wait");
            return 1;
        }
        for (;;) {
            ssize_t n = read(fd, frame, sizeof frame);
            if (n < 0 && errno == EAGAIN)
                break;
            if (n < 0) {
                perror("tap_reflect: read");
                return 1;
            }
            size_t m = reflect(frame, (size_t)n);
            if (m > 0 && write(fd, frame, m) < 0 && errno != EAGAIN) {
                perror("tap_reflect: write");
                return 1;
            }
        }
    }
}
