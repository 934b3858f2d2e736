/*
 * The tenders' command line, shaped like Solo5's:
 *
 *   [--mem=MB] [--net:NAME=TAP] [--net-mac:NAME=MAC] [--block:NAME=FILE]
 *   [--block-sector-size:NAME=N] [--] KERNEL [ARGS...]
 *
 * Only the syntax is checked here; whether NAME is a device the image
 * declares is tender_attach's business, once the manifest is known.
 */
#include <string.h>

#include "internal.h"
#include "tender.h"

#define IFNAME_MAX 15 /* IFNAMSIZ - 1 on Linux */

/* Parse a decimal number with no sign, no spaces and no trailing bytes. */
static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Exactly six colon-separated pairs of hex digits. */
static int parse_mac(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        int hi = hexval(s[0]);
        int lo = hi < 0 ? -1 : hexval(s[1]);
        if (lo < 0)
            return -1;
        mac[i] = (uint8_t)(hi << 4 | lo);
        s += 2;
        if (i < 5 && *s++ != ':')
            return -1;
    }
    return *s == '\0' ? 0 : -1;
}

/*
 * Split "NAME=VALUE" (what follows "--net:" etc.) into name and value.
 * opt is the option prefix, for messages.
 */
static int split_name(const char *opt, const char *s, char name[],
                      const char **value, char *err)
{
    const char *eq = strchr(s, '=');
    size_t n = eq != NULL ? (size_t)(eq - s) : strlen(s);

    if (eq == NULL)
        return tender_err(err, "%s%s: expected %sNAME=VALUE", opt, s, opt);
    if (n == 0)
        return tender_err(err, "%s%s: the device name is empty", opt, s);
    if (n > ATOLL_MFT_NAME_MAX)
        return tender_err(err, "%s: device name is longer than %d characters",
                          opt, ATOLL_MFT_NAME_MAX);
    for (size_t i = 0; i < n; i++)
        if (!tender_name_char_ok(s[i]))
            return tender_err(err, "%s%.*s: device names may hold only "
                              "letters, digits, '_', '-' and '.'",
                              opt, (int)n, s);
    memcpy(name, s, n);
    name[n] = '\0';
    if (eq[1] == '\0')
        return tender_err(err, "%s%s: the value after '=' is empty", opt,
                          name);
    *value = eq + 1;
    return 0;
}

/* The entry for name in list[*n], added if new; NULL when full (the list
 * holds as many entries as a manifest can, so that cannot match anyway). */
static struct tender_dev_arg *dev_get(struct tender_dev_arg *list, int *n,
                                      const char *name)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(list[i].name, name) == 0)
            return &list[i];
    if (*n >= ATOLL_MFT_MAX_ENTRIES)
        return NULL;
    struct tender_dev_arg *d = &list[(*n)++];
    memset(d, 0, sizeof *d);
    strcpy(d->name, name);
    return d;
}

static int opt_net(struct tender_args *a, const char *s, char *err)
{
    char name[ATOLL_MFT_NAME_SIZE];
    const char *val;

    if (split_name("--net:", s, name, &val, err) < 0)
        return -1;
    size_t len = strlen(val);
    if (val[0] == '@') {
        uint64_t fd;
        if (parse_u64(val + 1, 0x7fffffff, &fd) < 0)
            return tender_err(err, "--net:%s=%s: expected a TAP interface "
                              "name or @FD", name, val);
    } else if (len > IFNAME_MAX || strchr(val, '/') != NULL ||
               strchr(val, '%') != NULL) {
        return tender_err(err, "--net:%s=%s: not a valid interface name "
                          "(at most %d characters, no '/' or '%%')",
                          name, val, IFNAME_MAX);
    }
    struct tender_dev_arg *d = dev_get(a->net, &a->nnet, name);
    if (d == NULL)
        return tender_err(err, "too many network devices");
    if (d->path != NULL)
        return tender_err(err, "--net:%s given twice", name);
    d->path = (char *)(uintptr_t)val;
    return 0;
}

static int opt_net_mac(struct tender_args *a, const char *s, char *err)
{
    char name[ATOLL_MFT_NAME_SIZE];
    const char *val;
    uint8_t mac[6];

    if (split_name("--net-mac:", s, name, &val, err) < 0)
        return -1;
    if (parse_mac(val, mac) < 0)
        return tender_err(err, "--net-mac:%s=%s: expected a MAC address "
                          "like 02:00:00:00:00:01", name, val);
    if (mac[0] & 1)
        return tender_err(err, "--net-mac:%s=%s: a multicast address cannot "
                          "be a device's address", name, val);
    struct tender_dev_arg *d = dev_get(a->net, &a->nnet, name);
    if (d == NULL)
        return tender_err(err, "too many network devices");
    if (d->has_mac)
        return tender_err(err, "--net-mac:%s given twice", name);
    d->has_mac = true;
    memcpy(d->mac, mac, sizeof mac);
    return 0;
}

