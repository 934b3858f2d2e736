/* stdlib.h: Atoll libc. */
#ifndef _ATOLL_STDLIB_H
#define _ATOLL_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define ATEXIT_MAX 32 /* handlers atexit() accepts */

typedef struct {
    int quot;
    int rem;
} div_t;
typedef struct {
    long quot;
    long rem;
} ldiv_t;
typedef struct {
    long long quot;
    long long rem;
} lldiv_t;

/* The heap: defined by the runtime (lib/rt), not by libc. */
void *malloc(size_t size);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);
void *aligned_alloc(size_t alignment, size_t size);
int posix_memalign(void **memptr, size_t alignment, size_t size);

long strtol(const char *restrict nptr, char **restrict endptr, int base);
unsigned long strtoul(const char *restrict nptr, char **restrict endptr,
                      int base);
long long strtoll(const char *restrict nptr, char **restrict endptr, int base);
unsigned long long strtoull(const char *restrict nptr,
                            char **restrict endptr, int base);
/* musl's strtod (from $(B)/lib/m.a, see math.h): SSE guests only. */
double strtod(const char *restrict nptr, char **restrict endptr);
float strtof(const char *restrict nptr, char **restrict endptr);
double atof(const char *nptr);
int atoi(const char *nptr);
long atol(const char *nptr);
long long atoll(const char *nptr);

int abs(int j);
long labs(long j);
long long llabs(long long j);
div_t div(int numer, int denom);
ldiv_t ldiv(long numer, long denom);
lldiv_t lldiv(long long numer, long long denom);

void qsort(void *base, size_t nmemb, size_t size,
           int (*compar)(const void *, const void *));
/* GNU argument order: arg is passed last to compar. */
void qsort_r(void *base, size_t nmemb, size_t size,
             int (*compar)(const void *, const void *, void *), void *arg);
void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
              int (*compar)(const void *, const void *));

/* realloc(ptr, nmemb * size); NULL with ENOMEM if that overflows. */
void *reallocarray(void *ptr, size_t nmemb, size_t size);

/* glibc's generators: the same sequence for the same seed (1 unseeded).
 * Predictable: use arc4random for anything secret. */
#define RAND_MAX 2147483647
int rand(void);
void srand(unsigned int seed);
int rand_r(unsigned int *seed);
long random(void);
void srandom(unsigned int seed);

/* ChaCha20 keyed from atoll_entropy (a cryptographic generator where the
 * CPU has RDRAND; see include/atoll/platform.h). Never fail. */
__UINT32_TYPE__ arc4random(void);
void arc4random_buf(void *buf, size_t n);
/* Uniform in [0, upper); 0 for upper < 2. */
__UINT32_TYPE__ arc4random_uniform(__UINT32_TYPE__ upper);

/* A unikernel has no environment: getenv() always returns NULL. */
char *getenv(const char *name);

/* Run the atexit handlers (last registered first), flush stdio, stop. */
_Noreturn void exit(int status);
/* Stop at once: no handlers, no flush. */
_Noreturn void _Exit(int status);
/* Flush stdout (best effort), then stop abnormally. */
_Noreturn void abort(void);
int atexit(void (*func)(void));

#endif
