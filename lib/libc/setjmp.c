/*
 * setjmp/longjmp for the x86_64 System V ABI (see include/libc/setjmp.h for
 * what is saved and why MXCSR and the x87 control word are not). Written as
 * top-level assembly in a C file so the host unit tests rename the symbols
 * like every other libc name.
 */
#include <setjmp.h>

#define STR2(x) #x
#define STR(x) STR2(x)
#define SETJMP_SYM STR(setjmp)
#define LONGJMP_SYM STR(longjmp)
#define USETJMP_SYM STR(_setjmp)
#define ULONGJMP_SYM STR(_longjmp)

/* jmp_buf: rbx rbp r12 r13 r14 r15 rsp rip, 8 bytes each. setjmp stores
 * the stack pointer as it is after its own return. */
__asm__(".pushsection .text." SETJMP_SYM ",\"ax\",@progbits\n"
        ".globl " SETJMP_SYM "\n"
        ".globl " USETJMP_SYM "\n"
        ".type " SETJMP_SYM ",@function\n"
        ".type " USETJMP_SYM ",@function\n"
        SETJMP_SYM ":\n"
        USETJMP_SYM ":\n"
        "  movq %rbx, 0(%rdi)\n"
        "  movq %rbp, 8(%rdi)\n"
        "  movq %r12, 16(%rdi)\n"
        "  movq %r13, 24(%rdi)\n"
        "  movq %r14, 32(%rdi)\n"
        "  movq %r15, 40(%rdi)\n"
        "  leaq 8(%rsp), %rdx\n"
        "  movq %rdx, 48(%rdi)\n"
        "  movq (%rsp), %rdx\n"
        "  movq %rdx, 56(%rdi)\n"
        "  xorl %eax, %eax\n"
        "  ret\n"
        ".size " SETJMP_SYM ", . - " SETJMP_SYM "\n"
        ".size " USETJMP_SYM ", . - " USETJMP_SYM "\n"
        ".popsection\n");

/* longjmp(env, 0) makes setjmp return 1 (C11 7.13.2.1). */
__asm__(".pushsection .text." LONGJMP_SYM ",\"ax\",@progbits\n"
        ".globl " LONGJMP_SYM "\n"
        ".globl " ULONGJMP_SYM "\n"
        ".type " LONGJMP_SYM ",@function\n"
        ".type " ULONGJMP_SYM ",@function\n"
        LONGJMP_SYM ":\n"
        ULONGJMP_SYM ":\n"
        "  movl %esi, %eax\n"
        "  testl %eax, %eax\n"
        "  jnz 1f\n"
        "  incl %eax\n"
        "1:\n"
        "  movq 0(%rdi), %rbx\n"
        "  movq 8(%rdi), %rbp\n"
        "  movq 16(%rdi), %r12\n"
        "  movq 24(%rdi), %r13\n"
        "  movq 32(%rdi), %r14\n"
        "  movq 40(%rdi), %r15\n"
        "  movq 48(%rdi), %rsp\n"
        "  jmpq *56(%rdi)\n"
        ".size " LONGJMP_SYM ", . - " LONGJMP_SYM "\n"
        ".size " ULONGJMP_SYM ", . - " ULONGJMP_SYM "\n"
        ".popsection\n");
