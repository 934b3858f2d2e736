/*
 * What Atoll's libc headers define, listed once for both sides of
 * t_headers.c (Atoll's headers) and h_headers.c (the host's): each side
 * expands these lists with its own headers, and the two results must
 * agree, since objects built against glibc's headers (Debian's
 * libbearssl.a) are linked with Atoll's libc.
 * Left out on purpose: MB_LEN_MAX (Atoll has no multibyte locale),
 * BUFSIZ (a buffer size, not an interface), NSIG and sigset_t (Atoll's
 * holds 64 signals in 8 bytes, glibc's 1024 in 128; nothing here uses a
 * mask) and jmp_buf (never shared with glibc-built code).
 */
#ifndef ATOLL_TESTS_UNIT_LIBC_HEADERS_H
#define ATOLL_TESTS_UNIT_LIBC_HEADERS_H

/* Integer constant expressions: value and type. */
#define HDR_LIMITS(X) \
    X(CHAR_BIT) X(SCHAR_MIN) X(SCHAR_MAX) X(UCHAR_MAX) X(CHAR_MIN) \
    X(CHAR_MAX) X(SHRT_MIN) X(SHRT_MAX) X(USHRT_MAX) X(INT_MIN) X(INT_MAX) \
    X(UINT_MAX) X(LONG_MIN) X(LONG_MAX) X(ULONG_MAX) X(LLONG_MIN) \
    X(LLONG_MAX) X(ULLONG_MAX) X(SSIZE_MAX) X(INT8_MIN) X(INT16_MIN) \
    X(INT32_MIN) X(INT64_MIN) X(INT8_MAX) X(INT16_MAX) X(INT32_MAX) \
    X(INT64_MAX) X(UINT8_MAX) X(UINT16_MAX) X(UINT32_MAX) X(UINT64_MAX) \
    X(INT_LEAST8_MIN) X(INT_LEAST16_MIN) X(INT_LEAST32_MIN) \
    X(INT_LEAST64_MIN) X(INT_LEAST8_MAX) X(INT_LEAST16_MAX) \
    X(INT_LEAST32_MAX) X(INT_LEAST64_MAX) X(UINT_LEAST8_MAX) \
    X(UINT_LEAST16_MAX) X(UINT_LEAST32_MAX) X(UINT_LEAST64_MAX) \
    X(INT_FAST8_MIN) X(INT_FAST16_MIN) X(INT_FAST32_MIN) X(INT_FAST64_MIN) \
    X(INT_FAST8_MAX) X(INT_FAST16_MAX) X(INT_FAST32_MAX) X(INT_FAST64_MAX) \
    X(UINT_FAST8_MAX) X(UINT_FAST16_MAX) X(UINT_FAST32_MAX) \
    X(UINT_FAST64_MAX) X(INTPTR_MIN) X(INTPTR_MAX) X(UINTPTR_MAX) \
    X(INTMAX_MIN) X(INTMAX_MAX) X(UINTMAX_MAX) X(PTRDIFF_MIN) X(PTRDIFF_MAX) \
    X(SIZE_MAX) X(SIG_ATOMIC_MIN) X(SIG_ATOMIC_MAX) X(WCHAR_MIN) \
    X(WCHAR_MAX) X(WINT_MIN) X(WINT_MAX) X(INT8_C(-1)) X(INT16_C(-1)) \
    X(INT32_C(-1)) X(INT64_C(-1)) X(UINT8_C(1)) X(UINT16_C(1)) \
    X(UINT32_C(1)) X(UINT64_C(1)) X(INTMAX_C(-1)) X(UINTMAX_C(1))

