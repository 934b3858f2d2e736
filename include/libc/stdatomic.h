/*
 * stdatomic.h: Atoll libc, C11 atomics (7.17) over the compiler's builtins:
 * clang's __c11_atomic_* (which take _Atomic objects) and gcc's __atomic_*.
 * Guests are built with -nostdinc, so the compiler's own header is out of
 * reach. Lock-free for every type up to 8 bytes on x86_64.
 */
#ifndef _ATOLL_STDATOMIC_H
#define _ATOLL_STDATOMIC_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    memory_order_relaxed = __ATOMIC_RELAXED,
    memory_order_consume = __ATOMIC_CONSUME,
    memory_order_acquire = __ATOMIC_ACQUIRE,
    memory_order_release = __ATOMIC_RELEASE,
    memory_order_acq_rel = __ATOMIC_ACQ_REL,
    memory_order_seq_cst = __ATOMIC_SEQ_CST
} memory_order;

#define ATOMIC_BOOL_LOCK_FREE 2
#define ATOMIC_CHAR_LOCK_FREE 2
#define ATOMIC_CHAR16_T_LOCK_FREE 2
#define ATOMIC_CHAR32_T_LOCK_FREE 2
#define ATOMIC_WCHAR_T_LOCK_FREE 2
#define ATOMIC_SHORT_LOCK_FREE 2
#define ATOMIC_INT_LOCK_FREE 2
#define ATOMIC_LONG_LOCK_FREE 2
#define ATOMIC_LLONG_LOCK_FREE 2
#define ATOMIC_POINTER_LOCK_FREE 2

typedef _Atomic _Bool atomic_bool;
typedef _Atomic char atomic_char;
typedef _Atomic signed char atomic_schar;
typedef _Atomic unsigned char atomic_uchar;
typedef _Atomic short atomic_short;
typedef _Atomic unsigned short atomic_ushort;
typedef _Atomic int atomic_int;
typedef _Atomic unsigned int atomic_uint;
typedef _Atomic long atomic_long;
typedef _Atomic unsigned long atomic_ulong;
typedef _Atomic long long atomic_llong;
typedef _Atomic unsigned long long atomic_ullong;
typedef _Atomic uint_least16_t atomic_char16_t;
typedef _Atomic uint_least32_t atomic_char32_t;
typedef _Atomic int atomic_wchar_t;
typedef _Atomic int_least8_t atomic_int_least8_t;
typedef _Atomic uint_least8_t atomic_uint_least8_t;
typedef _Atomic int_least16_t atomic_int_least16_t;
typedef _Atomic uint_least16_t atomic_uint_least16_t;
typedef _Atomic int_least32_t atomic_int_least32_t;
typedef _Atomic uint_least32_t atomic_uint_least32_t;
typedef _Atomic int_least64_t atomic_int_least64_t;
typedef _Atomic uint_least64_t atomic_uint_least64_t;
typedef _Atomic int_fast8_t atomic_int_fast8_t;
typedef _Atomic uint_fast8_t atomic_uint_fast8_t;
typedef _Atomic int_fast16_t atomic_int_fast16_t;
typedef _Atomic uint_fast16_t atomic_uint_fast16_t;
typedef _Atomic int_fast32_t atomic_int_fast32_t;
typedef _Atomic uint_fast32_t atomic_uint_fast32_t;
typedef _Atomic int_fast64_t atomic_int_fast64_t;
typedef _Atomic uint_fast64_t atomic_uint_fast64_t;
typedef _Atomic intptr_t atomic_intptr_t;
typedef _Atomic uintptr_t atomic_uintptr_t;
typedef _Atomic size_t atomic_size_t;
typedef _Atomic ptrdiff_t atomic_ptrdiff_t;
typedef _Atomic intmax_t atomic_intmax_t;
typedef _Atomic uintmax_t atomic_uintmax_t;

#define ATOMIC_VAR_INIT(value) (value)
#define kill_dependency(y) (y)

#define atomic_thread_fence(order) __atomic_thread_fence(order)
#define atomic_signal_fence(order) __atomic_signal_fence(order)
#define atomic_is_lock_free(obj) __atomic_is_lock_free(sizeof(*(obj)), (obj))

#ifdef __clang__
#define atomic_init(obj, value) __c11_atomic_init(obj, value)
#define atomic_store_explicit(obj, v, o) __c11_atomic_store(obj, v, o)
#define atomic_load_explicit(obj, o) __c11_atomic_load(obj, o)
#define atomic_exchange_explicit(obj, v, o) __c11_atomic_exchange(obj, v, o)
#define atomic_compare_exchange_strong_explicit(obj, exp, v, s, f) \
    __c11_atomic_compare_exchange_strong(obj, exp, v, s, f)
#define atomic_compare_exchange_weak_explicit(obj, exp, v, s, f) \
    __c11_atomic_compare_exchange_weak(obj, exp, v, s, f)
