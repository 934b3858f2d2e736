/*
 * lib/http's percent-decoding and path normalization: decoded paths,
 * dot segments, and every refused escape.
 */
#include <stdio.h>
#include <string.h>

#include <atoll/err.h>
#include <atoll/http.h>

#include "../../lib/check.h"

static const struct {
    const char *in, *out; /* out NULL: refused with err */
    long err;
} cases[] = {
    {"/", "/", 0},
    {"/index.html", "/index.html", 0},
    {"/a/b/", "/a/b/", 0},
    {"/a//b", "/a/b", 0},
    {"/a/./b", "/a/b", 0},
    {"/a/.", "/a/", 0},
    {"/a/b/../c", "/a/c", 0},
    {"/a/b/..", "/a/", 0},
    {"/a/..", "/", 0},
    {"/a/../", "/", 0},
    {"/./", "/", 0},
    {"/a/b/../../c", "/c", 0},
    {"/a?x=/../..", "/a", 0},
    {"/%41%62c", "/Abc", 0},
    {"/%e2%82%ac", "/\xe2\x82\xac", 0},
    {"/a%20b", "/a b", 0},
    {"/a/%2e/b", "/a/b", 0},
    {"/a/%2e%2E/b", "/b", 0},
    {"/...", "/...", 0},
    {"/a/.b/..c", "/a/.b/..c", 0},
    {"/%25", "/%", 0},
    {"/..", 0, ATOLL_ERR_INVAL},
    {"/../a", 0, ATOLL_ERR_INVAL},
    {"/a/../..", 0, ATOLL_ERR_INVAL},
    {"/a/../../etc/passwd", 0, ATOLL_ERR_INVAL},
    {"/%2e%2e/a", 0, ATOLL_ERR_INVAL},
    {"/.%2e", 0, ATOLL_ERR_INVAL},
    {"/a%2fb", 0, ATOLL_ERR_INVAL},
    {"/a%2Fb", 0, ATOLL_ERR_INVAL},
    {"/a%5cb", 0, ATOLL_ERR_INVAL},
    {"/a%00b", 0, ATOLL_ERR_INVAL},
    {"/a%", 0, ATOLL_ERR_INVAL},
    {"/a%4", 0, ATOLL_ERR_INVAL},
    {"/a%4g", 0, ATOLL_ERR_INVAL},
    {"/a%g4", 0, ATOLL_ERR_INVAL},
    {"/a#f", 0, ATOLL_ERR_INVAL},
    {"a/b", 0, ATOLL_ERR_INVAL},
    {"", 0, ATOLL_ERR_INVAL},
    {"?q", 0, ATOLL_ERR_INVAL},
    {"*", 0, ATOLL_ERR_INVAL},
};

int main(int argc, char **argv)
{
    t_init(argc, argv);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[64], name[96], why[160];
        long n = http_path_normalize(cases[i].in, strlen(cases[i].in), out,
                                     sizeof out);
        snprintf(name, sizeof name, "path \"%s\" -> %s", cases[i].in,
                 cases[i].out ? cases[i].out : "refused");
        if (cases[i].out) {
            snprintf(why, sizeof why, "got %ld \"%.*s\"", n,
                     n > 0 ? (int)n : 0, out);
            t_check(name, n == (long)strlen(cases[i].out) &&
                              memcmp(out, cases[i].out, (size_t)n) == 0, why);
        } else {
            snprintf(why, sizeof why, "got %ld", n);
            t_check(name, n == cases[i].err, why);
        }
    }
    /* The output buffer: exactly enough, one byte short, a NUL inside. */
    char out[8];
    t_check("path fills its buffer",
            http_path_normalize("/abc/def", 8, out, 8) == 8, "");
    t_check("path one byte over: RANGE",
            http_path_normalize("/abc/defg", 9, out, 8) == ATOLL_ERR_RANGE,
            "");
    t_check("path escape cut short by the length refused",
            http_path_normalize("/a%41", 4, out, 8) == ATOLL_ERR_INVAL, "");
    t_check("path with a raw NUL refused",
            http_path_normalize("/a\0b", 4, out, 8) == ATOLL_ERR_INVAL, "");
    return t_finish();
}
