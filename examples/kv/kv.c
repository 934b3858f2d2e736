/*
 * kv: lib/kv in a unikernel, serving its store over TCP (server.c, the
 * protocol in README.md) or running a script from its arguments and an
 * optional generated workload (the crash tests use that).
 *
 *   atoll-spt --net:service=tap0 --block:storage=kv.img kv.spt \
 *       --ipv4=10.0.0.2/24
 *   atoll-spt --net:service=tap0 --block:storage=kv.img kv.spt \
 *       --mode=script -- put greeting hello commit get greeting
 *
 * The script and the workload run first in either mode, so a script can
 * seed the store before it is served; --mode=script exits after them,
 * printing what happened, one line per step.
 *
 * Script words: put KEY VALUE, del KEY, get KEY, list, prefix PREFIX,
 * commit, rollback, stats. Changes are visible at once and durable at "commit";
 * the end of the script rolls back anything uncommitted.
 *
 * --loop=N runs N commits (-1: until killed) of a workload made for crash
 * tests: commit SEQ puts 1..--batch keys "kNN" (and sometimes deletes
 * one) plus "seq" = SEQ. Before committing it prints
 *   begin SEQ put k03 k11 del k07
 * and once the commit has returned
 *   commit SEQ
 * The value of a key put by commit SEQ is the text "SEQ.KEY;" repeated
 * to a length of (SEQ * 131 + N * 31) % --value-max bytes (N from kNN), so
 * the host can check it. SEQ continues from the store's "seq".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/blockdev.h"
#include "atoll/kv.h"
#include "atoll/rt.h"

#include "server.h"

const char atoll_app_name[] = "kv";

static const char *check_mode(const char *v)
{
    if (strcmp(v, "serve") == 0 || strcmp(v, "script") == 0)
        return NULL;
    return "expected serve or script";
}
ATOLL_PARAM_STRING_CHECKED(mode, "mode", "serve", check_mode, "serve|script",
                           "after the script and --loop: serve the store "
                           "over TCP, or exit");
ATOLL_PARAM_BOOL(do_format, "format", false,
                 "format the device when it holds no store");
ATOLL_PARAM_INT(loop, "loop", 0, -1, INT64_MAX,
                "commits of the generated workload (-1: forever)");
ATOLL_PARAM_INT(nkeys, "keys", 16, 1, 100, "workload: number of keys");
ATOLL_PARAM_INT(batch, "batch", 3, 1, 50,
                "workload: most puts in one commit");
ATOLL_PARAM_INT(value_max, "value-max", 3000, 1, 1 << 20,
                "workload: values are shorter than this");
ATOLL_PARAM_INT(seed, "seed", 1, 0, INT64_MAX, "workload: random seed");

static struct atoll_kv *kv;
static uint8_t *vbuf;
static size_t vcap;

static int print_key(void *arg, const void *key, size_t klen, size_t vlen)
{
    (void)arg;
    printf("  %.*s (%zu bytes)\n", (int)klen, (const char *)key, vlen);
    return 0;
}

/* One script step at argv[i]; returns the words it used, or -1. */
static int step(int argc, char **argv, int i)
{
    const char *w = argv[i];
    int r;

    if (strcmp(w, "put") == 0 && i + 2 < argc) {
        r = atoll_kv_put(kv, argv[i + 1], strlen(argv[i + 1]), argv[i + 2],
                         strlen(argv[i + 2]));
        printf("put %s: %s\n", argv[i + 1], atoll_strerror(r));
        return 3;
    }
    if (strcmp(w, "del") == 0 && i + 1 < argc) {
        r = atoll_kv_del(kv, argv[i + 1], strlen(argv[i + 1]));
        printf("del %s: %s\n", argv[i + 1], atoll_strerror(r));
        return 2;
    }
    if (strcmp(w, "get") == 0 && i + 1 < argc) {
        size_t vlen = 0;
        r = atoll_kv_get(kv, argv[i + 1], strlen(argv[i + 1]), vbuf, vcap,
                         &vlen);
        if (r == 0)
            printf("get %s: %.*s\n", argv[i + 1], (int)vlen,
                   (const char *)vbuf);
        else
            printf("get %s: %s\n", argv[i + 1], atoll_strerror(r));
        return 2;
    }
    if (strcmp(w, "list") == 0 || (strcmp(w, "prefix") == 0 && i + 1 < argc)) {
        const char *p = w[0] == 'p' ? argv[i + 1] : "";
        printf("list %s:\n", p);
        atoll_kv_list(kv, p, strlen(p), print_key, NULL);
        return w[0] == 'p' ? 2 : 1;
    }
    if (strcmp(w, "commit") == 0) {
        printf("commit: %s\n", atoll_strerror(atoll_kv_commit(kv)));
        return 1;
    }
    if (strcmp(w, "rollback") == 0) {
        printf("rollback: %s\n", atoll_strerror(atoll_kv_rollback(kv)));
        return 1;
    }
    if (strcmp(w, "stats") == 0) {
        struct atoll_kv_stats st;
        atoll_kv_stats(kv, &st);
        printf("stats: %llu keys, %llu live bytes, log %llu of %llu bytes, "
               "%llu commits\n", (unsigned long long)st.keys,
               (unsigned long long)st.live_bytes,
               (unsigned long long)st.log_bytes,
               (unsigned long long)st.data_size,
               (unsigned long long)st.commits);
        return 1;
    }
    printf("bad script word '%s' (put K V, del K, get K, list, prefix P, "
           "commit, rollback, stats)\n", w);
    return -1;
}

