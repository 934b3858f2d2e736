/* time.h: time() and clock_gettime() over the platform clocks, which the
 * harness sets (nanoseconds). */
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "../../lib/check.h"
#include "../../lib/fake.h"

static void time_seconds(void)
{
    time_t t = -7;

    t_case("time/time");
    t_set_clocks(1700000000999999999ULL, 0);
    t_int(time(NULL), 1700000000, "time(NULL) truncates to the second");
    t_int(time(&t), 1700000000, "time(&t) returns");
    t_int(t, 1700000000, "time(&t) stores");
    t_set_clocks(0, 123);
    t_int(time(NULL), 0, "epoch");
    t_set_clocks(999999999, 0);
    t_int(time(NULL), 0, "just before one second");
    t_set_clocks(1000000000, 0);
    t_int(time(NULL), 1, "one second");
    t_set_clocks(UINT64_MAX, 0);
    t_int(time(NULL), 18446744073LL, "the largest clock value");
    t_set_clocks(4102444800000000000ULL, 0); /* 2100-01-01 */
    t_int(time(NULL), 4102444800LL, "past 2038");
}

static void gettime(void)
{
    struct timespec ts = {-1, -1};

    t_case("time/clock_gettime");
    t_set_clocks(1700000000123456789ULL, 5000000001ULL);
    t_int(clock_gettime(CLOCK_REALTIME, &ts), 0, "REALTIME returns 0");
    t_int(ts.tv_sec, 1700000000, "REALTIME seconds");
    t_int(ts.tv_nsec, 123456789, "REALTIME nanoseconds");
    t_int(clock_gettime(CLOCK_MONOTONIC, &ts), 0, "MONOTONIC returns 0");
    t_int(ts.tv_sec, 5, "MONOTONIC seconds");
    t_int(ts.tv_nsec, 1, "MONOTONIC nanoseconds");
    t_set_clocks(999999999, 0);
    clock_gettime(CLOCK_REALTIME, &ts);
    t_ok(ts.tv_sec == 0 && ts.tv_nsec == 999999999, "below one second");
    t_set_clocks(0, 0);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    t_ok(ts.tv_sec == 0 && ts.tv_nsec == 0, "zero");

    ts.tv_sec = ts.tv_nsec = 42;
    errno = 0;
    t_int(clock_gettime(2, &ts), -1, "unknown clock fails");
    t_int(errno, EINVAL, "unknown clock errno");
    t_ok(ts.tv_sec == 42 && ts.tv_nsec == 42, "unknown clock leaves ts");
    errno = 0;
    t_int(clock_gettime(-1, &ts), -1, "clock -1 fails");
    t_int(errno, EINVAL, "clock -1 errno");
}

int main(int argc, char **argv)
{
    t_init(argc, argv);
    time_seconds();
    gettime();
    return t_finish();
}
