/*
 * netpeer: the host side of the guest net round trip.
 *
 *   netpeer IFACE GUEST_MAC
 *
 * Sends an Ethernet frame (local experimental EtherType 0x88b5, a random
 * payload) out of IFACE through an AF_PACKET socket, so that the guest
 * reading the TAP behind IFACE receives it, and waits for the guest to send
 * it back with the MAC addresses swapped. Resends every 200 ms while the
 * tender is still starting. Exit 0 when the echo matches, 1 otherwise, with
 * a one-line reason on stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define ETHERTYPE_TEST 0x88b5
#define PAYLOAD 64
#define FRAME (14 + PAYLOAD)
#define TRIES 50

static int parse_mac(const char *s, unsigned char mac[6])
{
    unsigned int b[6];
    char extra;

    if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5], &extra) != 6)
        return -1;
    for (int i = 0; i < 6; i++) {
        if (b[i] > 0xff)
            return -1;
        mac[i] = (unsigned char)b[i];
    }
    return 0;
}

/* Wait up to ms for the echo of frame; 1 if it came, 0 if not, -1 on error. */
static int wait_echo(int s, const unsigned char *frame, int ms)
{
    unsigned char buf[2048];
    struct pollfd p = {.fd = s, .events = POLLIN};

    while (poll(&p, 1, ms) > 0) {
        ssize_t n = recv(s, buf, sizeof buf, 0);

        if (n < 0)
            return -1;
        /* The echo: to us (frame's source), from the guest (frame's
         * destination), same type and payload. */
        if (n == FRAME && memcmp(buf, frame + 6, 6) == 0 &&
            memcmp(buf + 6, frame, 6) == 0 &&
            memcmp(buf + 12, frame + 12, 2 + PAYLOAD) == 0)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned char frame[FRAME];
    unsigned char guest[6];
    static const unsigned char self[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0xfe};
    struct sockaddr_ll sa;
    unsigned int ifindex;
    int s;

    if (argc != 3 || parse_mac(argv[2], guest) != 0) {
        fprintf(stderr, "usage: netpeer IFACE GUEST_MAC\n");
        return 2;
    }
    ifindex = if_nametoindex(argv[1]);
    if (ifindex == 0) {
        fprintf(stderr, "netpeer: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    s = socket(AF_PACKET, SOCK_RAW, htons(ETHERTYPE_TEST));
    if (s < 0) {
        fprintf(stderr, "netpeer: socket: %s\n", strerror(errno));
        return 1;
    }
    memset(&sa, 0, sizeof sa);
    sa.sll_family = AF_PACKET;
    sa.sll_protocol = htons(ETHERTYPE_TEST);
    sa.sll_ifindex = (int)ifindex;
    if (bind(s, (struct sockaddr *)&sa, sizeof sa) != 0) {
        fprintf(stderr, "netpeer: bind: %s\n", strerror(errno));
        return 1;
    }
    memcpy(frame, guest, 6);
    memcpy(frame + 6, self, 6);
    frame[12] = ETHERTYPE_TEST >> 8;
    frame[13] = ETHERTYPE_TEST & 0xff;
    if (getrandom(frame + 14, PAYLOAD, 0) != PAYLOAD) {
        fprintf(stderr, "netpeer: getrandom: %s\n", strerror(errno));
        return 1;
    }
    for (int i = 0; i < TRIES; i++) {
        /* Fails with ENETDOWN/ENOBUFS until the tender has the TAP open. */
        (void)send(s, frame, sizeof frame, 0);
        int r = wait_echo(s, frame, 200);
        if (r < 0) {
            fprintf(stderr, "netpeer: recv: %s\n", strerror(errno));
            return 1;
        }
        if (r == 1) {
            printf("netpeer: echo of %d bytes received\n", FRAME);
            return 0;
        }
    }
    fprintf(stderr, "netpeer: no echo from %s within %d ms\n", argv[2],
            TRIES * 200);
    return 1;
}