static uint64_t rng;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The value commit seq gives key kNN (see the top of the file). */
static size_t make_value(uint64_t seq, int n)
{
    char unit[48];
    size_t len = (size_t)((seq * 131 + (uint64_t)n * 31) % (uint64_t)value_max);
    int ul = snprintf(unit, sizeof unit, "%llu.k%02d;",
                      (unsigned long long)seq, n);
    for (size_t i = 0; i < len; i++)
        vbuf[i] = (uint8_t)unit[i % (size_t)ul];
    return len;
}

static int workload(void)
{
    uint64_t seq = 0;
    size_t vlen;
    char key[8];
    int r;

    r = atoll_kv_get(kv, "seq", 3, vbuf, vcap, &vlen);
    if (r == 0) {
        vbuf[vlen < vcap ? vlen : vcap - 1] = '\0';
        seq = strtoull((char *)vbuf, NULL, 10);
    } else if (r != ATOLL_ERR_NOENT) {
        printf("error: get seq: %s\n", atoll_strerror(r));
        return 1;
    }
    for (int64_t done = 0; loop < 0 || done < loop; done++) {
        char line[512];
        int len, n, puts[50], nputs, del = -1;

        seq++;
        rng = ((uint64_t)seed * 0x9e3779b97f4a7c15ull) ^ (seq * 0xbf58476d1ce4e5b9ull);
        rng |= 1;
        nputs = 1 + (int)(rnd() % (uint64_t)batch);
        for (int i = 0; i < nputs; i++)
            puts[i] = (int)(rnd() % (uint64_t)nkeys);
        if (rnd() % 4 == 0)
            del = (int)(rnd() % (uint64_t)nkeys);
        len = snprintf(line, sizeof line, "begin %llu put",
                       (unsigned long long)seq);
        for (int i = 0; i < nputs; i++)
            len += snprintf(line + len, sizeof line - (size_t)len, " k%02d",
                            puts[i]);
        if (del >= 0)
            snprintf(line + len, sizeof line - (size_t)len, " del k%02d", del);
        printf("%s\n", line);
        for (int i = 0; i < nputs; i++) {
            snprintf(key, sizeof key, "k%02d", puts[i]);
            vlen = make_value(seq, puts[i]);
            if ((r = atoll_kv_put(kv, key, 3, vbuf, vlen)) != 0) {
                printf("error: put %s: %s\n", key, atoll_strerror(r));
                return 1;
            }
        }
        if (del >= 0) {
            snprintf(key, sizeof key, "k%02d", del);
            r = atoll_kv_del(kv, key, 3);
            if (r != 0 && r != ATOLL_ERR_NOENT) {
                printf("error: del %s: %s\n", key, atoll_strerror(r));
                return 1;
            }
        }
        n = snprintf((char *)vbuf, vcap, "%llu", (unsigned long long)seq);
        if ((r = atoll_kv_put(kv, "seq", 3, vbuf, (size_t)n)) != 0 ||
            (r = atoll_kv_commit(kv)) != 0) {
            printf("error: commit %llu: %s\n", (unsigned long long)seq,
                   atoll_strerror(r));
            return 1;
        }
        printf("commit %llu\n", (unsigned long long)seq);
    }
    return 0;
}

int main(int argc, char **argv)
{
    static struct atoll_blockdev dev;
    struct atoll_kv_stats st;
    char why[200];
    int r, status = 0;

    if (atoll_blockdev_platform(&dev, "storage") != 0) {
        printf("error: no usable block device 'storage'\n");
        return 1;
    }
    r = atoll_kv_open(&dev, 0, &kv, why, sizeof why);
    if (r == ATOLL_ERR_FORMAT && do_format) {
        if ((r = atoll_kv_format(&dev, NULL)) != 0) {
            printf("error: format: %s\n", atoll_strerror(r));
            return 1;
        }
        printf("formatted the device\n");
        r = atoll_kv_open(&dev, 0, &kv, why, sizeof why);
    }
    if (r != 0) {
        printf("error: open: %s\n", why);
        return 1;
    }
    atoll_kv_stats(kv, &st);
    printf("open: %llu keys, %llu commits, replayed %llu bytes, max value "
           "%llu\n", (unsigned long long)st.keys,
           (unsigned long long)st.commits,
           (unsigned long long)st.replayed_bytes,
           (unsigned long long)st.max_value);
    vcap = st.max_value + 1;
    if ((vbuf = malloc(vcap)) == NULL) {
        printf("error: out of memory\n");
        return 1;
    }
    if (value_max > (int64_t)st.max_value)
        value_max = (int64_t)st.max_value;
    for (int i = 1; i < argc;) {
        int n = step(argc, argv, i);
        if (n < 0) {
            status = 2;
            break;
        }
        i += n;
    }
    if (status == 0 && loop != 0)
        status = workload();
    if (status == 0 && strcmp(mode, "serve") == 0) {
        /* What the script left uncommitted goes, as at its end. */
        if ((r = atoll_kv_rollback(kv)) != 0) {
            printf("error: rollback: %s\n", atoll_strerror(r));
            return 1;
        }
        free(vbuf);
        return kv_serve(&dev, kv);
    }
    atoll_kv_close(kv);
    return status;
}
