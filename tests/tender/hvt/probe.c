/*
 * hvt-probe: a guest linked with the hvt bindings only (no runtime, no
 * libc), used by tests/tender/hvt/run.sh to check atoll-hvt and the
 * bindings from the inside. The first word of the command line picks the
 * check; results are "PASS:"/"FAIL:" lines and the exit status.
 */
#include <stdint.h>

#include "atoll/platform.h"

void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
    atoll_abort();
}

static uint64_t slen(const char *s)
{
    uint64_t n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

static void say(const char *s)
{
    atoll_console_write(s, slen(s));
}

static void say_u(uint64_t v)
{
    char b[21];
    int i = 20;
    b[i] = '\0';
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    say(b + i);
}

static void check(int ok, const char *name)
{
    say(ok ? "PASS: " : "FAIL: ");
    say(name);
    say("\n");
}

/* Does the command line start with word w (followed by space or end)? */
static const char *arg_after(const char *w)
{
    const char *c = atoll_cmdline();
    while (*w != '\0' && *c == *w)
        c++, w++;
    if (*w != '\0' || (*c != '\0' && *c != ' '))
        return 0;
    return *c == ' ' ? c + 1 : c;
}

static uint64_t to_u(const char *s)
{
    uint64_t v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (uint64_t)(*s++ - '0');
    return v;
}

/* A raw hypercall, bypassing the bindings' checks. */
static void raw_out(uint16_t port, uint32_t val)
{
    __asm__ __volatile__("outl %0, %1" : : "a"(val), "d"(port) : "memory");
}

static void clocks(void)
{
    atoll_time_t a = atoll_clock_monotonic();
    atoll_time_t b = atoll_clock_monotonic();
    check(b > a, "monotonic clock strictly increases");
    atoll_time_t w0 = atoll_clock_wall();
    /* 2024-01-01 < wall < 2100-01-01 */
    check(w0 > 1704067200ull * 1000000000ull &&
              w0 < 4102444800ull * 1000000000ull,
          "wall clock is a plausible date");
    atoll_time_t t0 = atoll_clock_monotonic();
    atoll_handle_set_t ready = 1;
    atoll_yield(t0 + 20000000ull, &ready);
    atoll_time_t t1 = atoll_clock_monotonic();
    atoll_time_t w1 = atoll_clock_wall();
    check(ready == 0, "yield without devices reports nothing ready");
    check(t1 - t0 >= 20000000ull, "yield sleeps until the deadline");
    check(t1 - t0 < 2000000000ull, "yield returns soon after the deadline");
    check(w1 - w0 >= 20000000ull, "wall clock advances with monotonic");
    say("slept_ns=");
    say_u(t1 - t0);
    say("\n");
    atoll_time_t prev = atoll_clock_monotonic(), bad = 0;
    for (int i = 0; i < 1000; i++) {
        atoll_time_t now = atoll_clock_monotonic();
        if (now <= prev)
            bad++;
        prev = now;
    }
    check(bad == 0, "1000 monotonic reads strictly increase");
    atoll_exit(0);
}

/* ARP over the "service" device: ask the host side of the TAP (10.0.0.1)
 * for its MAC from 10.0.0.2 and wait up to 3 s for the reply. */
static void net(void)
{
    atoll_handle_t h;
    struct atoll_net_info ni;
    if (atoll_net_acquire("service", &h, &ni) != ATOLL_OK) {
        check(0, "acquire net device service");
        atoll_exit(1);
    }
    check(ni.mtu == 1500, "net mtu is 1500");
    check(atoll_net_acquire("service", &h, &ni) == ATOLL_EUNSPEC,
          "second acquire refused");
    static uint8_t f[64], r[1514];
    static const uint8_t head[] = {0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1};
    for (int i = 0; i < 6; i++) {
        f[i] = 0xff;
        f[6 + i] = ni.mac[i];
        f[22 + i] = ni.mac[i];
    }
    for (unsigned i = 0; i < sizeof head; i++)
        f[12 + i] = head[i];
    static const uint8_t spa[4] = {10, 0, 0, 2}, tpa[4] = {10, 0, 0, 1};
    for (int i = 0; i < 4; i++) {
        f[28 + i] = spa[i];
        f[38 + i] = tpa[i];
    }
    check(atoll_net_write(h, f, 60) == ATOLL_OK, "send an ARP request");
    check(atoll_net_write(h, f, 1515) == ATOLL_EINVAL,
          "frame above mtu refused");
    atoll_time_t end = atoll_clock_monotonic() + 3000000000ull;
    int got = 0;
    while (!got && atoll_clock_monotonic() < end) {
        atoll_handle_set_t ready = 0;
        atoll_yield(end, &ready);
        size_t len;
        while ((ready & (1ull << h)) &&
               atoll_net_read(h, r, sizeof r, &len) == ATOLL_OK)
            if (len >= 42 && r[12] == 0x08 && r[13] == 0x06 && r[21] == 2 &&
                r[28] == 10 && r[31] == 1)
                got = 1;
    }
    check(got, "ARP reply received after a yield reported the device");
    size_t len;
    check(atoll_net_read(h, r, 100, &len) == ATOLL_EINVAL,
          "read buffer below mtu refused");
    atoll_exit(0);
}

/* The host's wall time, straight from the tender. */
static uint64_t host_wall(void)
{
    static volatile uint64_t t;
    raw_out(0x500 + 1, (uint32_t)(uintptr_t)&t);
    return t;
}

/* Compare the TSC clock with the host's clock over ms milliseconds. */
static void drift(uint64_t ms)
{
    uint64_t h0 = host_wall();
    atoll_time_t m0 = atoll_clock_monotonic();
    atoll_yield(m0 + ms * 1000000ull, 0);
    uint64_t h1 = host_wall();
    atoll_time_t m1 = atoll_clock_monotonic();
    uint64_t dh = h1 - h0, dm = m1 - m0;
    uint64_t diff = dh > dm ? dh - dm : dm - dh;
    say("host_ns=");
    say_u(dh);
    say(" tsc_ns=");
    say_u(dm);
    say(" diff_ns=");
    say_u(diff);
    say("\n");
    /* Within 0.5% plus 2 ms for the hypercalls around the sleep. */
    check(diff <= dh / 200 + 2000000ull,
          "TSC clock agrees with the host clock");
    atoll_exit(0);
}

static void tls(void)
{
    static uint64_t block[2] = {0x1234, 0};
    block[0] = (uint64_t)(uintptr_t)block;
    check(atoll_set_tls_base((uintptr_t)block) == ATOLL_OK, "set tls base");
    uint64_t v;
    __asm__ __volatile__("movq %%fs:0, %0" : "=r"(v));
    check(v == (uint64_t)(uintptr_t)block, "%fs:0 reads the tls block");
    check(atoll_set_tls_base((uintptr_t)0x0000800000000000ull) ==
              ATOLL_EINVAL, "non-canonical tls base refused");
    atoll_exit(0);
}

static void block(void)
{
    atoll_handle_t h;
    struct atoll_block_info bi;
    if (atoll_block_acquire("storage", &h, &bi) != ATOLL_OK) {
        check(0, "acquire block device storage");
        atoll_exit(1);
    }
    static uint8_t buf[4096], back[4096];
    uint64_t bs = bi.block_size;
    for (uint64_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7 + 3);
    check(atoll_block_write(h, bs, buf, 2 * bs) == ATOLL_OK,
          "write two blocks");
    check(atoll_block_read(h, bs, back, 2 * bs) == ATOLL_OK,
          "read them back");
    int same = 1;
    for (uint64_t i = 0; i < 2 * bs; i++)
        same &= buf[i] == back[i];
    check(same, "read data equals written data");
    check(atoll_block_read(h, 1, back, bs) == ATOLL_EINVAL,
          "unaligned offset refused");
    check(atoll_block_read(h, bi.capacity, back, bs) == ATOLL_EINVAL,
          "offset past the end refused");
    check(atoll_block_flush(h) == ATOLL_OK, "flush");
    check(bi.can_flush, "block device can flush on atoll-hvt");
    atoll_exit(0);
}

extern const char __image_start[], _etext[], _erodata[];

/* The IDT the bindings load (hvt.lds builds it at link time): 32 present
 * 64-bit interrupt gates (type 0xe) for the kernel code selector 0x08,
 * IST 2 for NMI and #DF and 1 for the rest, each entering the stub that
 * pushes its vector (after a zero where the CPU pushes no error code). */
static void idt(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) p;
    __asm__ __volatile__("sidt %0" : "=m"(p));
    check(p.limit == 32 * 16 - 1, "IDT holds 32 gates");
    const uint64_t *g = (const uint64_t *)(uintptr_t)p.base;
    int gates = 1, ist = 1, stubs = 1;
    for (unsigned v = 0; v < 32; v++) {
        uint64_t lo = g[2 * v], hi = g[2 * v + 1];
        if (((lo >> 16) & 0xffff) != 0x08 || ((lo >> 40) & 0xff) != 0x8e ||
            (hi >> 32) != 0)
            gates = 0;
        if (((lo >> 32) & 7) != ((v == 2 || v == 8) ? 2u : 1u))
            ist = 0;
        uint64_t off = (lo & 0xffff) | ((lo >> 32) & 0xffff0000) | hi << 32;
        const uint8_t *c = (const uint8_t *)(uintptr_t)off;
        int err = v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 ||
                  v == 29 || v == 30;
        if (off < (uintptr_t)__image_start || off >= (uintptr_t)_etext)
            stubs = 0;
        else if (!err && (c[0] != 0x6a || c[1] != 0))
            stubs = 0;
        else if (c[err ? 0 : 2] != 0x6a || c[err ? 1 : 3] != v)
            stubs = 0;
    }
    check(gates, "each gate is a present interrupt gate for selector 0x08");
    check(ist, "NMI and #DF on IST 2, other exceptions on IST 1");
    check(stubs, "each gate enters the stub of its vector");
    atoll_exit(0);
}