#define HDR_ERRNO(X) \
    X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC) \
    X(EBADF) X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) X(EBUSY) \
    X(EEXIST) X(EXDEV) X(ENODEV) X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE) \
    X(EMFILE) X(ENOTTY) X(EFBIG) X(ENOSPC) X(ESPIPE) X(EROFS) X(EMLINK) \
    X(EPIPE) X(EDOM) X(ERANGE) X(EDEADLK) X(ENAMETOOLONG) X(ENOLCK) \
    X(ENOSYS) X(ENOTEMPTY) X(ELOOP) X(EWOULDBLOCK) X(ENOMSG) X(ENODATA) \
    X(ETIME) X(EPROTO) X(EBADMSG) X(EOVERFLOW) X(EILSEQ) X(ENOTSOCK) \
    X(EDESTADDRREQ) X(EMSGSIZE) X(EPROTOTYPE) X(ENOPROTOOPT) \
    X(EPROTONOSUPPORT) X(EOPNOTSUPP) X(ENOTSUP) X(EAFNOSUPPORT) \
    X(EADDRINUSE) X(EADDRNOTAVAIL) X(ENETDOWN) X(ENETUNREACH) X(ENETRESET) \
    X(ECONNABORTED) X(ECONNRESET) X(ENOBUFS) X(EISCONN) X(ENOTCONN) \
    X(ETIMEDOUT) X(ECONNREFUSED) X(EHOSTDOWN) X(EHOSTUNREACH) X(EALREADY) \
    X(EINPROGRESS) X(ECANCELED)

#define HDR_FLAGS(X) \
    X(O_RDONLY) X(O_WRONLY) X(O_RDWR) X(O_CREAT) X(O_EXCL) X(O_NOCTTY) \
    X(O_TRUNC) X(O_APPEND) X(O_NONBLOCK) X(O_CLOEXEC) X(EOF) X(_IOFBF) \
    X(_IOLBF) X(_IONBF) X(EXIT_SUCCESS) X(EXIT_FAILURE) X(STDIN_FILENO) \
    X(STDOUT_FILENO) X(STDERR_FILENO) X(CLOCK_REALTIME) X(CLOCK_MONOTONIC) \
    X(true) X(false) X(__bool_true_false_are_defined) X(SIGHUP) X(SIGINT) \
    X(SIGQUIT) X(SIGILL) X(SIGTRAP) X(SIGABRT) X(SIGBUS) X(SIGFPE) \
    X(SIGKILL) X(SIGUSR1) X(SIGSEGV) X(SIGUSR2) X(SIGPIPE) X(SIGALRM) \
    X(SIGTERM) X(SIGCHLD) X(SIGCONT) X(SIGSTOP) X(SIGWINCH) X(SIGSYS) \
    X(SIG_BLOCK) X(SIG_UNBLOCK) X(SIG_SETMASK) X(AF_UNSPEC) X(AF_INET) \
    X(AF_INET6) X(INADDR_ANY) X(INADDR_BROADCAST) X(INADDR_NONE) \
    X(INADDR_LOOPBACK) X(INET_ADDRSTRLEN) X(INET6_ADDRSTRLEN) \
    X(IPPROTO_IP) X(IPPROTO_ICMP) X(IPPROTO_TCP) X(IPPROTO_UDP) \
    X(IPPROTO_IPV6) X(IPPROTO_ICMPV6) X(CLOCKS_PER_SEC) X(RAND_MAX) \
    X(no_argument) X(required_argument) X(optional_argument) \
    X(LITTLE_ENDIAN) X(BIG_ENDIAN) X(BYTE_ORDER)

/* float.h: the integer ones (the host side gets them from the compiler). */
#define HDR_FLOAT(X) \
    X(FLT_RADIX) X(FLT_ROUNDS) X(FLT_EVAL_METHOD) X(DECIMAL_DIG) \
    X(FLT_MANT_DIG) X(FLT_DIG) X(FLT_MIN_EXP) X(FLT_MIN_10_EXP) \
    X(FLT_MAX_EXP) X(FLT_MAX_10_EXP) X(DBL_MANT_DIG) X(DBL_DIG) \
    X(DBL_MIN_EXP) X(DBL_MIN_10_EXP) X(DBL_MAX_EXP) X(DBL_MAX_10_EXP) \
    X(LDBL_MANT_DIG) X(LDBL_DIG) X(LDBL_MIN_EXP) X(LDBL_MIN_10_EXP) \
    X(LDBL_MAX_EXP) X(LDBL_MAX_10_EXP)

