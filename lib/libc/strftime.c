/* strftime in the C locale; h_time.c compares it with glibc's. */
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const wdays[] = {"Sunday", "Monday", "Tuesday",
                                    "Wednesday", "Thursday", "Friday",
                                    "Saturday"};
static const char *const months[] = {"January", "February", "March",
                                     "April", "May", "June", "July",
                                     "August", "September", "October",
                                     "November", "December"};

struct out {
    char *s;
    size_t max, n;
    int full; /* something did not fit */
};

static void put(struct out *o, const char *s, size_t len)
{
    if (o->n + len >= o->max) {
        o->full = 1;
        return;
    }
    memcpy(o->s + o->n, s, len);
    o->n += len;
}

static void puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void num(struct out *o, const char *fmt, long long v)
{
    char buf[32];
    int n = snprintf(buf, sizeof(buf), fmt, v);

    put(o, buf, (size_t)n);
}

/* A name's first three letters, or "?" when the index is out of range. */
static void name(struct out *o, const char *const *names, int count, int i,
                 int abbrev)
{
    if (i < 0 || i >= count) {
        puts_(o, "?");
        return;
    }
    put(o, names[i], abbrev ? 3 : strlen(names[i]));
}

static int is_leap(long long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* ISO 8601 week-based year and week (%G, %V). */
static void iso_week(const struct tm *tm, long long *year, int *week)
{
    long long y = (long long)tm->tm_year + 1900;
    int wday = (tm->tm_wday + 6) % 7; /* Monday 0 */
    int w = (tm->tm_yday - wday + 10) / 7;

    if (w < 1) {
        int pyday = tm->tm_yday + 365 + is_leap(y - 1);
        y--;
        w = (pyday - wday + 10) / 7;
    } else if (w == 53) {
        int days = 365 + is_leap(y);
        /* Week 53 only if the year's last Thursday is in it. */
        if (tm->tm_yday - wday + 3 >= days) {
            y++;
            w = 1;
        }
    }
    *year = y;
    *week = w;
}

static long long floor_div100(long long y)
{
    return y / 100 - (y % 100 != 0 && y < 0);
}

static void conv(struct out *o, char c, const struct tm *tm);

static void sub(struct out *o, const char *fmt, const struct tm *tm)
{
    for (; *fmt != '\0'; fmt++) {
        if (*fmt == '%')
            conv(o, *++fmt, tm);
        else
            put(o, fmt, 1);
    }
}

static void conv(struct out *o, char c, const struct tm *tm)
{
    long long year = (long long)tm->tm_year + 1900, gy;
    int hour12 = tm->tm_hour % 12 == 0 ? 12 : tm->tm_hour % 12, wk;

    switch (c) {
    case 'a': name(o, wdays, 7, tm->tm_wday, 1); break;
    case 'A': name(o, wdays, 7, tm->tm_wday, 0); break;
    case 'b':
    case 'h': name(o, months, 12, tm->tm_mon, 1); break;
    case 'B': name(o, months, 12, tm->tm_mon, 0); break;
    case 'c': sub(o, "%a %b %e %H:%M:%S %Y", tm); break;
    /* glibc: not padded (year 478 is century "4") */
    case 'C': num(o, "%lld", floor_div100(year)); break;
    case 'd': num(o, "%02lld", tm->tm_mday); break;
    case 'D': sub(o, "%m/%d/%y", tm); break;
    case 'e': num(o, "%2lld", tm->tm_mday); break;
    case 'F': sub(o, "%Y-%m-%d", tm); break;
    case 'g':
        iso_week(tm, &gy, &wk);
        num(o, "%02lld", (gy % 100 + 100) % 100);
        break;
    case 'G':
        iso_week(tm, &gy, &wk);
        num(o, "%lld", gy);
        break;
    case 'H': num(o, "%02lld", tm->tm_hour); break;
    case 'I': num(o, "%02lld", hour12); break;
    case 'j': num(o, "%03lld", tm->tm_yday + 1); break;
    case 'k': num(o, "%2lld", tm->tm_hour); break;
    case 'l': num(o, "%2lld", hour12); break;
    case 'm': num(o, "%02lld", tm->tm_mon + 1); break;
    case 'M': num(o, "%02lld", tm->tm_min); break;
    case 'n': puts_(o, "\n"); break;
    case 'p': puts_(o, tm->tm_hour >= 12 ? "PM" : "AM"); break;
    case 'P': puts_(o, tm->tm_hour >= 12 ? "pm" : "am"); break;
    case 'r': sub(o, "%I:%M:%S %p", tm); break;
    case 'R': sub(o, "%H:%M", tm); break;
    case 's': {
        struct tm copy = *tm;
        num(o, "%lld", (long long)timegm(&copy));
        break;
    }
    case 'S': num(o, "%02lld", tm->tm_sec); break;
    case 't': puts_(o, "\t"); break;
    case 'T': sub(o, "%H:%M:%S", tm); break;
    case 'u': num(o, "%lld", tm->tm_wday == 0 ? 7 : tm->tm_wday); break;
    case 'U': num(o, "%02lld", (tm->tm_yday + 7 - tm->tm_wday) / 7); break;
    case 'V':
        iso_week(tm, &gy, &wk);
        num(o, "%02lld", wk);
        break;
    case 'w': num(o, "%lld", tm->tm_wday); break;
    case 'W':
        num(o, "%02lld", (tm->tm_yday + 7 - (tm->tm_wday + 6) % 7) / 7);
        break;
    case 'x': sub(o, "%m/%d/%y", tm); break;
    case 'X': sub(o, "%H:%M:%S", tm); break;
    case 'y': num(o, "%02lld", (year % 100 + 100) % 100); break;
    case 'Y': num(o, "%lld", year); break;
    case 'z': {
        long off = tm->tm_gmtoff;
        char sign = off < 0 ? '-' : '+';
        char buf[16];
        if (off < 0)
            off = -off;
        snprintf(buf, sizeof(buf), "%c%02ld%02ld", sign, off / 3600,
                 off / 60 % 60);
        puts_(o, buf);
        break;
    }
    case 'Z': puts_(o, tm->tm_zone != NULL ? tm->tm_zone : ""); break;
    case '%': puts_(o, "%"); break;
    case '\0': puts_(o, "%"); break;
    default: { /* unknown: copied as it stands, as glibc does */
        char buf[2] = {'%', c};
        put(o, buf, 2);
    }
    }
}

size_t strftime(char *restrict s, size_t max, const char *restrict fmt,
                const struct tm *restrict tm)
{
    struct out o = {s, max, 0, 0};

    for (; *fmt != '\0'; fmt++) {
        if (*fmt != '%') {
            put(&o, fmt, 1);
            continue;
        }
        fmt++;
        /* E and O modifiers: the C locale has no alternatives. */
        if (*fmt == 'E' || *fmt == 'O')
            fmt++;
        conv(&o, *fmt, tm);
        if (*fmt == '\0')
            break;
    }
    if (o.full || max == 0)
        return 0;
    s[o.n] = '\0';
    return o.n;
}
