/*
 * Entry stubs for exceptions 0-31. Each pushes a zero in place of the error
 * code when the CPU pushes none, then the vector number, and jumps to the
 * common path, which calls hvt_trap(frame, cr2). hvt_trap does not return.
 *
 * Frame, from the stack pointer up: vector, error code, rip, cs, rflags,
 * rsp, ss.
 *
 * The stubs are 16 bytes apart from hvt_trap_stubs, a 512-byte aligned
 * block, so that hvt.lds can build the IDT at link time from that one
 * address (and checks both facts).
 */

#include "../x86/exc_frame.h"

.macro STUB vec
.p2align 4
hvt_trap_\vec:
    X86_EXC_FRAME \vec
    jmp hvt_trap_common
.endm

/* Kept by hvt.lds: only its IDT refers to the stubs. */
.section .text.hvt_trap_stubs, "ax", @progbits
.p2align 9
.global hvt_trap_stubs, hvt_trap_stubs_end
.hidden hvt_trap_stubs, hvt_trap_stubs_end
hvt_trap_stubs:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    STUB \v
.endr
.p2align 4
hvt_trap_stubs_end:

.type hvt_trap_common, @function
hvt_trap_common:
    cld
    movq %rsp, %rdi
    movq %cr2, %rsi
    andq $-16, %rsp
    call hvt_trap
    ud2

.section .note.GNU-stack, "", @progbits
