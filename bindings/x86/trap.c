/*
 * Fatal CPU exceptions: one line on the console (vector, rip, fault
 * address), then the abort exit (README.md).
 */
#include <stdint.h>

#include "x86.h"

struct trap_frame {
    uint64_t vector, error_code, rip, cs, rflags, rsp, ss;
};

void x86_trap(const struct trap_frame *f, uint64_t cr2);

static int in_trap;

static const char names[32][5] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
    "#DF", "#CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
    "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
    "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31"};

static char *put_str(char *p, const char *s)
{
    while (*s != '\0')
        *p++ = *s++;
    return p;
}

static char *put_hex(char *p, uint64_t v)
{
    char digits[16];
    int n = 0;
    p = put_str(p, "0x");
    do {
        digits[n++] = "0123456789abcdef"[v & 0xf];
        v >>= 4;
    } while (v != 0);
    while (n > 0)
        *p++ = digits[--n];
    return p;
}

static char *put_dec(char *p, uint64_t v)
{
    char digits[20];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        *p++ = digits[--n];
    return p;
}

void x86_trap(const struct trap_frame *f, uint64_t cr2)
{
    char msg[256], *p = msg;

    /* A fault while reporting a fault: stop without more work. */
    if (in_trap++)
        x86_halt(X86_EXIT_ABORT);
    p = put_str(p, "atoll: guest fault: vector ");
    p = put_dec(p, f->vector);
    p = put_str(p, " (");
    p = put_str(p, names[f->vector & 31]);
    p = put_str(p, ") at rip=");
    p = put_hex(p, f->rip);
    p = put_str(p, ", fault address ");
    p = put_hex(p, cr2);
    p = put_str(p, ", error code ");
    p = put_hex(p, f->error_code);
    p = put_str(p, " (rsp=");
    p = put_hex(p, f->rsp);
    p = put_str(p, ", rflags=");
    p = put_hex(p, f->rflags);
    p = put_str(p, ")\n");
    x86_puts(msg, (size_t)(p - msg));
    x86_halt(X86_EXIT_ABORT);
}
