/*
 * spt_launch(sp, entry, arg): switch to the guest's stack and jump to its
 * entry point with %rdi = arg, clearing every other general register so
 * that no tender pointer leaks into the guest. Never returns.
 */
#include "spt.h"

__asm__(".text\n"
        ".globl spt_launch\n"
        ".type spt_launch, @function\n"
        "spt_launch:\n"
        "  movq %rdi, %rsp\n"
        "  movq %rsi, %rax\n"
        "  movq %rdx, %rdi\n"
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
