/*
 * KVM set up: the VM, its memory, one vCPU in 64-bit mode with the CPUID
 * KVM supports, and the TSC frequency the guest clock needs.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hvt.h"

#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CPUID_EXT_NX (1u << 20) /* CPUID 0x80000001 EDX */

static int fail(char *err, const char *what)
{
    snprintf(err, TENDER_ERR_SIZE, "%s: %s", what, strerror(errno));
    return -1;
}

int hvt_kvm_open(struct hvt *hvt, char *err)
{
    hvt->kvmfd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (hvt->kvmfd == -1) {
        snprintf(err, TENDER_ERR_SIZE,
                 "cannot open /dev/kvm: %s (is KVM available, and may this "
                 "user open /dev/kvm read-write?)", strerror(errno));
        return -1;
    }
    int v = ioctl(hvt->kvmfd, KVM_GET_API_VERSION, 0);
    if (v != KVM_API_VERSION) {
        snprintf(err, TENDER_ERR_SIZE, "/dev/kvm: API version %d, need %d",
                 v, KVM_API_VERSION);
        return -1;
    }
    hvt->vmfd = ioctl(hvt->kvmfd, KVM_CREATE_VM, 0);
    if (hvt->vmfd == -1)
        return fail(err, "KVM_CREATE_VM");

    hvt->mem = mmap(NULL, hvt->mem_size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (hvt->mem == MAP_FAILED)
        return fail(err, "cannot allocate guest memory");
    struct kvm_userspace_memory_region region = {
        .slot = 0,
        .guest_phys_addr = 0,
        .memory_size = hvt->mem_size,
        .userspace_addr = (uint64_t)(uintptr_t)hvt->mem,
    };
    if (ioctl(hvt->vmfd, KVM_SET_USER_MEMORY_REGION, &region) == -1)
        return fail(err, "KVM_SET_USER_MEMORY_REGION");

    hvt->vcpufd = ioctl(hvt->vmfd, KVM_CREATE_VCPU, 0);
    if (hvt->vcpufd == -1)
        return fail(err, "KVM_CREATE_VCPU");
    int size = ioctl(hvt->kvmfd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (size < (int)sizeof(struct kvm_run))
        return fail(err, "KVM_GET_VCPU_MMAP_SIZE");
    hvt->run_size = (size_t)size;
    hvt->run = mmap(NULL, hvt->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                    hvt->vcpufd, 0);
    if (hvt->run == MAP_FAILED)
        return fail(err, "cannot map the vCPU run area");
    return 0;
}

/* Give the vCPU every CPUID leaf KVM supports; require NX. */
static int setup_cpuid(struct hvt *hvt, char *err)
{
    struct kvm_cpuid2 *c = NULL;
    for (unsigned n = 256; n <= 4096; n *= 2) {
        free(c);
        c = calloc(1, sizeof *c + n * sizeof c->entries[0]);
        if (c == NULL)
            return fail(err, "calloc");
        c->nent = n;
        if (ioctl(hvt->kvmfd, KVM_GET_SUPPORTED_CPUID, c) == 0)
            break;
        if (errno != E2BIG) {
            free(c);
            return fail(err, "KVM_GET_SUPPORTED_CPUID");
        }
        c->nent = 0;
    }
    int has_nx = 0;
    for (unsigned i = 0; i < c->nent; i++)
        if (c->entries[i].function == 0x80000001 &&
            (c->entries[i].edx & CPUID_EXT_NX))
            has_nx = 1;
    if (c->nent == 0 || ioctl(hvt->vcpufd, KVM_SET_CPUID2, c) == -1) {
        free(c);
        return fail(err, "KVM_SET_CPUID2");
    }
    free(c);
    if (!has_nx) {
        snprintf(err, TENDER_ERR_SIZE,
                 "the CPU KVM offers lacks NX, needed for W^X");
        return -1;
    }
    return 0;
}

static struct kvm_segment seg(uint16_t sel, uint8_t type, int code)
{
    struct kvm_segment s = {
        .base = 0,
        .limit = 0xffffffff,
        .selector = sel,
        .type = type,
        .present = 1,
        .dpl = 0,
        .db = !code,
        .s = 1,
        .l = code,
        .g = 1,
    };
    return s;
}

static int setup_tsc(struct hvt *hvt, char *err)
{
    if (ioctl(hvt->kvmfd, KVM_CHECK_EXTENSION, KVM_CAP_GET_TSC_KHZ) != 1) {
        snprintf(err, TENDER_ERR_SIZE, "KVM cannot report the TSC frequency "
                 "(no KVM_CAP_GET_TSC_KHZ)");
        return -1;
    }
    int khz = ioctl(hvt->vcpufd, KVM_GET_TSC_KHZ, 0);
    if (khz <= 0) {
        snprintf(err, TENDER_ERR_SIZE, "KVM_GET_TSC_KHZ: %s",
                 errno == EIO ? "host TSC is unstable" : strerror(errno));
        return -1;
    }
    hvt->tsc_hz = (uint64_t)khz * 1000;
    return 0;
}

int hvt_kvm_vcpu_init(struct hvt *hvt, uint64_t entry, char *err)
{
    if (setup_cpuid(hvt, err) != 0 || setup_tsc(hvt, err) != 0)
        return -1;

    struct kvm_sregs sregs;
    if (ioctl(hvt->vcpufd, KVM_GET_SREGS, &sregs) == -1)
        return fail(err, "KVM_GET_SREGS");
    sregs.cr0 = CR0_PE | CR0_MP | CR0_NE | CR0_WP | CR0_PG;
    sregs.cr3 = HVT_PML4_BASE;
    sregs.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
    sregs.efer = EFER_LME | EFER_LMA | EFER_NXE;
    sregs.cs = seg(HVT_SEL_CODE, 11, 1);
    sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss =
        seg(HVT_SEL_DATA, 3, 0);
    sregs.gdt.base = HVT_GDT_BASE;
    sregs.gdt.limit = 3 * 8 - 1;
    sregs.idt.base = 0;
    sregs.idt.limit = 0;
    /* VM entry wants a usable 64-bit busy TSS, even an empty one. */
    struct kvm_segment tr = {.type = 11, .present = 1, .limit = 0x67};
    sregs.tr = tr;
    struct kvm_segment ldt = {.unusable = 1};
    sregs.ldt = ldt;
    if (ioctl(hvt->vcpufd, KVM_SET_SREGS, &sregs) == -1)
        return fail(err, "KVM_SET_SREGS");

    /* The SysV ABI wants (%rsp + 8) 16-byte aligned at function entry. */
    struct kvm_regs regs = {
        .rip = entry,
        .rflags = 0x2, /* bit 1 is reserved, always set; IF clear */
        .rsp = hvt_guest_top(hvt) - 8,
        .rdi = ATOLL_HVT_BOOT_INFO_BASE,
    };
    if (ioctl(hvt->vcpufd, KVM_SET_REGS, &regs) == -1)
        return fail(err, "KVM_SET_REGS");
    return 0;
}