/* Sizes, alignments and offsets. */
#define HDR_LAYOUT(X) \
    X(sizeof(max_align_t)) X(_Alignof(max_align_t)) \
    X(sizeof(struct timespec)) X(offsetof(struct timespec, tv_nsec)) \
    X(sizeof(div_t)) X(offsetof(div_t, rem)) X(sizeof(ldiv_t)) \
    X(offsetof(ldiv_t, rem)) X(sizeof(lldiv_t)) X(offsetof(lldiv_t, rem)) \
    X(sizeof(imaxdiv_t)) X(offsetof(imaxdiv_t, rem)) X(sizeof(va_list)) \
    X(_Alignof(va_list)) X(sizeof(struct tm)) X(offsetof(struct tm, tm_yday)) \
    X(offsetof(struct tm, tm_gmtoff)) X(offsetof(struct tm, tm_zone)) \
    X(sizeof(struct timeval)) X(offsetof(struct timeval, tv_usec)) \
    X(sizeof(struct in_addr)) X(sizeof(struct in6_addr)) \
    X(sizeof(struct sockaddr_in)) X(offsetof(struct sockaddr_in, sin_port)) \
    X(offsetof(struct sockaddr_in, sin_addr)) \
    X(sizeof(struct sockaddr_in6)) \
    X(offsetof(struct sockaddr_in6, sin6_flowinfo)) \
    X(offsetof(struct sockaddr_in6, sin6_addr)) \
    X(offsetof(struct sockaddr_in6, sin6_scope_id)) X(sizeof(struct option)) \
    X(offsetof(struct option, flag)) X(offsetof(struct option, val))

/* Types: which basic type each one is, so that -Wformat and the ABI
 * agree with objects built against glibc. */
#define HDR_TYPES(X) \
    X(int8_t) X(int16_t) X(int32_t) X(int64_t) X(uint8_t) X(uint16_t) \
    X(uint32_t) X(uint64_t) X(int_least8_t) X(int_least16_t) \
    X(int_least32_t) X(int_least64_t) X(uint_least8_t) X(uint_least16_t) \
    X(uint_least32_t) X(uint_least64_t) X(int_fast8_t) X(int_fast16_t) \
    X(int_fast32_t) X(int_fast64_t) X(uint_fast8_t) X(uint_fast16_t) \
    X(uint_fast32_t) X(uint_fast64_t) X(intptr_t) X(uintptr_t) X(intmax_t) \
    X(uintmax_t) X(size_t) X(ssize_t) X(ptrdiff_t) X(wchar_t) X(time_t) \
    X(off_t) X(pid_t) X(mode_t) X(clockid_t) X(bool) X(sig_atomic_t) \
    X(clock_t) X(suseconds_t) X(useconds_t) X(in_addr_t) X(in_port_t) \
    X(sa_family_t) X(socklen_t)

