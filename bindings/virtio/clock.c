/*
 * Clocks. With KVM, kvmclock (pvclock, when CPUID's KVM leaf offers
 * KVM_FEATURE_CLOCKSOURCE2) gives both the monotonic and the wall clock.
 * Elsewhere (QEMU TCG, other hypervisors) the monotonic clock is the TSC,
 * whose frequency is measured at boot, and the wall clock is the CMOS RTC
 * read at boot plus the monotonic time since.
 *
 * The TSC (and the local APIC timer, which atoll_yield sleeps on) is
 * measured against, in this order:
 *  1. PIT channel 0, read back (10 ms windows, the median of three):
 *     present on pc, q35, microvm by default and Firecracker (KVM's
 *     in-kernel PIT); quick, and readable without interrupts.
 *  2. The ACPI PM timer (3.579545 MHz, from the FADT): pc and q35, not
 *     hardware-reduced ACPI machines such as microvm.
 *  3. The CMOS RTC's update edge (exactly one second between two ends of
 *     its update-in-progress flag): every QEMU machine here has an RTC,
 *     including microvm started with pit=off; it costs up to two seconds of
 *     boot, hence last.
 * A measurement that finds no running source (an absent PIT or RTC reads
 * as all ones and never changes) falls to the next one.
 */
#include <stdint.h>

#include "io.h"
#include "virtio_boot.h"
#include "../x86/tsc.h"

#define NSEC_PER_SEC 1000000000ull
#define PIT_HZ 1193182ull
#define PIT_WINDOW 11932u /* 10 ms */
#define PM_TMR_HZ 3579545ull
#define PM_WINDOW 35795u /* 10 ms */
#define POLL_MAX 50000000u

#define MSR_KVM_WALL_CLOCK_NEW 0x4b564d00u
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01u
#define KVM_FEATURE_CLOCKSOURCE2 (1u << 3)

struct pvclock {
    uint32_t version, pad0;
    uint64_t tsc_timestamp, system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags, pad[2];
} __attribute__((packed, aligned(32)));

struct pvclock_wall {
    uint32_t version, sec, nsec;
} __attribute__((packed, aligned(4)));

static volatile struct pvclock pvclock;
static volatile struct pvclock_wall pvwall;
static int use_kvmclock;
static const char *source = "none";
static uint64_t tsc_hz, tsc_boot, wall_boot, last_ns;

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ __volatile__("cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(0));
}

static void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ __volatile__("wrmsr"
                         :
                         : "c"(msr), "a"((uint32_t)v),
                           "d"((uint32_t)(v >> 32)));
}

/* ---- kvmclock ---------------------------------------------------------- */

static int kvmclock_present(void)
{
    uint32_t r[4];

    cpuid(0x40000000u, r);
    /* "KVMKVMKVM\0\0\0" in ebx, ecx, edx */
    if (r[1] != 0x4b4d564bu || r[2] != 0x564b4d56u || r[3] != 0x4du ||
        r[0] < 0x40000001u)
        return 0;
    cpuid(0x40000001u, r);
    return (r[0] & KVM_FEATURE_CLOCKSOURCE2) != 0;
}

static uint64_t kvmclock_ns(void)
{
    uint32_t v;
    uint64_t ns;

    do {
        v = pvclock.version;
        __asm__ __volatile__("" : : : "memory");
        uint64_t delta = x86_rdtsc() - pvclock.tsc_timestamp;
        int8_t shift = pvclock.tsc_shift;
        if (shift < 0)
            delta >>= -shift;
        else
            delta <<= shift;
        /* delta * mul >> 32 in two halves: no 128-bit arithmetic. */
        uint64_t mul = pvclock.tsc_to_system_mul;
        ns = pvclock.system_time + ((delta >> 32) * mul) +
             (((delta & 0xffffffffu) * mul) >> 32);
        __asm__ __volatile__("" : : : "memory");
    } while ((v & 1) != 0 || v != pvclock.version);
    return ns;
}

static void kvmclock_init(void)
{
    wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (uint64_t)(uintptr_t)&pvclock | 1);
    wrmsr(MSR_KVM_WALL_CLOCK_NEW, (uint64_t)(uintptr_t)&pvwall);
    uint32_t v;
    uint64_t wall;
    do {
        v = pvwall.version;
        wall = (uint64_t)pvwall.sec * NSEC_PER_SEC + pvwall.nsec;
    } while ((v & 1) != 0 || v != pvwall.version);
    /* The wall clock at system_time 0; the monotonic clock starts there
     * too, so wall = wall_boot + monotonic. */
    wall_boot = wall;
    tsc_boot = 0;
}

