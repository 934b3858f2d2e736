/*
 * Floating point and SSE in a guest (built with SSE2 whatever the guest
 * flags, see module.mk). Prints "fpu: ok WHAT" or "fpu: FAIL WHAT: detail"
 * per check and exits 0 only if all passed ("fpu: all N checks ok"):
 *   - MXCSR is 0x1f80 and the x87 control word 0x37f at entry;
 *   - double arithmetic in SSE and in x87 extended precision agree with
 *     each other and with the exact sum; sqrtsd; conversions both ways
 *     under each rounding mode; float vectors (mulps/addps through GCC
 *     vector extensions) equal the plain loop;
 *   - fibers: each starts with the default MXCSR and control word; the
 *     rounding mode and precision one fiber sets are kept across switches
 *     and never seen by the other; vector values live across a switch
 *     survive the other fiber filling every %xmm register.
 * "fpu xm" unmasks division by zero and divides by zero: the guest must
 * stop with the tender's report of a SIMD floating-point exception.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "atoll/fiber.h"

#define MXCSR_DEFAULT 0x1f80u
#define MXCSR_RC_DOWN 0x3f80u
#define MXCSR_RC_UP 0x5f80u
#define MXCSR_RC_ZERO 0x7f80u
#define FCW_DEFAULT 0x037fu
#define FCW_DOUBLE 0x027fu /* 53-bit precision */
#define FCW_CHOP 0x0f7fu   /* round toward zero */

typedef float v4sf __attribute__((vector_size(16)));

static int checks, failures;

