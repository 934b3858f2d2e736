/*
 * Unit tests for the tenders' command-line parser.
 */
#include <stdio.h>
#include <string.h>

#include "../lib/check.h"
#include "tender.h"

#define ARGV(...) ((char *[]){"atoll-hvt", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"atoll-hvt", __VA_ARGS__}) /   \
                         sizeof(char *)))
#define PARSE(a, err, ...) tender_parse_args(ARGC(__VA_ARGS__),           \
                                             ARGV(__VA_ARGS__), (a), (err))

static struct tender_args a;
static char err[TENDER_ERR_SIZE];

static void test_ok(void)
{
    int rc = PARSE(&a, err, "k.hvt");
    t_check("defaults", rc == 0 && strcmp(a.kernel, "k.hvt") == 0 &&
                          a.mem_size == 512ull << 20 && a.guest_argc == 0 &&
                          a.nnet == 0 && a.nblock == 0 && !a.help,
          err);

    rc = PARSE(&a, err, "--mem=64", "--net:service=tap0",
               "--net-mac:service=02:0a:0B:0c:0d:0e", "--block:storage=d.img",
               "--block-sector-size:storage=4096", "k.spt", "--ipv4=1.2.3.4",
               "x");
    t_check("all options", rc == 0 && a.mem_size == 64ull << 20 &&
                             a.nnet == 1 && a.nblock == 1 &&
                             strcmp(a.net[0].name, "service") == 0 &&
                             strcmp(a.net[0].path, "tap0") == 0 &&
                             a.net[0].has_mac && a.net[0].mac[0] == 2 &&
                             a.net[0].mac[1] == 0x0a &&
                             a.net[0].mac[2] == 0x0b &&
                             a.net[0].mac[5] == 0x0e &&
                             strcmp(a.block[0].path, "d.img") == 0 &&
                             a.block[0].sector_size == 4096 &&
                             strcmp(a.kernel, "k.spt") == 0 &&
                             a.guest_argc == 2 &&
                             strcmp(a.guest_argv[0], "--ipv4=1.2.3.4") == 0 &&
                             a.guest_argv[2] == NULL,
          err);

    rc = PARSE(&a, err, "k", "--mem=3", "--help");
    t_check("options after KERNEL are the guest's",
          rc == 0 && a.mem_size == 512ull << 20 && !a.help &&
              a.guest_argc == 2,
          err);

    rc = PARSE(&a, err, "--", "-odd-name", "x");
    t_check("-- ends options", rc == 0 && strcmp(a.kernel, "-odd-name") == 0 &&
                                 a.guest_argc == 1,
          err);

    rc = PARSE(&a, err, "--mem=8", "--help");
    t_check("--help", rc == 0 && a.help && a.kernel == NULL, err);
    rc = PARSE(&a, err, "--version");
    t_check("--version", rc == 0 && a.version, err);

    char name67[80];
    memset(name67, 'n', 67);
    name67[67] = '\0';
    char opt[100];
    snprintf(opt, sizeof opt, "--block:%s=f", name67);
    rc = PARSE(&a, err, opt, "k");
    t_check("67-character name", rc == 0 && strlen(a.block[0].name) == 67,
          err);

    rc = PARSE(&a, err, "--net:a=@3", "--net-mac:b=02:00:00:00:00:01",
               "--block-sector-size:c=32768", "k");
    t_check("@FD, mac-only and sector-only devices",
          rc == 0 && a.nnet == 2 && a.net[1].path == NULL &&
              a.block[0].sector_size == 32768 && a.block[0].path == NULL,
          err);

    rc = PARSE(&a, err, "--x-trace", "k");
    t_check_err("no tender-specific options", rc, err, "unknown option");
}

