/* IMF-fixdate (RFC 9110 §5.6.7) for Date, Last-Modified and
 * If-Modified-Since; the obsolete RFC 850 and asctime forms are not read
 * (a date that does not parse is ignored, as the RFC allows). */
#include <atoll/http.h>

static const char days[7][4] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue",
                                "Wed"}; /* 1970-01-01 was a Thursday */
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; m 1-12). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void put2(char *o, unsigned v)
{
    o[0] = (char)('0' + v / 10 % 10);
    o[1] = (char)('0' + v % 10);
}

void http_date_format(uint64_t t, char out[30])
{
    int64_t z = (int64_t)(t / 86400) + 719468;
    unsigned secs = (unsigned)(t % 86400);
    int64_t era = z / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    uint64_t y = (uint64_t)(yoe + era * 400) + (m <= 2);
    const char *wd = days[(t / 86400) % 7];

    /* "Sun, 06 Nov 1994 08:49:37 GMT" */
    for (int i = 0; i < 3; i++) {
        out[i] = wd[i];
        out[8 + i] = months[m - 1][i];
    }
    out[3] = ',';
    out[4] = out[7] = out[11] = out[16] = out[25] = ' ';
    put2(out + 5, d);
    put2(out + 12, (unsigned)(y / 100 % 100));
    put2(out + 14, (unsigned)(y % 100));
    put2(out + 17, secs / 3600);
    out[19] = out[22] = ':';
    put2(out + 20, secs / 60 % 60);
    put2(out + 23, secs % 60);
    out[26] = 'G';
    out[27] = 'M';
    out[28] = 'T';
    out[29] = 0;
}

static int num(const char *s, size_t n, unsigned *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *v = *v * 10 + (unsigned)(s[i] - '0');
    }
    return 0;
}

int64_t http_date_parse(const char *s, size_t len)
{
    unsigned d, y, hh, mm, ss, m;

    if (len != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' ||
        s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':' ||
        s[25] != ' ' || s[26] != 'G' || s[27] != 'M' || s[28] != 'T')
        return -1;
    for (m = 0; m < 12; m++)
        if (s[8] == months[m][0] && s[9] == months[m][1] &&
            s[10] == months[m][2])
            break;
    if (m == 12 || num(s + 5, 2, &d) || num(s + 12, 4, &y) ||
        num(s + 17, 2, &hh) || num(s + 20, 2, &mm) || num(s + 23, 2, &ss))
        return -1;
    if (d < 1 || d > 31 || y < 1970 || hh > 23 || mm > 59 || ss > 60)
        return -1;
    return days_from_civil(y, m + 1, d) * 86400 + hh * 3600 + mm * 60 + ss;
}