static void check(int ok, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void check(int ok, const char *what, const char *fmt, ...)
{
    checks++;
    if (ok) {
        printf("fpu: ok %s\n", what);
        return;
    }
    failures++;
    char detail[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    printf("fpu: FAIL %s: %s\n", what, detail);
}

/*
 * MXCSR and the x87 control word are read and written through an FXSAVE
 * image: a KVM that emulates every guest instruction emulates FXSAVE and
 * FXRSTOR (not STMXCSR, LDMXCSR, FLDCW), so the "state" checks run there
 * too. The status flags (MXCSR bits 0-5) are not part of a mode: they are
 * masked off.
 */
struct fxsave_area {
    uint16_t fcw, fsw;
    uint8_t ftw, reserved0;
    uint16_t fop;
    uint64_t fip, fdp;
    uint32_t mxcsr, mxcsr_mask;
    uint8_t regs[512 - 32];
} __attribute__((aligned(16)));

static uint32_t get_mxcsr(void)
{
    struct fxsave_area fx;
    __asm__ __volatile__("fxsave64 %0" : "=m"(fx));
    return fx.mxcsr & ~0x3fu;
}

static uint16_t get_fcw(void)
{
    struct fxsave_area fx;
    __asm__ __volatile__("fxsave64 %0" : "=m"(fx));
    return fx.fcw;
}

static void set_modes(uint32_t mxcsr, uint16_t fcw)
{
    struct fxsave_area fx;
    __asm__ __volatile__("fxsave64 %0" : "=m"(fx));
    fx.mxcsr = mxcsr;
    fx.fcw = fcw;
    __asm__ __volatile__("fxrstor64 %0" : : "m"(fx));
}

static void set_mxcsr(uint32_t v)
{
    set_modes(v, get_fcw());
}

static uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* cvtsd2si: the conversion under the current MXCSR rounding mode. */
static int64_t cvt_round(double d)
{
    int64_t r;
    __asm__ __volatile__("cvtsd2si %1, %0" : "=r"(r) : "x"(d));
    return r;
}

/* divsd: in asm so that it stays between the MXCSR changes around it. */
static double div_asm(double a, double b)
{
    __asm__ __volatile__("divsd %1, %0" : "+x"(a) : "x"(b));
    return a;
}

/* Values the compiler cannot fold. */
static volatile double v_two = 2.0, v_one = 1.0, v_three = 3.0;
static volatile int v_n = 1000;

static void entry_state(void)
{
    struct fxsave_area fx;
    __asm__ __volatile__("fxsave64 %0" : "=m"(fx));
    uint32_t m = fx.mxcsr; /* flags too: none may be set yet */
    uint16_t c = get_fcw();
    check(m == MXCSR_DEFAULT, "MXCSR 0x1f80 at entry", "MXCSR 0x%x", m);
    check(c == FCW_DEFAULT, "x87 control word 0x37f at entry", "0x%x", c);
}

static void arithmetic(void)
{
    /* Sum of 1/k^2, k = 1..1000, smallest terms first: in SSE doubles and
     * in x87 long doubles. Exact value 1.6439345666815599056... */
    double s = 0;
    long double x = 0;
    for (int k = v_n; k >= 1; k--) {
        s += 1.0 / ((double)k * k);
        x += 1.0L / ((long double)k * k);
    }
    double exact = 0x1.a4d8e550a9467p+0;
    double d1 = s - exact;
    check(d1 < 1e-15 && d1 > -1e-15, "double sum (SSE) matches exact value",
          "off by %lld ulp", (long long)(bits(s) - bits(exact)));
    check(bits((double)x) == bits(exact),
          "long double sum (x87) rounds to the exact value",
          "off by %lld ulp", (long long)(bits((double)x) - bits(exact)));

    double r;
    double two = v_two;
    __asm__("sqrtsd %1, %0" : "=x"(r) : "x"(two));
    check(bits(r) == 0x3ff6a09e667f3bcdull, "sqrtsd 2", "bits 0x%llx",
          (unsigned long long)bits(r));
    check(bits(r * r) == 0x4000000000000001ull, "sqrt(2)^2 rounds up",
          "bits 0x%llx", (unsigned long long)bits(r * r));
}

static void conversions(void)
{
    volatile double a = -2.7, b = 2.7, big = 1e18, u = 3e9;
    check((int)a == -2 && (int)b == 2, "double to int truncates", "%d %d",
          (int)a, (int)b);
    check((long long)big == 1000000000000000000ll, "double to 64-bit int",
          "%lld", (long long)big);
    check((unsigned)u == 3000000000u, "double to unsigned", "%u",
          (unsigned)u);
    volatile int64_t i = INT64_MAX;
    volatile int32_t f = 16777217;
    check((double)i == 0x1p63, "int64 to double rounds", "bits 0x%llx",
          (unsigned long long)bits((double)i));
    check((float)f == 16777216.0f, "int to float rounds to even", "%d",
          (int)(float)f);
    check(cvt_round(2.5) == 2 && cvt_round(3.5) == 4 &&
              cvt_round(-2.5) == -2,
          "cvtsd2si rounds to nearest even", "%lld %lld %lld",
          (long long)cvt_round(2.5), (long long)cvt_round(3.5),
          (long long)cvt_round(-2.5));

    set_mxcsr(MXCSR_RC_UP);
    int64_t up = cvt_round(2.1);
    double third_up = div_asm(v_one, v_three);
    set_mxcsr(MXCSR_RC_DOWN);
    int64_t down = cvt_round(2.9);
    double third_down = div_asm(v_one, v_three);
    set_mxcsr(MXCSR_RC_ZERO);
    int64_t zero = cvt_round(-2.9);
    set_mxcsr(MXCSR_DEFAULT);
    check(up == 3 && down == 2 && zero == -2,
          "cvtsd2si follows the MXCSR rounding mode", "%lld %lld %lld",
          (long long)up, (long long)down, (long long)zero);
    check(bits(third_up) == bits(third_down) + 1,
          "division follows the MXCSR rounding mode", "0x%llx 0x%llx",
          (unsigned long long)bits(third_up),
          (unsigned long long)bits(third_down));
}

#define VN 256
static float va[VN], vb[VN], vc[VN];
static v4sf vd[VN / 4];

static void vectors(void)
{
    for (int i = 0; i < VN; i++) {
        va[i] = (float)i * 0.5f;
        vb[i] = (float)(VN - i);
    }
    /* A loop the compiler may vectorize, and the same with explicit
     * four-float vectors (mulps, addps). */
    for (int i = 0; i < VN; i++)
        vc[i] = va[i] * vb[i] + 1.0f;
    const v4sf one = {1, 1, 1, 1};
    for (int i = 0; i < VN / 4; i++) {
        v4sf a, b;
        memcpy(&a, &va[4 * i], sizeof a);
        memcpy(&b, &vb[4 * i], sizeof b);
        vd[i] = a * b + one;
    }
    /* Every product is exact: twice the sum is an integer. */
    int64_t want2 = 0, got2 = 0;
    int same = 1;
    for (int i = 0; i < VN; i++) {
        want2 += (int64_t)i * (VN - i) + 2;
        got2 += (int64_t)(2.0 * vc[i]);
        if (vc[i] != vd[i / 4][i % 4])
            same = 0;
    }
    check(got2 == want2, "float loop result", "2*sum %lld, want %lld",
          (long long)got2, (long long)want2);
    check(same, "vector extension equals the plain loop", "differs");
}

/* ---- fibers --------------------------------------------------------- */

static const uint64_t junk[2] = {0xdeadbeefdeadbeefull, 0x0badc0de0badc0deull};

/* Fill every %xmm register with junk and leave them so. */
static void clobber_xmm(void)
{
    __asm__ __volatile__(
        "movdqu %0, %%xmm0\n\t"
        "movdqa %%xmm0, %%xmm1\n\tmovdqa %%xmm0, %%xmm2\n\t"
        "movdqa %%xmm0, %%xmm3\n\tmovdqa %%xmm0, %%xmm4\n\t"
        "movdqa %%xmm0, %%xmm5\n\tmovdqa %%xmm0, %%xmm6\n\t"
        "movdqa %%xmm0, %%xmm7\n\tmovdqa %%xmm0, %%xmm8\n\t"
        "movdqa %%xmm0, %%xmm9\n\tmovdqa %%xmm0, %%xmm10\n\t"
        "movdqa %%xmm0, %%xmm11\n\tmovdqa %%xmm0, %%xmm12\n\t"
        "movdqa %%xmm0, %%xmm13\n\tmovdqa %%xmm0, %%xmm14\n\t"
        "movdqa %%xmm0, %%xmm15"
        :
        : "m"(junk)
        : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
          "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
          "xmm15");
}

/* With sse set the fibers also compute with SSE under their modes, keep
 * a vector value live across the switches and fill every %xmm register
 * before switching; without, they only set, switch and read the modes. */
static int sse;

/* Fiber A's switch in SSE mode: a vector value and a result of its
 * rounding mode live across it (in memory: %xmm registers are
 * caller-saved) while B fills every %xmm register. Out of line so that no
 * SSE instruction runs in "state" mode. */
static __attribute__((noinline)) void a_switch_sse(void)
{
    volatile float base = 1.5f;
    v4sf kept = {base, base * 2, base * 3, base * 4};
    double third = div_asm(v_one, v_three);

    atoll_fiber_yield();

    check(cvt_round(2.1) == 3 && bits(div_asm(v_one, v_three)) == bits(third),
          "fiber A still rounds up after switches", "cvtsd2si 2.1 = %lld",
          (long long)cvt_round(2.1));
    check(kept[0] == 1.5f && kept[1] == 3.0f && kept[2] == 4.5f &&
              kept[3] == 6.0f,
          "vector values live across a switch survive", "%d %d %d %d",
          (int)kept[0], (int)kept[1], (int)kept[2], (int)kept[3]);
}

/* A sets its own modes and switches to B, which sets other modes. */
static void fiber_a(void *arg)
{
    uint32_t m = get_mxcsr();
    uint16_t c = get_fcw();

    (void)arg;
    check(m == MXCSR_DEFAULT && c == FCW_DEFAULT,
          "fiber A starts with the default MXCSR and control word",
          "MXCSR 0x%x, control word 0x%x", m, c);
    set_modes(MXCSR_RC_UP, FCW_DOUBLE);
    if (sse)
        a_switch_sse();
    else
        atoll_fiber_yield(); /* fiber B runs and changes its modes */

    m = get_mxcsr();
    c = get_fcw();
    check(m == MXCSR_RC_UP, "fiber A's rounding mode kept across switches",
          "MXCSR 0x%x", m);
    check(c == FCW_DOUBLE, "fiber A's x87 control word kept across switches",
          "0x%x", c);
    set_modes(MXCSR_DEFAULT, FCW_DEFAULT);
}

static void fiber_b(void *arg)
{
    uint32_t m = get_mxcsr();
    uint16_t c = get_fcw();

    (void)arg;
    check(m == MXCSR_DEFAULT && c == FCW_DEFAULT,
          "fiber B starts with the defaults while A rounds up",
          "MXCSR 0x%x, control word 0x%x", m, c);
    if (sse)
        check(cvt_round(2.5) == 2, "fiber B rounds to nearest even",
              "cvtsd2si 2.5 = %lld", (long long)cvt_round(2.5));
    set_modes(MXCSR_RC_ZERO, FCW_CHOP);
    if (sse)
        clobber_xmm();

    atoll_fiber_yield(); /* A checks its own modes and values */

    m = get_mxcsr();
    c = get_fcw();
    check(m == MXCSR_RC_ZERO && c == FCW_CHOP,
          "fiber B's modes kept across switches",
          "MXCSR 0x%x, control word 0x%x", m, c);
    if (sse) {
        check(cvt_round(-2.9) == -2, "fiber B still rounds toward zero",
              "cvtsd2si -2.9 = %lld", (long long)cvt_round(-2.9));
        clobber_xmm();
    }
    set_modes(MXCSR_DEFAULT, FCW_DEFAULT);
}

static void fibers(void)
{
    set_modes(MXCSR_RC_DOWN, FCW_DEFAULT); /* the main program's own mode */
    if (atoll_fiber_spawn(fiber_a, NULL, 0) == NULL ||
        atoll_fiber_spawn(fiber_b, NULL, 0) == NULL) {
        check(0, "fibers", "cannot spawn");
        return;
    }
    atoll_fiber_run();
    uint32_t m = get_mxcsr();
    set_modes(MXCSR_DEFAULT, FCW_DEFAULT);
    check(m == MXCSR_RC_DOWN, "the main program's rounding mode kept",
          "MXCSR 0x%x", m);
}

/* Unmask division by zero: the next one raises #XM (SIGFPE on spt). */
static void unmasked(void)
{
    set_mxcsr(MXCSR_DEFAULT & ~0x200u);
    volatile double zero = 0.0;
    volatile double r = div_asm(v_one, zero);
    (void)r;
    printf("fpu: survived a division by zero\n");
}

/* fpu [state|xm]: "state" checks only the modes at entry and across
 * fiber switches, with no SSE arithmetic (what a KVM that emulates every
 * guest instruction can run). */
int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "all";

    entry_state();
    if (strcmp(mode, "xm") == 0) {
        unmasked();
        return 1;
    }
    sse = strcmp(mode, "state") != 0;
    if (sse) {
        arithmetic();
        conversions();
        vectors();
    }
    fibers();
    if (failures == 0)
        printf("fpu: all %d checks ok (%s)\n", checks, mode);
    return failures == 0 ? 0 : 1;
}