/* ---- calibration sources ---------------------------------------------- */

struct sample {
    uint64_t tsc;
    uint32_t apic;
};

static struct sample sample_now(void)
{
    struct sample s = {x86_rdtsc(), virtio_lapic_timer_count()};
    return s;
}

static uint16_t pit_read(void)
{
    outb(0x43, 0x00); /* latch channel 0 */
    uint8_t lo = inb(0x40);
    return (uint16_t)(lo | inb(0x40) << 8);
}

/*
 * One PIT window of PIT_WINDOW ticks on channel 0, counting down from
 * 65536 in mode 2 (its interrupt stays masked). Channel 0 because its gate
 * is always on: channel 2's goes through port 0x61, which microvm lacks.
 * 0 if the counter does not move within about 2^30 TSC cycles (an absent
 * PIT reads as all ones).
 */
static int pit_window(struct sample *a, struct sample *b)
{
    uint32_t elapsed = 0;
    uint16_t prev, now;

    outb(0x43, 0x34); /* channel 0, lobyte/hibyte, mode 2, binary */
    outb(0x40, 0);
    outb(0x40, 0);
    prev = pit_read();
    /* Start on a tick edge. */
    uint64_t t0 = x86_rdtsc();
    while ((now = pit_read()) == prev)
        if (x86_rdtsc() - t0 > (1ull << 30))
            return 0;
    *a = sample_now();
    prev = now;
    t0 = x86_rdtsc();
    while (elapsed < PIT_WINDOW) {
        now = pit_read();
        if (now == prev) {
            if (x86_rdtsc() - t0 > (1ull << 30))
                return 0;
            continue;
        }
        elapsed += (uint16_t)(prev - now);
        prev = now;
        t0 = x86_rdtsc();
    }
    *b = sample_now();
    /* Ticks past the window end count too. */
    return (int)elapsed;
}

static uint32_t pm_read(void)
{
    uint32_t v = inl(virtio_acpi.pm_tmr);
    return virtio_acpi.pm_tmr_32bit ? v : v & 0xffffffu;
}

static int pm_window(struct sample *a, struct sample *b)
{
    uint32_t mask = virtio_acpi.pm_tmr_32bit ? 0xffffffffu : 0xffffffu;
    uint32_t t0 = pm_read();

    *a = sample_now();
    for (uint32_t i = 0; i < POLL_MAX; i++)
        if (((pm_read() - t0) & mask) >= PM_WINDOW) {
            *b = sample_now();
            return 1;
        }
    return 0;
}

