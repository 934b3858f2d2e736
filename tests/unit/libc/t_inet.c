/* arpa/inet.h and netinet/in.h: explicit cases; h_inet.c compares the
 * conversions with glibc's on generated inputs. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "../../lib/check.h"

void h_inet_compare(void);

static void byteorder(void)
{
    uint32_t l = 0x01020304;
    uint16_t s = 0x0102;

    t_case("inet/byte order");
    l = htonl(l);
    s = htons(s);
    t_mem(&l, 4, "\x01\x02\x03\x04", 4, "htonl");
    t_mem(&s, 2, "\x01\x02", 2, "htons");
    t_uint(ntohl(l), 0x01020304, "ntohl");
    t_uint(ntohs(s), 0x0102, "ntohs");
    t_uint(sizeof(struct sockaddr_in), 16, "sizeof sockaddr_in");
    t_uint(sizeof(struct sockaddr_in6), 28, "sizeof sockaddr_in6");
}

static void pton(void)
{
    unsigned char a[16];
    char buf[INET6_ADDRSTRLEN];

    t_case("inet/pton and ntop");
    t_int(inet_pton(AF_INET, "192.168.0.255", a), 1, "ipv4");
    t_mem(a, 4, "\xc0\xa8\x00\xff", 4, "ipv4 bytes");
    t_int(inet_pton(AF_INET, "192.168.0.256", a), 0, "octet too big");
    t_int(inet_pton(AF_INET, "1.2.3", a), 0, "three parts");
    t_int(inet_pton(AF_INET, "01.2.3.4", a), 0, "leading zero");
    t_int(inet_pton(AF_INET6, "::", a), 1, "::");
    t_mem(a, 16, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16, ":: bytes");
    t_int(inet_pton(AF_INET6, "fe80::1:2", a), 1, "fe80::1:2");
    t_mem(a, 16, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\x01\0\x02", 16,
          "fe80::1:2 bytes");
    t_int(inet_pton(AF_INET6, "::ffff:10.0.0.1", a), 1, "mapped");
    t_str(inet_ntop(AF_INET6, a, buf, sizeof(buf)), "::ffff:10.0.0.1",
          "mapped ntop");
    t_int(inet_pton(AF_INET6, "1::2::3", a), 0, "two ::");
    t_int(inet_pton(AF_INET6, "12345::", a), 0, "five digits");
    errno = 0;
    t_int(inet_pton(99, "1.2.3.4", a), -1, "bad family");
    t_int(errno, EAFNOSUPPORT, "bad family errno");
    inet_pton(AF_INET6, "2001:db8:0:0:1:0:0:1", a);
    t_str(inet_ntop(AF_INET6, a, buf, sizeof(buf)), "2001:db8::1:0:0:1",
          "first longest run");
    errno = 0;
    t_ok(inet_ntop(AF_INET6, a, buf, 17) == NULL, "17 bytes too small");
    t_int(errno, ENOSPC, "too small errno");
    t_str(inet_ntop(AF_INET6, a, buf, 18), "2001:db8::1:0:0:1", "18 fit");
    inet_pton(AF_INET, "10.20.30.40", a);
    t_str(inet_ntop(AF_INET, a, buf, 16), "10.20.30.40", "ipv4 ntop");
}

static void aton(void)
{
    struct in_addr in;

    t_case("inet/aton addr ntoa");
    t_int(inet_aton("127.1", &in), 1, "two parts");
    t_uint(ntohl(in.s_addr), 0x7f000001, "127.1");
    t_int(inet_aton("0x7f.0.0.010", &in), 1, "hex and octal");
    t_uint(ntohl(in.s_addr), 0x7f000008, "0x7f.0.0.010");
    t_int(inet_aton("4294967295", &in), 1, "one part");
    t_uint(in.s_addr, 0xffffffff, "one part value");
    t_int(inet_aton("1.2.3.4 trailing", &in), 1, "white space ends it");
    t_int(inet_aton("1.2.3.4x", &in), 0, "junk after");
    t_int(inet_aton("256.1", &in), 0, "first part too big");
    t_uint(inet_addr("255.255.255.255"), INADDR_NONE, "inet_addr all ones");
    t_uint(inet_addr("nope"), INADDR_NONE, "inet_addr failure");
    in.s_addr = htonl(0xc0000201);
    t_str(inet_ntoa(in), "192.0.2.1", "inet_ntoa");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    byteorder();
    pton();
    aton();
    h_inet_compare();
    return t_finish();
}
