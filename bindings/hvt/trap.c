/*
 * Fatal CPU exceptions. The facts go to the tender in a struct
 * atoll_trap_info halt cookie when it offers ATOLL_EXT_F_TRAP_REPORT
 * (atoll-hvt prints them and dies of the matching signal, e.g. SIGSEGV
 * for a page fault); otherwise (solo5-hvt) they are
 * printed on the console first and the guest halts with status 255.
 */
#include <stdint.h>

#include "hvt_bind.h"

struct trap_frame {
    uint64_t vector, error_code, rip, cs, rflags, rsp, ss;
};

void hvt_trap(const struct trap_frame *f, uint64_t cr2);

static struct atoll_trap_info info;
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

static void report(void)
{
    char msg[256], *p = msg;
    p = put_str(p, "atoll: guest fault: vector ");
    p = put_dec(p, info.vector);
    p = put_str(p, " (");
    p = put_str(p, names[info.vector & 31]);
    p = put_str(p, ") at rip=");
    p = put_hex(p, info.rip);
    p = put_str(p, ", fault address ");
    p = put_hex(p, info.cr2);
    p = put_str(p, ", error code ");
    p = put_hex(p, info.error_code);
    p = put_str(p, " (rsp=");
    p = put_hex(p, info.rsp);
    p = put_str(p, ", rflags=");
    p = put_hex(p, info.rflags);
    p = put_str(p, ")\n");
    hvt_puts(msg, (uint64_t)(p - msg));
}

void hvt_trap(const struct trap_frame *f, uint64_t cr2)
{
    /* A fault while reporting a fault: stop without more work. */
    if (in_trap++)
        hvt_halt(ATOLL_EXIT_ABORT, 0);
    info.magic = ATOLL_TRAP_MAGIC;
    info.vector = f->vector;
    info.error_code = f->error_code;
    info.rip = f->rip;
    info.rsp = f->rsp;
    info.rflags = f->rflags;
    info.cr2 = cr2;
    if (bind_ext_features & ATOLL_EXT_F_TRAP_REPORT)
        hvt_halt(ATOLL_EXIT_ABORT, &info);
    report();
    hvt_halt(ATOLL_EXIT_ABORT, 0);
}
