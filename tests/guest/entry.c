/*
 * entry (spt only): what the tender leaves within the guest's reach at its
 * first instruction. The image has its own entry point, entry_start
 * (linked with -e, tests/guest/module.mk): it saves every general register
 * and the whole x87/SSE/AVX/AVX-512 state (XSAVE) before any other guest
 * code runs, probes %fs or %gs if asked, then goes on to the bindings'
 * _start; main checks what was saved.
 *   entry regs    no general register holds a value outside guest memory;
 *                 every vector and x87 register is in its initial state
 *   entry fs      reads %fs:0 at entry: with a %fs base of 0 that is a
 *                 fault at address 0 (the host checks the report)
 *   entry gs      the same with %gs
 *   entry scan HEX  looks for the bytes HEX (hexadecimal, so that the
 *                 needle itself never lies in guest memory) in all of guest
 *                 memory, then from every value the registers held at
 *                 entry that points outside it, page after page upwards
 * Exit status 0 when the check holds, 1 with a line saying why not.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "atoll/abi/spt.h"

#define XSAVE_MAX 8192

uint64_t entry_regs[17]; /* rax..r15 as below, then rflags */
uint32_t entry_xcr0;     /* components saved by XSAVE, 0: FXSAVE only */
uint64_t entry_seg0;     /* what %fs:0 or %gs:0 read, if it did not fault */
uint8_t entry_xsave[XSAVE_MAX] __attribute__((aligned(64)));

static const char *const reg_names[17] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8",
    "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rflags"};

#define SAVE(r, i) "  movq %" r ", entry_regs+" #i "*8(%rip)\n"
__asm__(".text\n"
        ".globl entry_start\n"
        ".type entry_start, @function\n"
        "entry_start:\n"
        SAVE("rax", 0) SAVE("rbx", 1) SAVE("rcx", 2) SAVE("rdx", 3)
        SAVE("rsi", 4) SAVE("rdi", 5) SAVE("rbp", 6) SAVE("rsp", 7)
        SAVE("r8", 8) SAVE("r9", 9) SAVE("r10", 10) SAVE("r11", 11)
        SAVE("r12", 12) SAVE("r13", 13) SAVE("r14", 14) SAVE("r15", 15)
        "  pushfq\n"
        "  popq entry_regs+16*8(%rip)\n"
        /* CPUID.1:ECX.OSXSAVE: XSAVE of every enabled component below AMX,
         * else FXSAVE (x87 and SSE) */
        "  movl $1, %eax\n"
        "  cpuid\n"
        "  btl $27, %ecx\n"
        "  jnc 1f\n"
        "  xorl %ecx, %ecx\n"
        "  xgetbv\n"
        "  andl $0xff, %eax\n"
        "  xorl %edx, %edx\n"
        "  movl %eax, entry_xcr0(%rip)\n"
        "  xsave64 entry_xsave(%rip)\n"
        "  jmp 2f\n"
        "1:\n"
        "  fxsave64 entry_xsave(%rip)\n"
        "2:\n"
        "  movq entry_regs+5*8(%rip), %rdi\n"
        "  subq $8, %rsp\n"
        "  call entry_probe\n"
        "  addq $8, %rsp\n"
        "  movq entry_regs+5*8(%rip), %rdi\n"
        "  jmp _start\n"
        ".size entry_start, . - entry_start\n");

void entry_probe(const struct atoll_spt_boot_info *bi);

/* Before _start: no runtime, no console; only read the command line. */
void entry_probe(const struct atoll_spt_boot_info *bi)
{
    const char *c = (const char *)(uintptr_t)bi->cmdline;
    uint64_t v;

    if (c[0] == 'f' && c[1] == 's' && (c[2] == ' ' || c[2] == '\0')) {
        __asm__ volatile("movq %%fs:0, %0" : "=r"(v));
        entry_seg0 = v;
    } else if (c[0] == 'g' && c[1] == 's' && (c[2] == ' ' || c[2] == '\0')) {
        __asm__ volatile("movq %%gs:0, %0" : "=r"(v));
        entry_seg0 = v;
    }
}

static const struct atoll_spt_boot_info *boot_info(void)
{
    return (const void *)(uintptr_t)ATOLL_SPT_BOOT_INFO_BASE;
}

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

