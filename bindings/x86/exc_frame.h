/*
 * For the exception stubs of every x86-64 target (bindings/x86/vectors.S,
 * bindings/hvt/vectors.S): X86_EXC_FRAME vec pushes a zero where the CPU
 * pushes no error code (all but 8, 10-14, 17, 21, 29 and 30), then the
 * vector, so that every frame reads vector, error code, rip, cs, rflags,
 * rsp, ss.
 */
.macro X86_EXC_FRAME vec
.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || \
    (\vec == 21) || (\vec == 29) || (\vec == 30)
.else
    pushq $0
.endif
    pushq $\vec
.endm
