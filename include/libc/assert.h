/* assert.h: Atoll libc. No include guard: NDEBUG may change between
 * inclusions. A failed assertion prints "FILE:LINE: FUNC: assertion failed:
 * EXPR" on stderr and calls abort(). */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
_Noreturn void __atoll_assert_fail(const char *expr, const char *file,
                                   int line, const char *func);
#define assert(e) \
    ((e) ? (void)0 : __atoll_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef __cplusplus
#undef static_assert
#define static_assert _Static_assert
#endif
