/*
 * Whether KVM is usable for Atoll guests here (see kvmprobe.h). Opening
 * /dev/kvm is not enough: some KVMs (kvm_pvm, for one) open, create VMs
 * and run plain integer code, but emulate every guest instruction and
 * stop on the SSE instructions compilers emit for ordinary C. So the probe
 * runs a few bytes of SSE code in a vCPU set up as atoll-hvt sets up its
 * own (64-bit mode, CR4.OSFXSR, the CPUID KVM supports) and checks the
 * value they compute. QEMU's -accel kvm needs the same of the CPU.
 */
#include "kvmprobe.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MEM_SIZE (2u << 20) /* one 2 MiB page, identity mapped */
#define GDT_BASE 0x1000u
#define PML4_BASE 0x2000u
#define PDPT_BASE 0x3000u
#define PD_BASE 0x4000u
#define CODE_BASE 0x5000u
#define PROBE_PORT 0x5a5
#define PROBE_VALUE 42

#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PS 0x80ull

/* 21 into xmm0, doubled by paddd, back to al, out to PROBE_PORT, hlt. */
static const uint8_t probe_code[] = {
    0xb8, 0x15, 0x00, 0x00, 0x00, /* mov $21, %eax */
    0x66, 0x0f, 0x6e, 0xc0,       /* movd %eax, %xmm0 */
    0x66, 0x0f, 0xfe, 0xc0,       /* paddd %xmm0, %xmm0 */
    0x66, 0x0f, 0x7e, 0xc0,       /* movd %xmm0, %eax */
    0xba, 0xa5, 0x05, 0x00, 0x00, /* mov $PROBE_PORT, %edx */
    0xee,                         /* out %al, (%dx) */
    0xf4,                         /* hlt */
};

struct probe {
    int kvm, vm, vcpu;
    uint8_t *mem;
    struct kvm_run *run;
    size_t run_size;
};

static bool say(char *why, size_t n, const char *fmt, const char *a,
                const char *b)
{
    snprintf(why, n, fmt, a, b);
    return false;
}

static bool sys_fail(char *why, size_t n, const char *what)
{
    return say(why, n, "%s failed: %s", what, strerror(errno));
}

static void put64(uint8_t *mem, uint32_t at, uint64_t v)
{
    memcpy(mem + at, &v, sizeof v);
}

