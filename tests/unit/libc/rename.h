/*
 * Force-included (-include) when lib/libc and its tests are built for the
 * host: every public name of Atoll's libc becomes alc_NAME, so the code
 * under test and the host's glibc live side by side in one test program.
 * (Not atoll_NAME: atoll_exit and atoll_abort are platform ABI functions
 * that libc's exit and abort call.)
 * The heap functions are not renamed: strdup() and friends use the host's
 * malloc, which ASan watches. A new public function in lib/libc must be
 * added here (the build of the unit tests fails with a clash otherwise).
 */
#ifndef ATOLL_TESTS_UNIT_LIBC_RENAME_H
#define ATOLL_TESTS_UNIT_LIBC_RENAME_H

#define abort alc_abort
#define abs alc_abs
#define atexit alc_atexit
#define atoi alc_atoi
#define atol alc_atol
#define atoll alc_atoll
#define bsearch alc_bsearch
#define clearerr alc_clearerr
#define clock_gettime alc_clock_gettime
#define close alc_close
#define div alc_div
#define errno alc_errno
#define __errno_location alc___errno_location
#define _Exit alc__Exit
#define exit alc_exit
#define ferror alc_ferror
#define fflush alc_fflush
#define fprintf alc_fprintf
#define fputc alc_fputc
#define fputs alc_fputs
#define fwrite alc_fwrite
#define getenv alc_getenv
#define getopt alc_getopt
#define getopt_long alc_getopt_long
#define getopt_long_only alc_getopt_long_only
#define getpid alc_getpid
#define getppid alc_getppid
#define gettimeofday alc_gettimeofday
#define htonl alc_htonl
#define htons alc_htons
#define imaxabs alc_imaxabs
#define imaxdiv alc_imaxdiv
#define inet_addr alc_inet_addr
#define inet_aton alc_inet_aton
#define inet_ntoa alc_inet_ntoa
#define inet_ntop alc_inet_ntop
#define inet_pton alc_inet_pton
#define isalnum alc_isalnum
#define isalpha alc_isalpha
#define isascii alc_isascii
#define isatty alc_isatty
#define isblank alc_isblank
#define iscntrl alc_iscntrl
#define isdigit alc_isdigit
#define isgraph alc_isgraph
#define islower alc_islower
#define isprint alc_isprint
#define ispunct alc_ispunct
#define isspace alc_isspace
#define isupper alc_isupper
#define isxdigit alc_isxdigit
#define kill alc_kill
#define labs alc_labs
#define ldiv alc_ldiv
#define llabs alc_llabs
#define lldiv alc_lldiv
#define longjmp alc_longjmp
#define _longjmp alc__longjmp
#define memchr alc_memchr
#define memcmp alc_memcmp
#define memcpy alc_memcpy
#define __memcpy_chk alc___memcpy_chk
#define memmove alc_memmove
#define __memmove_chk alc___memmove_chk
#define memrchr alc_memrchr
#define memset alc_memset
#define __memset_chk alc___memset_chk
#define nanosleep alc_nanosleep
#define ntohl alc_ntohl
#define ntohs alc_ntohs
#define open alc_open
#define optarg alc_optarg
#define opterr alc_opterr
#define optind alc_optind
#define optopt alc_optopt
#define perror alc_perror
#define printf alc_printf
#define putc alc_putc
#define putchar alc_putchar
#define puts alc_puts
#define qsort alc_qsort
#define raise alc_raise
#define read alc_read
#define setbuf alc_setbuf
#define setjmp alc_setjmp
#define _setjmp alc__setjmp
#define setvbuf alc_setvbuf
#define sigaddset alc_sigaddset
#define sigdelset alc_sigdelset
#define sigemptyset alc_sigemptyset
#define sigfillset alc_sigfillset
#define sigismember alc_sigismember
#define signal alc_signal
#define sigprocmask alc_sigprocmask
#define sleep alc_sleep
#define snprintf alc_snprintf
#define sprintf alc_sprintf
#define stderr alc_stderr
#define stdout alc_stdout
#define stpcpy alc_stpcpy
#define strcasecmp alc_strcasecmp
#define strcat alc_strcat
#define strchr alc_strchr
#define strcmp alc_strcmp
#define strcpy alc_strcpy
#define strcspn alc_strcspn
#define strdup alc_strdup
#define strerror alc_strerror
#define strlcat alc_strlcat
#define strlcpy alc_strlcpy
#define strlen alc_strlen
#define strncasecmp alc_strncasecmp
#define strncat alc_strncat
#define strncmp alc_strncmp
#define strncpy alc_strncpy
#define strndup alc_strndup
#define strnlen alc_strnlen
#define strpbrk alc_strpbrk
#define strrchr alc_strrchr
#define strspn alc_strspn
#define strstr alc_strstr
#define strtoimax alc_strtoimax
#define strtok alc_strtok
#define strtok_r alc_strtok_r
#define strtol alc_strtol
#define strtoll alc_strtoll
#define strtoul alc_strtoul
#define strtoull alc_strtoull
#define strtoumax alc_strtoumax
#define time alc_time
#define tolower alc_tolower
#define toupper alc_toupper
#define usleep alc_usleep
#define vfprintf alc_vfprintf
#define vprintf alc_vprintf
#define vsnprintf alc_vsnprintf
#define vsprintf alc_vsprintf
#define write alc_write

#endif
