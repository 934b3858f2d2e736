/*
 * The one-line report of a fatal CPU exception, the same on every x86-64
 * target (tests read it): virtio and xen print it from trap.c, hvt from
 * its trap.c when the tender takes no report.
 */
#include "x86.h"

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

/* At most 28 + 20 + 2 + 4 + 9 + 18 + 16 + 18 + 13 + 18 + 6 + 18 + 9 + 18
 * + 2 = 199 bytes: within X86_FAULT_LINE_MAX. */
size_t x86_fault_line(char *buf, const struct atoll_trap_info *f)
{
    char *p = buf;
    p = put_str(p, "atoll: guest fault: vector ");
    p = put_dec(p, f->vector);
    p = put_str(p, " (");
    p = put_str(p, names[f->vector & 31]);
    p = put_str(p, ") at rip=");
    p = put_hex(p, f->rip);
    p = put_str(p, ", fault address ");
    p = put_hex(p, f->cr2);
    p = put_str(p, ", error code ");
    p = put_hex(p, f->error_code);
    p = put_str(p, " (rsp=");
    p = put_hex(p, f->rsp);
    p = put_str(p, ", rflags=");
    p = put_hex(p, f->rflags);
    p = put_str(p, ")\n");
    return (size_t)(p - buf);
}
