/*
 * The hypercall page: Xen fills it with one 32-byte stub per hypercall
 * when hypercall.c writes its address to the MSR CPUID names. In the
 * text, so executable and, after paging.c, read-only (Xen writes it
 * through the guest's physical memory, before that).
 */
.section .text.xen_hypercall_page, "ax", @progbits
.p2align 12
.global xen_hypercall_page
xen_hypercall_page:
    .fill 4096, 1, 0xcc /* int3 until Xen writes the stubs */

.section .note.GNU-stack, "", @progbits
