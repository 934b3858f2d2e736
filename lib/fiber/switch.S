/*
 * atoll_fiber_switch(void **save_sp, void *next_sp): save the callee-saved
 * registers (System V x86_64) on the current stack, store the stack
 * pointer in *save_sp, load next_sp and restore what was saved there.
 * The caller-saved registers are saved by the compiler around the call.
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
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size atoll_fiber_switch, .-atoll_fiber_switch
    .section .note.GNU-stack,"",@progbits
