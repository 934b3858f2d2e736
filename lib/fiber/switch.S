/*
 * atoll_fiber_switch(void **save_sp, void *next_sp): save the callee-saved
 * state (System V x86_64) on the current stack, store the stack pointer in
 * *save_sp, load next_sp and restore what was saved there. The
 * caller-saved registers are saved by the compiler around the call.
 *
 * Callee-saved are %rbp, %rbx, %r12-%r15, and also the control bits of
 * MXCSR and the x87 control word: a fiber that changes its rounding mode
 * must not change another's. STMXCSR/FNSTCW save them in 8 bytes (an
 * FXSAVE image of 512 bytes cost ten times as much per switch; it was
 * used only while hvt had to run on a KVM that emulates every instruction
 * and cannot emulate LDMXCSR or FLDCW, where SSE guests cannot run anyway).
 *
 * Frame, from the saved stack pointer up: MXCSR (4 bytes), the x87
 * control word (2 bytes), 2 bytes of padding, %r15, %r14, %r13, %r12,
 * %rbx, %rbp, the return address. lib/fiber/fiber.c builds the first
 * frame of a new fiber the same way (FIBER_FRAME_FPU, FIBER_FRAME_REGS),
 * with default MXCSR and control word, returning into atoll_fiber_start.
 */
    .text
    .globl atoll_fiber_switch
    .type atoll_fiber_switch, @function
atoll_fiber_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    /* %rsp is 8 mod 16 here (a call, then six pushes): 8 aligns it. */
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size atoll_fiber_switch, .-atoll_fiber_switch

/*
 * A new fiber's first switch returns here with %rsp 16-byte aligned, as
 * after any return; the call enters fiber_entry (passed in %rbx) aligned as
 * a function expects. fiber_entry never returns.
 */
    .globl atoll_fiber_start
    .type atoll_fiber_start, @function
atoll_fiber_start:
    call *%rbx
    ud2
    .size atoll_fiber_start, .-atoll_fiber_start
    .section .note.GNU-stack,"",@progbits
