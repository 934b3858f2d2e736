/* Character classes of the "C" locale (ASCII). */
#include <ctype.h>

/* Values outside 0..255 (EOF included) belong to no class. */
static int in_range(int c, int lo, int hi)
{
    return c >= lo && c <= hi;
}

int isascii(int c) { return in_range(c, 0, 127); }
int isdigit(int c) { return in_range(c, '0', '9'); }
int islower(int c) { return in_range(c, 'a', 'z'); }
int isupper(int c) { return in_range(c, 'A', 'Z'); }
int isalpha(int c) { return islower(c) || isupper(c); }
int isalnum(int c) { return isalpha(c) || isdigit(c); }
int isblank(int c) { return c == ' ' || c == '\t'; }
int iscntrl(int c) { return in_range(c, 0, 31) || c == 127; }
int isgraph(int c) { return in_range(c, '!', '~'); }
int isprint(int c) { return in_range(c, ' ', '~'); }
int ispunct(int c) { return isgraph(c) && !isalnum(c); }
/* space, \t \n \v \f \r */
int isspace(int c) { return c == ' ' || in_range(c, '\t', '\r'); }

int isxdigit(int c)
{
    return isdigit(c) || in_range(c, 'a', 'f') || in_range(c, 'A', 'F');
}

int tolower(int c) { return isupper(c) ? c - 'A' + 'a' : c; }
int toupper(int c) { return islower(c) ? c - 'a' + 'A' : c; }