static int opt_block(struct tender_args *a, const char *s, char *err)
{
    char name[ATOLL_MFT_NAME_SIZE];
    const char *val;

    if (split_name("--block:", s, name, &val, err) < 0)
        return -1;
    struct tender_dev_arg *d = dev_get(a->block, &a->nblock, name);
    if (d == NULL)
        return tender_err(err, "too many block devices");
    if (d->path != NULL)
        return tender_err(err, "--block:%s given twice", name);
    d->path = (char *)(uintptr_t)val;
    return 0;
}

static int opt_sector_size(struct tender_args *a, const char *s, char *err)
{
    char name[ATOLL_MFT_NAME_SIZE];
    const char *val;
    uint64_t n;

    if (split_name("--block-sector-size:", s, name, &val, err) < 0)
        return -1;
    /* Only the syntax here: a value out of range is a bad device, refused
     * by tender_attach (status 1, as Solo5's tenders do). */
    if (parse_u64(val, UINT32_MAX, &n) < 0)
        return tender_err(err, "--block-sector-size:%s=%s: expected a power "
                          "of two from %d to %d", name, val,
                          TENDER_MIN_SECTOR_SIZE, TENDER_MAX_SECTOR_SIZE);
    struct tender_dev_arg *d = dev_get(a->block, &a->nblock, name);
    if (d == NULL)
        return tender_err(err, "too many block devices");
    if (d->has_sector_size)
        return tender_err(err, "--block-sector-size:%s given twice", name);
    d->sector_size = (uint32_t)n;
    d->has_sector_size = true;
    return 0;
}

static int opt_mem(struct tender_args *a, const char *s, bool *seen,
                   char *err)
{
    uint64_t mb;

    if (*seen)
        return tender_err(err, "--mem given twice");
    if (parse_u64(s, UINT64_MAX, &mb) < 0 || mb < TENDER_MIN_MEM_MB ||
        mb > TENDER_MAX_MEM_MB)
        return tender_err(err, "--mem=%s: expected a number of MiB from %d "
                          "to %d", s, TENDER_MIN_MEM_MB, TENDER_MAX_MEM_MB);
    a->mem_size = mb << 20;
    *seen = true;
    return 0;
}

static bool prefix(const char *w, const char *p, const char **rest)
{
    size_t n = strlen(p);

    if (strncmp(w, p, n) != 0)
        return false;
    *rest = w + n;
    return true;
}

/* One option word; 0 or -1 with err. */
static int one_option(struct tender_args *a, const char *w, bool *mem_seen,
                      char *err)
{
    const char *rest;

    if (prefix(w, "--mem=", &rest))
        return opt_mem(a, rest, mem_seen, err);
    if (prefix(w, "--net:", &rest))
        return opt_net(a, rest, err);
    if (prefix(w, "--net-mac:", &rest))
        return opt_net_mac(a, rest, err);
    if (prefix(w, "--block:", &rest))
        return opt_block(a, rest, err);
    if (prefix(w, "--block-sector-size:", &rest))
        return opt_sector_size(a, rest, err);
    if (strcmp(w, "-") == 0)
        return tender_err(err, "'-' is not a KERNEL file name");
    return tender_err(err, "unknown option '%.64s'", w);
}

int tender_parse_args(int argc, char **argv, struct tender_args *args,
                      char *err)
{
    bool mem_seen = false;
    int i;

    memset(args, 0, sizeof *args);
    args->mem_size = (uint64_t)TENDER_DEFAULT_MEM_MB << 20;
    err[0] = '\0';
    for (i = 1; i < argc && argv[i] != NULL; i++) {
        const char *w = argv[i];
        if (w[0] != '-')
            break;
        if (strcmp(w, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
            args->help = true;
            return 0;
        }
        if (strcmp(w, "--version") == 0) {
            args->version = true;
            return 0;
        }
        if (one_option(args, w, &mem_seen, err) < 0)
            return -1;
    }
    if (i >= argc || argv[i] == NULL || argv[i][0] == '\0')
        return tender_err(err, "missing KERNEL operand (try --help)");
    args->kernel = argv[i];
    args->guest_argc = argc - i - 1;
    args->guest_argv = argv + i + 1;
    return 0;
}
