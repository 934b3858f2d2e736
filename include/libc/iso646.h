/* iso646.h: Atoll libc, the alternative operator spellings (C11 7.9). */
#ifndef _ATOLL_ISO646_H
#define _ATOLL_ISO646_H

#define and &&
#define and_eq &=
#define bitand &
#define bitor |
#define compl ~
#define not !
#define not_eq !=
#define or ||
#define or_eq |=
#define xor ^
#define xor_eq ^=

#endif
