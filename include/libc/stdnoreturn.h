/* stdnoreturn.h: Atoll libc (C11). */
#ifndef _ATOLL_STDNORETURN_H
#define _ATOLL_STDNORETURN_H

#define noreturn _Noreturn

#endif