/* The device node is KVM's (10:232) and opens read-write. */
static bool open_dev(struct probe *p, const char *dev, char *why, size_t n)
{
    struct stat st;

    if (stat(dev, &st) != 0)
        return say(why, n, "%s is missing", dev, "");
    /* /dev/null bound over /dev/kvm (tests hide KVM that way) is not KVM */
    if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 10 ||
        minor(st.st_rdev) != 232)
        return say(why, n, "%s is not the KVM device", dev, "");
    p->kvm = open(dev, O_RDWR | O_CLOEXEC);
    if (p->kvm < 0)
        return say(why, n, "%s cannot be opened: %s", dev, strerror(errno));
    if (ioctl(p->kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
        return say(why, n, "%s: not KVM API version 12", dev, "");
    return true;
}

static bool make_vm(struct probe *p, char *why, size_t n)
{
    p->vm = ioctl(p->kvm, KVM_CREATE_VM, 0);
    if (p->vm < 0)
        return sys_fail(why, n, "KVM_CREATE_VM");
    p->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p->mem == MAP_FAILED) {
        p->mem = NULL;
        return sys_fail(why, n, "mmap");
    }
    struct kvm_userspace_memory_region region = {
        .memory_size = MEM_SIZE,
        .userspace_addr = (uint64_t)(uintptr_t)p->mem,
    };
    if (ioctl(p->vm, KVM_SET_USER_MEMORY_REGION, &region) != 0)
        return sys_fail(why, n, "KVM_SET_USER_MEMORY_REGION");
    p->vcpu = ioctl(p->vm, KVM_CREATE_VCPU, 0);
    if (p->vcpu < 0)
        return sys_fail(why, n, "KVM_CREATE_VCPU");
    int size = ioctl(p->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (size < (int)sizeof(struct kvm_run))
        return sys_fail(why, n, "KVM_GET_VCPU_MMAP_SIZE");
    p->run_size = (size_t)size;
    p->run = mmap(NULL, p->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                  p->vcpu, 0);
    if (p->run == MAP_FAILED) {
        p->run = NULL;
        return sys_fail(why, n, "mmap of the vCPU");
    }
    return true;
}

/* Every CPUID leaf KVM supports, as atoll-hvt gives its vCPU. */
static bool set_cpuid(struct probe *p, char *why, size_t n)
{
    struct kvm_cpuid2 *c = NULL;
    bool ok = false;

    for (unsigned max = 256; max <= 4096 && !ok; max *= 2) {
        free(c);
        c = calloc(1, sizeof *c + max * sizeof c->entries[0]);
        if (c == NULL)
            return sys_fail(why, n, "calloc");
        c->nent = max;
        ok = ioctl(p->kvm, KVM_GET_SUPPORTED_CPUID, c) == 0;
        if (!ok && errno != E2BIG)
            break;
    }
    if (!ok) {
        free(c);
        return sys_fail(why, n, "KVM_GET_SUPPORTED_CPUID");
    }
    ok = ioctl(p->vcpu, KVM_SET_CPUID2, c) == 0;
    free(c);
    return ok ? true : sys_fail(why, n, "KVM_SET_CPUID2");
}

static struct kvm_segment segment(uint16_t sel, uint8_t type, bool code)
{
    struct kvm_segment s = {
        .limit = 0xffffffff, .selector = sel, .type = type, .present = 1,
        .db = !code, .s = 1, .l = code, .g = 1,
    };
    return s;
}

/* 64-bit mode on identity-mapped page tables, SSE enabled, at the code. */
static bool long_mode(struct probe *p, char *why, size_t n)
{
    struct kvm_sregs sregs;

    put64(p->mem, GDT_BASE + 8, 0x00af9b000000ffffull);  /* code */
    put64(p->mem, GDT_BASE + 16, 0x00cf93000000ffffull); /* data */
    put64(p->mem, PML4_BASE, PDPT_BASE | PTE_P | PTE_RW);
    put64(p->mem, PDPT_BASE, PD_BASE | PTE_P | PTE_RW);
    put64(p->mem, PD_BASE, PTE_P | PTE_RW | PTE_PS);
    memcpy(p->mem + CODE_BASE, probe_code, sizeof probe_code);

    if (ioctl(p->vcpu, KVM_GET_SREGS, &sregs) != 0)
        return sys_fail(why, n, "KVM_GET_SREGS");
    sregs.cr0 = 0x80010023; /* PG WP NE MP PE */
    sregs.cr3 = PML4_BASE;
    sregs.cr4 = 0x620;      /* OSXMMEXCPT OSFXSR PAE */
    sregs.efer = 0x500;     /* LMA LME */
    sregs.cs = segment(8, 11, true);
    sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss =
        segment(16, 3, false);
    sregs.gdt.base = GDT_BASE;
    sregs.gdt.limit = 3 * 8 - 1;
    struct kvm_segment tr = {.type = 11, .present = 1, .limit = 0x67};
    sregs.tr = tr;
    struct kvm_segment ldt = {.unusable = 1};
    sregs.ldt = ldt;
    if (ioctl(p->vcpu, KVM_SET_SREGS, &sregs) != 0)
        return sys_fail(why, n, "KVM_SET_SREGS");
    struct kvm_regs regs = {.rip = CODE_BASE, .rflags = 0x2,
                            .rsp = MEM_SIZE - 8};
    if (ioctl(p->vcpu, KVM_SET_REGS, &regs) != 0)
        return sys_fail(why, n, "KVM_SET_REGS");
    return true;
}

/* Run the code: it must come out on PROBE_PORT with PROBE_VALUE. */
static bool run_probe(struct probe *p, char *why, size_t n)
{
    struct kvm_run *r = p->run;
    char what[96];
    int rc;

    do
        rc = ioctl(p->vcpu, KVM_RUN, 0);
    while (rc != 0 && (errno == EINTR || errno == EAGAIN));
    if (rc != 0)
        return sys_fail(why, n, "KVM_RUN");
    if (r->exit_reason == KVM_EXIT_IO && r->io.port == PROBE_PORT &&
        r->io.size == 1 && r->io.direction == KVM_EXIT_IO_OUT &&
        ((uint8_t *)r)[r->io.data_offset] == PROBE_VALUE)
        return true;
    if (r->exit_reason == KVM_EXIT_INTERNAL_ERROR)
        snprintf(what, sizeof what, "KVM internal error %u%s",
                 r->internal.suberror,
                 r->internal.suberror == KVM_INTERNAL_ERROR_EMULATION
                     ? ", emulation failed" : "");
    else
        snprintf(what, sizeof what, "KVM exit %u", r->exit_reason);
    return say(why, n, "this KVM cannot run SSE code (a probe guest "
               "stopped: %s%s)", what, "");
}

bool kvm_probe(const char *dev, char *why, size_t whysize)
{
    struct probe p = {.kvm = -1, .vm = -1, .vcpu = -1};
    bool ok = open_dev(&p, dev, why, whysize) &&
              make_vm(&p, why, whysize) && set_cpuid(&p, why, whysize) &&
              long_mode(&p, why, whysize) && run_probe(&p, why, whysize);

    if (p.run != NULL)
        munmap(p.run, p.run_size);
    if (p.mem != NULL)
        munmap(p.mem, MEM_SIZE);
    if (p.vcpu >= 0)
        close(p.vcpu);
    if (p.vm >= 0)
        close(p.vm);
    if (p.kvm >= 0)
        close(p.kvm);
    return ok;
}
