/*
 * spt_launch(sp, entry, arg): enter the guest. Never returns.
 *
 * The guest runs in this process, so whatever the tender leaves in the CPU
 * is the guest's to read. Before the jump this clears everything that may
 * hold a tender address or secret:
 *   - the %fs base (glibc's thread block, and through it the tender's
 *     stack; arch_prctl(ARCH_SET_FS) is the one TLS call the sandbox
 *     allows; main.c cleared %gs before the sandbox);
 *   - every vector and x87 register (glibc's string functions leave stack,
 *     heap and libc addresses there): XRSTOR from an area whose header says
 *     "initial state" resets x87, SSE, AVX and AVX-512 state at once, with
 *     MXCSR at its default 0x1f80; without XSAVE, xmm0-15 are zeroed one by
 *     one; then fninit (x87 control word 0x37f, no last-instruction or
 *     last-operand pointer) and ldmxcsr again;
 *   - every general register but %rsp (the guest stack) and %rdi (arg);
 *   - the direction flag.
 */
#include <stdint.h>

#include "spt.h"

/* XSAVE area, standard form: MXCSR at byte 24 of the legacy region; a zero
 * header (XSTATE_BV = XCOMP_BV = 0) loads every component requested in its
 * initial state. Only the legacy region and the header are read. */
__attribute__((used, aligned(64))) static const uint8_t spt_xinit[576] = {
    [24] = 0x80, [25] = 0x1f,
};
__attribute__((used)) static const uint32_t spt_mxcsr = 0x1f80;

__asm__(".text\n"
        ".globl spt_launch\n"
        ".type spt_launch, @function\n"
        "spt_launch:\n"
        "  movq %rdi, %rsp\n"
        "  movq %rsi, %r12\n"
        "  movq %rdx, %r13\n"
        /* arch_prctl(ARCH_SET_FS, 0) */
        "  movl $158, %eax\n"
        "  movl $0x1002, %edi\n"
        "  xorl %esi, %esi\n"
        "  syscall\n"
        /* CPUID.1:ECX.OSXSAVE[bit 27]: XSAVE enabled by the kernel */
        "  movl $1, %eax\n"
        "  cpuid\n"
        "  btl $27, %ecx\n"
        "  jnc 1f\n"
        "  xorl %ecx, %ecx\n"
        "  xgetbv\n"
        /* x87, SSE, AVX, MPX, AVX-512: the components enabled for every
         * process (not AMX, which needs a per-process permission) */
        "  andl $0xff, %eax\n"
        "  xorl %edx, %edx\n"
        "  xrstor spt_xinit(%rip)\n"
        "  jmp 2f\n"
        "1:\n"
        "  pxor %xmm0, %xmm0\n"
        "  pxor %xmm1, %xmm1\n"
        "  pxor %xmm2, %xmm2\n"
        "  pxor %xmm3, %xmm3\n"
        "  pxor %xmm4, %xmm4\n"
        "  pxor %xmm5, %xmm5\n"
        "  pxor %xmm6, %xmm6\n"
        "  pxor %xmm7, %xmm7\n"
        "  pxor %xmm8, %xmm8\n"
        "  pxor %xmm9, %xmm9\n"
        "  pxor %xmm10, %xmm10\n"
        "  pxor %xmm11, %xmm11\n"
        "  pxor %xmm12, %xmm12\n"
        "  pxor %xmm13, %xmm13\n"
        "  pxor %xmm14, %xmm14\n"
        "  pxor %xmm15, %xmm15\n"
        "2:\n"
        "  fninit\n"
        "  ldmxcsr spt_mxcsr(%rip)\n"
        "  movq %r12, %rax\n"
        "  movq %r13, %rdi\n"
        "  xorl %esi, %esi\n"
        "  xorl %edx, %edx\n"
        "  xorl %ecx, %ecx\n"
        "  xorl %ebx, %ebx\n"
        "  xorl %ebp, %ebp\n"
        "  xorl %r8d, %r8d\n"
        "  xorl %r9d, %r9d\n"
        "  xorl %r10d, %r10d\n"
        "  xorl %r11d, %r11d\n"
        "  xorl %r12d, %r12d\n"
        "  xorl %r13d, %r13d\n"
        "  xorl %r14d, %r14d\n"
        "  xorl %r15d, %r15d\n"
        "  cld\n"
        "  jmp *%rax\n"
        ".size spt_launch, . - spt_launch\n");