static uint64_t word(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

/* The first non-zero 8-byte word of [off, off + len), or -1 if none. */
static long nonzero_at(size_t off, size_t len)
{
    for (size_t i = off; i + 8 <= off + len && i + 8 <= XSAVE_MAX; i += 8)
        if (word(&entry_xsave[i]) != 0)
            return (long)i;
    return -1;
}

static int check_gprs(uint64_t mem)
{
    int bad = 0;

    for (int i = 0; i < 17; i++)
        if (entry_regs[i] >= mem) {
            printf("entry: %s=0x%llx, outside guest memory (0..0x%llx)\n",
                   reg_names[i], (unsigned long long)entry_regs[i],
                   (unsigned long long)mem);
            bad = 1;
        }
    printf("entry: rsp=0x%llx rdi=0x%llx\n", (unsigned long long)entry_regs[7],
           (unsigned long long)entry_regs[5]);
    return bad;
}

/* Legacy region: x87 control 0x37f, status, tags, opcode, last
 * instruction and operand pointers 0, MXCSR 0x1f80, st0-7 and xmm0-15 0. */
static int check_legacy(void)
{
    const uint8_t *x = entry_xsave;
    uint16_t fcw = (uint16_t)(x[0] | x[1] << 8);
    uint32_t mxcsr;
    long at;
    int bad = 0;

    memcpy(&mxcsr, &x[24], sizeof mxcsr);
    if (fcw != 0x37f || x[2] != 0 || x[3] != 0 || x[4] != 0 ||
        x[6] != 0 || x[7] != 0) {
        printf("entry: x87 control/status/tags not initial: fcw=0x%x "
               "fsw=0x%x ftw=0x%x\n", fcw, x[2] | x[3] << 8, x[4]);
        bad = 1;
    }
    if (word(&x[8]) != 0 || word(&x[16]) != 0) {
        printf("entry: x87 last instruction 0x%llx, last operand 0x%llx\n",
               (unsigned long long)word(&x[8]),
               (unsigned long long)word(&x[16]));
        bad = 1;
    }
    if (mxcsr != 0x1f80) {
        printf("entry: mxcsr=0x%x, want 0x1f80\n", mxcsr);
        bad = 1;
    }
    if ((at = nonzero_at(32, 128)) >= 0) {
        printf("entry: st%ld holds 0x%llx\n", (at - 32) / 16,
               (unsigned long long)word(&x[at]));
        bad = 1;
    }
    for (size_t i = 0; i < 16; i++)
        if ((at = nonzero_at(160 + 16 * i, 16)) >= 0) {
            printf("entry: xmm%zu holds 0x%llx\n", i,
                   (unsigned long long)word(&x[at]));
            bad = 1;
        }
    return bad;
}

/* Components 2-7 (AVX upper halves, MPX, AVX-512 opmasks, upper zmm
 * halves, zmm16-31): all zero. */
static int check_extended(void)
{
    static const char *const names[8] = {
        "", "", "ymm upper halves", "MPX bounds", "MPX config",
        "opmask k0-7", "zmm upper halves", "zmm16-31"};
    int bad = 0, n = 0;

    for (uint32_t i = 2; i < 8; i++) {
        uint32_t r[4];
        long at;

        if (!(entry_xcr0 & (1u << i)))
            continue;
        cpuid(0xd, i, r); /* eax size, ebx offset */
        n++;
        if (r[1] + r[0] > XSAVE_MAX) {
            printf("entry: component %u beyond the save area\n", i);
            bad = 1;
        } else if ((at = nonzero_at(r[1], r[0])) >= 0) {
            printf("entry: %s: byte %ld holds 0x%llx\n", names[i],
                   at - (long)r[1], (unsigned long long)word(
                       &entry_xsave[at]));
            bad = 1;
        }
    }
    printf("entry: xcr0=0x%x, %d extended components checked\n", entry_xcr0,
           n);
    return bad;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Byte j of the needle, from its hexadecimal form. */
static int needle(const char *hex, size_t j)
{
    return hexval(hex[2 * j]) << 4 | hexval(hex[2 * j + 1]);
}

static bool match(const uint8_t *p, const char *hex, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (p[j] != needle(hex, j))
            return false;
    return true;
}

/* [from, to) holds the needle? Stops n bytes short of to. */
static const uint8_t *find(uint64_t from, uint64_t to, const char *hex,
                           size_t n)
{
    for (uint64_t a = from; a + n <= to; a++)
        if (match((const uint8_t *)(uintptr_t)a, hex, n))
            return (const uint8_t *)(uintptr_t)a;
    return NULL;
}

static int scan(const char *hex, uint64_t mem)
{
    size_t n = strlen(hex) / 2;
    const uint8_t *at;
    int outside = 0;

    if (n == 0 || strlen(hex) % 2 != 0) {
        printf("scan: bad needle\n");
        return 1;
    }
    for (size_t j = 0; j < n; j++)
        if (needle(hex, j) < 0) {
            printf("scan: bad needle\n");
            return 1;
        }
    at = find(ATOLL_SPT_HOST_MEM_BASE, mem, hex, n);
    if (at != NULL) {
        printf("scan: found in guest memory at %p\n", (const void *)at);
        return 1;
    }
    /* Every value the CPU held at entry that points outside guest memory:
     * a guest would read there, page after page, until it faults. */
    for (size_t i = 0; i < 17 + XSAVE_MAX / 8; i++) {
        uint64_t v = i < 17 ? entry_regs[i] : word(&entry_xsave[(i - 17) * 8]);

        if (v < mem || v >= (1ull << 47))
            continue;
        outside++;
        printf("scan: reading from 0x%llx\n", (unsigned long long)v);
        at = find(v & ~0xfffull, UINT64_MAX, hex, n);
        if (at != NULL) {
            printf("scan: found at %p, reached from 0x%llx\n",
                   (const void *)at, (unsigned long long)v);
            return 1;
        }
    }
    printf("scan: not in guest memory (%llu MiB), %d values outside it\n",
           (unsigned long long)(mem >> 20), outside);
    return 0;
}

int main(int argc, char **argv)
{
    const char *what = argc >= 2 ? argv[1] : "";
    uint64_t mem = boot_info()->mem_size;

    if (strcmp(what, "regs") == 0) {
        int bad = check_gprs(mem) | check_legacy() | check_extended();

        printf("entry: %s\n", bad ? "tender state left in registers"
                                  : "registers clean");
        return bad;
    }
    if (strcmp(what, "fs") == 0 || strcmp(what, "gs") == 0) {
        /* Reached only if %fs:0 (%gs:0) did not fault. */
        printf("entry: %%%s:0 read 0x%llx: the %%%s base is not 0\n", what,
               (unsigned long long)entry_seg0, what);
        return 1;
    }
    if (strcmp(what, "scan") == 0 && argc >= 3)
        return scan(argv[2], mem);
    printf("unknown case '%s'\n", what);
    return 1;
}
