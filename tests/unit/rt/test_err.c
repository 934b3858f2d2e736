/*
 * include/atoll/err.h and atoll_strerror (lib/rt/err.c): each code is
 * minus the Linux errno of the same meaning, as err.h documents, and has
 * words of its own.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "atoll/err.h"
#include "../../lib/check.h"

static const struct {
    int code, linux_errno;
} codes[] = {
    {ATOLL_ERR_NOENT, ENOENT},
    {ATOLL_ERR_IO, EIO},
    {ATOLL_ERR_AGAIN, EAGAIN},
    {ATOLL_ERR_NOMEM, ENOMEM},
    {ATOLL_ERR_INVAL, EINVAL},
    {ATOLL_ERR_NOSPC, ENOSPC},
    {ATOLL_ERR_ROFS, EROFS},
    {ATOLL_ERR_PIPE, EPIPE},
    {ATOLL_ERR_RANGE, ERANGE},
    {ATOLL_ERR_MSGSIZE, EMSGSIZE},
    {ATOLL_ERR_NOTSUP, ENOTSUP},
    {ATOLL_ERR_ADDRINUSE, EADDRINUSE},
    {ATOLL_ERR_NETUNREACH, ENETUNREACH},
    {ATOLL_ERR_CONNABORTED, ECONNABORTED},
    {ATOLL_ERR_CONNRESET, ECONNRESET},
    {ATOLL_ERR_NOTCONN, ENOTCONN},
    {ATOLL_ERR_TIMEDOUT, ETIMEDOUT},
    {ATOLL_ERR_CONNREFUSED, ECONNREFUSED},
    {ATOLL_ERR_HOSTUNREACH, EHOSTUNREACH},
    {ATOLL_ERR_CORRUPT, EUCLEAN},
    {ATOLL_ERR_FORMAT, EMEDIUMTYPE},
};
#define NCODES (sizeof codes / sizeof codes[0])

static const char *values_are_minus_linux_errno(void)
{
    for (size_t i = 0; i < NCODES; i++)
        if (codes[i].code != -codes[i].linux_errno)
            T_FAILF("code %zu is %d, not -%d", i, codes[i].code,
                    codes[i].linux_errno);
    return NULL;
}

static const char *each_code_has_its_words(void)
{
    for (size_t i = 0; i < NCODES; i++) {
        const char *s = atoll_strerror(codes[i].code);

        if (strcmp(s, "unknown error") == 0 || strcmp(s, "success") == 0)
            T_FAILF("code %d: '%s'", codes[i].code, s);
        for (size_t j = 0; j < i; j++)
            if (strcmp(s, atoll_strerror(codes[j].code)) == 0)
                T_FAILF("codes %d and %d: both '%s'", codes[i].code,
                        codes[j].code, s);
    }
    return NULL;
}

static const char *others_are_unknown(void)
{
    T_ASSERT(strcmp(atoll_strerror(0), "success") == 0);
    for (int e = -200; e <= 200; e++) {
        bool known = e == 0;

        for (size_t i = 0; i < NCODES; i++)
            known = known || codes[i].code == e;
        if (!known && strcmp(atoll_strerror(e), "unknown error") != 0)
            T_FAILF("%d: '%s'", e, atoll_strerror(e));
    }
    return NULL;
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    RUN(values_are_minus_linux_errno);
    RUN(each_code_has_its_words);
    RUN(others_are_unknown);
    return t_finish();
}