static uint8_t cmos(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

/* Wait for the RTC's seconds to change (its update, once a second; the
 * update-in-progress flag lasts 244 us, too short to poll for reliably);
 * 0 if they do not within about 2^33 TSC cycles. */
static int rtc_edge(void)
{
    uint8_t sec = cmos(0x00);
    uint64_t t0 = x86_rdtsc();

    while (cmos(0x00) == sec)
        if (x86_rdtsc() - t0 > (1ull << 33))
            return 0;
    return 1;
}

static int rtc_window(struct sample *a, struct sample *b)
{
    if (!rtc_edge())
        return 0;
    *a = sample_now();
    if (!rtc_edge())
        return 0;
    *b = sample_now();
    return 1;
}

static void set_rates(struct sample a, struct sample b, uint64_t src_ticks,
                      uint64_t src_hz)
{
    tsc_hz = (b.tsc - a.tsc) * src_hz / src_ticks;
    virtio_lapic_hz = (uint64_t)(a.apic - b.apic) * src_hz / src_ticks;
}

static const char *calibrate(void)
{
    struct sample a[3], b[3];
    int ok = 1;

    int ticks[3];

    virtio_lapic_timer_free_run();
    for (int i = 0; i < 3 && ok; i++)
        ok = (ticks[i] = pit_window(&a[i], &b[i])) != 0;
    if (ok) {
        /* The median window by TSC ticks. */
        int m = 0;
        uint64_t d[3];
        for (int i = 0; i < 3; i++)
            d[i] = (b[i].tsc - a[i].tsc) * PIT_WINDOW / (uint64_t)ticks[i];
        for (int i = 0; i < 3; i++) {
            int below = 0;
            for (int j = 0; j < 3; j++)
                below += d[j] < d[i] || (d[j] == d[i] && j < i);
            if (below == 1)
                m = i;
        }
        set_rates(a[m], b[m], (uint64_t)ticks[m], PIT_HZ);
        return "PIT";
    }
    if (virtio_acpi.pm_tmr != 0 && pm_window(&a[0], &b[0])) {
        set_rates(a[0], b[0], PM_WINDOW, PM_TMR_HZ);
        return "ACPI PM timer";
    }
    /* The APIC timer may wrap in a second at more than 4.29 GHz: that
     * only makes yields wake early and re-arm. */
    if (rtc_window(&a[0], &b[0])) {
        set_rates(a[0], b[0], 1, 1);
        return "RTC";
    }
    return NULL;
}

/* ---- CMOS RTC ---------------------------------------------------------- */

static unsigned bcd(uint8_t v, int binary)
{
    return binary ? v : (unsigned)(v & 0x0f) + (unsigned)(v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_from_civil(unsigned y, unsigned m, unsigned d)
{
    y -= m <= 2;
    unsigned era = y / 400;
    unsigned yoe = y - era * 400;
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (uint64_t)era * 146097 + doe - 719468;
}

uint64_t virtio_rtc_read_ns(void)
{
    uint8_t r[6], again[6];
    uint32_t tries = 0;

    do {
        while ((cmos(0x0a) & 0x80) && ++tries < POLL_MAX)
            ;
        static const uint8_t regs[6] = {0x00, 0x02, 0x04, 0x07, 0x08, 0x09};
        for (int i = 0; i < 6; i++)
            r[i] = cmos(regs[i]);
        for (int i = 0; i < 6; i++)
            again[i] = cmos(regs[i]);
    } while ((r[0] != again[0] || r[1] != again[1] || r[2] != again[2] ||
              r[3] != again[3] || r[4] != again[4] || r[5] != again[5]) &&
             ++tries < POLL_MAX);

    uint8_t b = cmos(0x0b);
    int binary = (b & 0x04) != 0;
    unsigned sec = bcd(r[0], binary), min = bcd(r[1], binary);
    unsigned hour = bcd(r[2] & 0x7f, binary);
    if (!(b & 0x02) && (r[2] & 0x80)) /* 12-hour clock, PM */
        hour = (hour % 12) + 12;
    else if (!(b & 0x02))
        hour %= 12;
    unsigned day = bcd(r[3], binary), mon = bcd(r[4], binary);
    unsigned year = 2000 + bcd(r[5], binary);
    if (mon < 1 || mon > 12 || day < 1 || day > 31)
        return 0;
    uint64_t s = days_from_civil(year, mon, day) * 86400 + hour * 3600 +
                 min * 60 + sec;
    return s * NSEC_PER_SEC;
}

/* ---- the platform clocks ---------------------------------------------- */

void virtio_clock_init(void)
{
    /* The APIC timer needs measuring even where kvmclock gives the time. */
    const char *src = calibrate();

    if (src == NULL || tsc_hz < 1000000u || tsc_hz > 10000000000ull) {
        x86_putstr("atoll: no clock source to measure the TSC against "
                      "(PIT, ACPI PM timer, CMOS RTC)\n");
        x86_halt(X86_EXIT_ABORT);
    }
    source = src;
    if (kvmclock_present()) {
        use_kvmclock = 1;
        source = "kvmclock";
        kvmclock_init();
        return;
    }
    wall_boot = virtio_rtc_read_ns();
    tsc_boot = x86_rdtsc();
}

const char *virtio_clock_source(void)
{
    return source;
}

uint64_t virtio_tsc_hz(void)
{
    return tsc_hz;
}

atoll_time_t atoll_clock_monotonic(void)
{
    uint64_t ns = use_kvmclock ? kvmclock_ns()
                               : x86_tsc_to_ns(x86_rdtsc() - tsc_boot, tsc_hz);
    return x86_ns_after(ns, &last_ns);
}

atoll_time_t atoll_clock_wall(void)
{
    return wall_boot + atoll_clock_monotonic();
}