/* inttypes.h format strings. */
#define HDR_FORMATS(X) \
    X(PRId8) X(PRIdLEAST8) X(PRIdFAST8) X(PRId16) X(PRIdLEAST16) \
    X(PRIdFAST16) X(PRId32) X(PRIdLEAST32) X(PRIdFAST32) X(PRId64) \
    X(PRIdLEAST64) X(PRIdFAST64) X(PRIdMAX) X(PRIdPTR) X(PRIi8) \
    X(PRIiLEAST8) X(PRIiFAST8) X(PRIi16) X(PRIiLEAST16) X(PRIiFAST16) \
    X(PRIi32) X(PRIiLEAST32) X(PRIiFAST32) X(PRIi64) X(PRIiLEAST64) \
    X(PRIiFAST64) X(PRIiMAX) X(PRIiPTR) X(PRIo8) X(PRIoLEAST8) X(PRIoFAST8) \
    X(PRIo16) X(PRIoLEAST16) X(PRIoFAST16) X(PRIo32) X(PRIoLEAST32) \
    X(PRIoFAST32) X(PRIo64) X(PRIoLEAST64) X(PRIoFAST64) X(PRIoMAX) \
    X(PRIoPTR) X(PRIu8) X(PRIuLEAST8) X(PRIuFAST8) X(PRIu16) X(PRIuLEAST16) \
    X(PRIuFAST16) X(PRIu32) X(PRIuLEAST32) X(PRIuFAST32) X(PRIu64) \
    X(PRIuLEAST64) X(PRIuFAST64) X(PRIuMAX) X(PRIuPTR) X(PRIx8) \
    X(PRIxLEAST8) X(PRIxFAST8) X(PRIx16) X(PRIxLEAST16) X(PRIxFAST16) \
    X(PRIx32) X(PRIxLEAST32) X(PRIxFAST32) X(PRIx64) X(PRIxLEAST64) \
    X(PRIxFAST64) X(PRIxMAX) X(PRIxPTR) X(PRIX8) X(PRIXLEAST8) X(PRIXFAST8) \
    X(PRIX16) X(PRIXLEAST16) X(PRIXFAST16) X(PRIX32) X(PRIXLEAST32) \
    X(PRIXFAST32) X(PRIX64) X(PRIXLEAST64) X(PRIXFAST64) X(PRIXMAX) \
    X(PRIXPTR) X(SCNd8) X(SCNdLEAST8) X(SCNdFAST8) X(SCNd16) X(SCNdLEAST16) \
    X(SCNdFAST16) X(SCNd32) X(SCNdLEAST32) X(SCNdFAST32) X(SCNd64) \
    X(SCNdLEAST64) X(SCNdFAST64) X(SCNdMAX) X(SCNdPTR) X(SCNi8) \
    X(SCNiLEAST8) X(SCNiFAST8) X(SCNi16) X(SCNiLEAST16) X(SCNiFAST16) \
    X(SCNi32) X(SCNiLEAST32) X(SCNiFAST32) X(SCNi64) X(SCNiLEAST64) \
    X(SCNiFAST64) X(SCNiMAX) X(SCNiPTR) X(SCNo8) X(SCNoLEAST8) X(SCNoFAST8) \
    X(SCNo16) X(SCNoLEAST16) X(SCNoFAST16) X(SCNo32) X(SCNoLEAST32) \
    X(SCNoFAST32) X(SCNo64) X(SCNoLEAST64) X(SCNoFAST64) X(SCNoMAX) \
    X(SCNoPTR) X(SCNu8) X(SCNuLEAST8) X(SCNuFAST8) X(SCNu16) X(SCNuLEAST16) \
    X(SCNuFAST16) X(SCNu32) X(SCNuLEAST32) X(SCNuFAST32) X(SCNu64) \
    X(SCNuLEAST64) X(SCNuFAST64) X(SCNuMAX) X(SCNuPTR) X(SCNx8) \
    X(SCNxLEAST8) X(SCNxFAST8) X(SCNx16) X(SCNxLEAST16) X(SCNxFAST16) \
    X(SCNx32) X(SCNxLEAST32) X(SCNxFAST32) X(SCNx64) X(SCNxLEAST64) \
    X(SCNxFAST64) X(SCNxMAX) X(SCNxPTR)

struct hdr_int {
    const char *name;
    long long value;
    int type; /* HDR_TYPE_CODE of the expression */
};

struct hdr_str {
    const char *name;
    const char *value;
};

/* The basic type of expression e, as a number (0: none of these). */
#define HDR_TYPE_CODE(e)                                                  \
    _Generic((e), char: 1, signed char: 2, unsigned char: 3, short: 4,     \
             unsigned short: 5, int: 6, unsigned: 7, long: 8,              \
             unsigned long: 9, long long: 10, unsigned long long: 11,      \
             _Bool: 12, default: 0)

#endif
