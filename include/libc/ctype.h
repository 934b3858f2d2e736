/* ctype.h: Atoll libc, "C" locale only. Arguments outside EOF and
 * 0..UCHAR_MAX are answered as "not in the class" (and unchanged by the
 * case mappings) instead of being undefined. */
#ifndef _ATOLL_CTYPE_H
#define _ATOLL_CTYPE_H

int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int isascii(int c);
int tolower(int c);
int toupper(int c);

#endif