static const uint32_t some_const = 42;
static uint8_t some_data[64] = {0xc3}; /* ret */
/* Addresses read through a volatile so the compiler cannot prove them bad. */
static volatile uintptr_t addr_null = 8, addr_pt = 0x2000,
                          addr_bootinfo = 0x10000;

_Noreturn void atoll_rt_start(void)
{
    const char *a;
    if ((a = arg_after("hello")) != 0) {
        say("hello from hvt-probe\n");
        atoll_exit(0);
    }
    if ((a = arg_after("exit")) != 0)
        atoll_exit((int)to_u(a));
    if (arg_after("abort"))
        atoll_abort();
    if (arg_after("clock"))
        clocks();
    if ((a = arg_after("sleep")) != 0) {
        atoll_time_t until = atoll_clock_monotonic() + to_u(a) * 1000000ull;
        while (atoll_clock_monotonic() < until)
            atoll_yield(until, 0);
        atoll_exit(0);
    }
    if ((a = arg_after("drift")) != 0)
        drift(to_u(a));
    if (arg_after("sse"))
        __asm__ __volatile__("pxor %%xmm0, %%xmm0" : : : "memory");
    /* KVM's forced-emulation prefix, then iretq: KVM's emulator decodes it
     * but cannot carry it out in long mode (an instruction it cannot
     * decode would come back as #UD instead); a #UD where
     * kvm.force_emulation_prefix is off. */
    if (arg_after("emulate-forced"))
        __asm__ __volatile__("ud2; .byte 0x6b, 0x76, 0x6d; iretq"
                             : : : "memory");
    if (arg_after("tls"))
        tls();
    if (arg_after("net"))
        net();
    if (arg_after("block"))
        block();
    if (arg_after("heap")) {
        uintptr_t start;
        size_t size;
        atoll_heap_region(&start, &size);
        uint8_t *p = (uint8_t *)start;
        p[0] = 1;
        p[size - 1] = 2;
        check(start >= (uintptr_t)_erodata && size > 0,
              "heap is writable, above the image");
        atoll_exit(0);
    }
    if (arg_after("write-text"))
        *(volatile uint8_t *)__image_start = 0;
    if (arg_after("write-gap")) /* between text and rodata (hvt.lds) */
        *(volatile uint8_t *)_etext = 0;
    if (arg_after("write-rodata"))
        *(volatile uint32_t *)&some_const = 0;
    if (arg_after("exec-data"))
        ((void (*)(void))(uintptr_t)some_data)();
    if (arg_after("read-null"))
        say_u(*(volatile uint8_t *)addr_null);
    if (arg_after("read-pagetable"))
        say_u(*(volatile uint8_t *)addr_pt);
    if (arg_after("write-bootinfo"))
        *(volatile uint8_t *)addr_bootinfo = 0;
    if (arg_after("ud2"))
        __asm__ __volatile__("ud2");
    if (arg_after("idt"))
        idt();
    if (arg_after("write-idt")) {
        struct {
            uint16_t limit;
            uint64_t base;
        } __attribute__((packed)) p;
        __asm__ __volatile__("sidt %0" : "=m"(p));
        *(volatile uint64_t *)(uintptr_t)p.base = 0;
    }
    if (arg_after("bad-address"))
        raw_out(0x500 + 2, 0xfffffff0u);
    if (arg_after("bad-buffer")) {
        static volatile uint64_t puts_arg[2] = {0xffff0000ull, 0x100000ull};
        raw_out(0x500 + 2, (uint32_t)(uintptr_t)puts_arg);
    }
    if (arg_after("bad-port"))
        raw_out(0x5ff, 0);
    if (arg_after("triple-fault")) {
        struct {
            uint16_t limit;
            uint64_t base;
        } __attribute__((packed)) empty = {0, 0};
        __asm__ __volatile__("lidt %0; ud2" : : "m"(empty));
    }
    say("hvt-probe: unknown or failed check: ");
    say(atoll_cmdline());
    say("\n");
    atoll_exit(3);
}
