/* The string extensions: explicit cases; h_strmore.c compares with glibc. */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "../../lib/check.h"

void h_strmore_compare(void);

static void cases(void)
{
    char buf[32] = "a,b,,c", *p = buf, small[8];
    const char hay[] = "hello\0world";

    t_case("strmore/cases");
    t_ok(memmem(hay, sizeof(hay), "\0wor", 4) == hay + 5, "memmem past NUL");
    t_ok(memmem(hay, 3, "", 0) == hay, "memmem empty needle");
    t_ok(memmem(hay, 3, "llo", 3) == NULL, "memmem beyond hlen");
    t_str(strsep(&p, ","), "a", "strsep 1");
    t_str(strsep(&p, ","), "b", "strsep 2");
    t_str(strsep(&p, ","), "", "strsep empty field");
    t_str(strsep(&p, ","), "c", "strsep last");
    t_ok(p == NULL, "strsep sets NULL at the end");
    t_ok(strsep(&p, ",") == NULL, "strsep on NULL");
    t_str(strcasestr("Hello World", "wORLD"), "World", "strcasestr");
    t_ok(strcasestr("abc", "abcd") == NULL, "strcasestr longer needle");
    t_str(strchrnul("abc", 'z'), "", "strchrnul not found: the NUL");
    t_int(strerror_r(ENOENT, small, sizeof(small)), ERANGE, "ERANGE");
    t_str(small, "No such", "truncated message");
    t_int(strerror_r(ENOENT, buf, sizeof(buf)), 0, "fits");
    t_str(buf, "No such file or directory", "message");
    t_int(strerror_r(12345, buf, sizeof(buf)), EINVAL, "unknown EINVAL");
    t_str(buf, "Unknown error 12345", "unknown message");
    memset(buf, 'x', sizeof(buf));
    explicit_bzero(buf, 8);
    t_ok(buf[0] == 0 && buf[7] == 0 && buf[8] == 'x', "explicit_bzero");
    t_int(ffs(0), 0, "ffs(0)");
    t_int(ffs(1), 1, "ffs(1)");
    t_int(ffs((int)0x80000000u), 32, "ffs(INT_MIN)");
    t_int(ffsll((long long)(1ULL << 63)), 64, "ffsll top bit");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    cases();
    h_strmore_compare();
    return t_finish();
}