static void test_errors(void)
{
    t_check_err("no KERNEL", PARSE(&a, err, "--mem=8"), err, "KERNEL");
    t_check_err("empty KERNEL", PARSE(&a, err, ""), err, "KERNEL");
    t_check_err("unknown option", PARSE(&a, err, "--frob", "k"), err,
              "unknown option '--frob'");
    t_check_err("bare --net", PARSE(&a, err, "--net", "k"), err,
              "unknown option");
    t_check_err("--mem not a number", PARSE(&a, err, "--mem=12x", "k"), err,
              "--mem=12x");
    t_check_err("newline in an argument stays one line",
              PARSE(&a, err, "--mem=6\n4", "k"), err, "--mem=6?4");
    t_check_err("--mem empty", PARSE(&a, err, "--mem=", "k"), err, "--mem");
    t_check_err("--mem negative", PARSE(&a, err, "--mem=-5", "k"), err,
              "--mem");
    t_check_err("--mem zero", PARSE(&a, err, "--mem=0", "k"), err, "--mem");
    t_check_err("--mem too large", PARSE(&a, err, "--mem=65537", "k"), err,
              "--mem");
    t_check_err("--mem overflow",
              PARSE(&a, err, "--mem=99999999999999999999999", "k"), err,
              "--mem");
    t_check_err("--mem twice", PARSE(&a, err, "--mem=8", "--mem=8", "k"), err,
              "twice");
    t_check_err("--net twice",
              PARSE(&a, err, "--net:s=tap0", "--net:s=tap1", "k"), err,
              "--net:s given twice");
    t_check_err("--block twice",
              PARSE(&a, err, "--block:s=a", "--block:s=b", "k"), err,
              "twice");
    t_check_err("--net without =", PARSE(&a, err, "--net:s", "k"), err,
              "NAME=VALUE");
    t_check_err("--net empty name", PARSE(&a, err, "--net:=tap0", "k"), err,
              "empty");
    t_check_err("--net empty value", PARSE(&a, err, "--net:s=", "k"), err,
              "empty");
    t_check_err("--net bad name char", PARSE(&a, err, "--net:s/x=t", "k"), err,
              "device names");
    t_check_err("--net long ifname",
              PARSE(&a, err, "--net:s=abcdefghijklmnop", "k"), err,
              "interface name");
    t_check_err("--net bad @fd", PARSE(&a, err, "--net:s=@x", "k"), err,
              "@FD");

    char name68[80], opt[100];
    memset(name68, 'n', 68);
    name68[68] = '\0';
    snprintf(opt, sizeof opt, "--net:%s=tap0", name68);
    t_check_err("68-character name", PARSE(&a, err, opt, "k"), err,
              "longer than 67");

    static const char *const bad_macs[] = {
        "02:00:00:00:00", "02:00:00:00:00:0g", "02:00:00:00:00:01:02",
        "2:00:00:00:00:01", "02-00-00-00-00-01", "020000000001", "",
    };
    for (size_t i = 0; i < sizeof bad_macs / sizeof bad_macs[0]; i++) {
        char name[64];
        snprintf(opt, sizeof opt, "--net-mac:s=%s", bad_macs[i]);
        snprintf(name, sizeof name, "bad MAC '%s'", bad_macs[i]);
        t_check_err(name, PARSE(&a, err, opt, "k"), err, "--net-mac:s");
    }
    t_check_err("multicast MAC",
              PARSE(&a, err, "--net-mac:s=01:00:5e:00:00:01", "k"), err,
              "multicast");
    t_check("sector size 513 parses (tender_attach refuses it)",
          PARSE(&a, err, "--block-sector-size:d=513", "k") == 0 &&
              a.block[0].has_sector_size && a.block[0].sector_size == 513,
          err);
    t_check_err("--block-sector-size twice, the first 0",
              PARSE(&a, err, "--block-sector-size:d=0",
                    "--block-sector-size:d=512", "k"),
              err, "twice");
    t_check_err("--net-mac twice",
              PARSE(&a, err, "--net-mac:s=02:00:00:00:00:01",
                    "--net-mac:s=02:00:00:00:00:02", "k"),
              err, "twice");

    /* Only the syntax: a number out of range is refused by tender_attach
     * (tests/tender/unit_mft.c), with the status of a bad device. */
    static const char *const bad_sizes[] = {
        "4096x", "", "-512", "4294967808", "0x200", " 512",
    };
    for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
        char name[64];
        snprintf(opt, sizeof opt, "--block-sector-size:d=%s", bad_sizes[i]);
        snprintf(name, sizeof name, "bad sector size '%s'", bad_sizes[i]);
        t_check_err(name, PARSE(&a, err, opt, "k"), err,
                  bad_sizes[i][0] ? "power of two" : "empty");
    }
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    test_ok();
    test_errors();
    return t_finish();
}
