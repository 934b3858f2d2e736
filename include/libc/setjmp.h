/*
 * setjmp.h: Atoll libc. setjmp saves what the x86_64 System V ABI makes
 * callee-saved in general registers (rbx, rbp, r12-r15), the stack pointer
 * and the return address; longjmp restores them. Like glibc and musl, it
 * does not save MXCSR or the x87 control word: code that changes them
 * restores them itself (and this machine's KVM emulator stops on ldmxcsr,
 * which would stop every hvt guest that calls longjmp). There are no
 * signals, so sigsetjmp's savemask is ignored.
 */
#ifndef _ATOLL_SETJMP_H
#define _ATOLL_SETJMP_H

typedef struct __atoll_jmp_buf {
    unsigned long __regs[8]; /* rbx rbp r12 r13 r14 r15 rsp rip */
} jmp_buf[1];
typedef jmp_buf sigjmp_buf;

int setjmp(jmp_buf env) __attribute__((__returns_twice__));
_Noreturn void longjmp(jmp_buf env, int val);
int _setjmp(jmp_buf env) __attribute__((__returns_twice__));
_Noreturn void _longjmp(jmp_buf env, int val);

#define sigsetjmp(env, savemask) setjmp(env)
#define siglongjmp(env, val) longjmp(env, val)

#endif