#define atomic_fetch_add_explicit(obj, v, o) __c11_atomic_fetch_add(obj, v, o)
#define atomic_fetch_sub_explicit(obj, v, o) __c11_atomic_fetch_sub(obj, v, o)
#define atomic_fetch_or_explicit(obj, v, o) __c11_atomic_fetch_or(obj, v, o)
#define atomic_fetch_xor_explicit(obj, v, o) __c11_atomic_fetch_xor(obj, v, o)
#define atomic_fetch_and_explicit(obj, v, o) __c11_atomic_fetch_and(obj, v, o)
#else
#define atomic_init(obj, value) atomic_store_explicit(obj, value, \
                                                      __ATOMIC_RELAXED)
#define atomic_store_explicit(obj, v, o) \
    __extension__({ \
        __auto_type __atoll_p = (obj); \
        __typeof__(*__atoll_p) __atoll_v = (v); \
        __atomic_store(__atoll_p, &__atoll_v, (o)); \
    })
#define atomic_load_explicit(obj, o) \
    __extension__({ \
        __auto_type __atoll_p = (obj); \
        __typeof__((void)0, *__atoll_p) __atoll_r; \
        __atomic_load(__atoll_p, &__atoll_r, (o)); \
        __atoll_r; \
    })
#define atomic_exchange_explicit(obj, v, o) \
    __extension__({ \
        __auto_type __atoll_p = (obj); \
        __typeof__((void)0, *__atoll_p) __atoll_v = (v), __atoll_r; \
        __atomic_exchange(__atoll_p, &__atoll_v, &__atoll_r, (o)); \
        __atoll_r; \
    })
#define atomic_compare_exchange_strong_explicit(obj, exp, v, s, f) \
    __extension__({ \
        __auto_type __atoll_p = (obj); \
        __typeof__((void)0, *__atoll_p) __atoll_v = (v); \
        __atomic_compare_exchange(__atoll_p, (exp), &__atoll_v, 0, (s), (f)); \
    })
#define atomic_compare_exchange_weak_explicit(obj, exp, v, s, f) \
    __extension__({ \
        __auto_type __atoll_p = (obj); \
        __typeof__((void)0, *__atoll_p) __atoll_v = (v); \
        __atomic_compare_exchange(__atoll_p, (exp), &__atoll_v, 1, (s), (f)); \
    })
#define atomic_fetch_add_explicit(obj, v, o) __atomic_fetch_add(obj, v, o)
#define atomic_fetch_sub_explicit(obj, v, o) __atomic_fetch_sub(obj, v, o)
#define atomic_fetch_or_explicit(obj, v, o) __atomic_fetch_or(obj, v, o)
#define atomic_fetch_xor_explicit(obj, v, o) __atomic_fetch_xor(obj, v, o)
#define atomic_fetch_and_explicit(obj, v, o) __atomic_fetch_and(obj, v, o)
#endif

#define atomic_store(obj, v) atomic_store_explicit(obj, v, __ATOMIC_SEQ_CST)
#define atomic_load(obj) atomic_load_explicit(obj, __ATOMIC_SEQ_CST)
#define atomic_exchange(obj, v) \
    atomic_exchange_explicit(obj, v, __ATOMIC_SEQ_CST)
#define atomic_compare_exchange_strong(obj, exp, v) \
    atomic_compare_exchange_strong_explicit(obj, exp, v, __ATOMIC_SEQ_CST, \
                                            __ATOMIC_SEQ_CST)
#define atomic_compare_exchange_weak(obj, exp, v) \
    atomic_compare_exchange_weak_explicit(obj, exp, v, __ATOMIC_SEQ_CST, \
                                          __ATOMIC_SEQ_CST)
#define atomic_fetch_add(obj, v) \
    atomic_fetch_add_explicit(obj, v, __ATOMIC_SEQ_CST)
#define atomic_fetch_sub(obj, v) \
    atomic_fetch_sub_explicit(obj, v, __ATOMIC_SEQ_CST)
#define atomic_fetch_or(obj, v) atomic_fetch_or_explicit(obj, v, __ATOMIC_SEQ_CST)
#define atomic_fetch_xor(obj, v) \
    atomic_fetch_xor_explicit(obj, v, __ATOMIC_SEQ_CST)
#define atomic_fetch_and(obj, v) \
    atomic_fetch_and_explicit(obj, v, __ATOMIC_SEQ_CST)

typedef struct atomic_flag {
    atomic_bool __val;
} atomic_flag;
#define ATOMIC_FLAG_INIT {0}
#define atomic_flag_test_and_set_explicit(f, o) \
    atomic_exchange_explicit(&(f)->__val, 1, o)
#define atomic_flag_test_and_set(f) \
    atomic_flag_test_and_set_explicit(f, __ATOMIC_SEQ_CST)
#define atomic_flag_clear_explicit(f, o) atomic_store_explicit(&(f)->__val, 0, o)
#define atomic_flag_clear(f) atomic_flag_clear_explicit(f, __ATOMIC_SEQ_CST)

#endif
