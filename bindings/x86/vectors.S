/*
 * Entry stubs. Exceptions 0-31: push a zero where the CPU pushes no error
 * code, push the vector, call x86_trap(frame, cr2), which does not
 * return. Interrupt vectors (the GSIs' 0x30-0x5f, the timer's 0x80, the
 * spurious 0xff): save the registers C code may clobber, call
 * x86_irq_dispatch(vector), restore, iretq. Interrupts only arrive
 * while atoll_yield halts (irq.h), whose asm names every SSE register as
 * clobbered, so the stubs keep only the general registers.
 *
 * x86_exc_stubs / x86_irq_stubs: tables of stub addresses that cpu.c
 * builds the IDT from.
 */
.section .text.x86_vectors, "ax", @progbits

#include "exc_frame.h"

.macro EXC vec
exc_\vec:
    X86_EXC_FRAME \vec
    jmp exc_common
.endm

.macro IRQ vec
irq_\vec:
    pushq $\vec
    jmp irq_common
.endm

.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    EXC \v
.endr

exc_common:
    cld
    movq %rsp, %rdi
    movq %cr2, %rsi
    andq $-16, %rsp
    call x86_trap
    ud2

.irp v, 48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,128,255
    IRQ \v
.endr

irq_common:
    pushq %rax
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %rbp
    movq %rsp, %rbp
    cld
    movq 80(%rsp), %rdi /* the vector */
    andq $-16, %rsp
    call x86_irq_dispatch
    movq %rbp, %rsp
    popq %rbp
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rax
    addq $8, %rsp
    iretq

.section .rodata
.p2align 3
.global x86_exc_stubs, x86_irq_stubs, x86_irq_stubs_end
x86_exc_stubs:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad exc_\v
.endr
/* (vector, stub) pairs */
x86_irq_stubs:
.irp v, 48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,128,255
    .quad \v, irq_\v
.endr
x86_irq_stubs_end:

.section .note.GNU-stack, "", @progbits
