/* Absolute values and quotients (abs(INT_MIN) is undefined, as in C). */
#include <inttypes.h>
#include <stdlib.h>

int abs(int j) { return j < 0 ? -j : j; }
long labs(long j) { return j < 0 ? -j : j; }
long long llabs(long long j) { return j < 0 ? -j : j; }
intmax_t imaxabs(intmax_t j) { return j < 0 ? -j : j; }

div_t div(int numer, int denom)
{
    div_t r = {numer / denom, numer % denom};
    return r;
}

ldiv_t ldiv(long numer, long denom)
{
    ldiv_t r = {numer / denom, numer % denom};
    return r;
}

lldiv_t lldiv(long long numer, long long denom)
{
    lldiv_t r = {numer / denom, numer % denom};
    return r;
}

imaxdiv_t imaxdiv(intmax_t numer, intmax_t denom)
{
    imaxdiv_t r = {numer / denom, numer % denom};
    return r;
}
