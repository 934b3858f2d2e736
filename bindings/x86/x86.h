/*
 * The x86-64 code the virtio and xen targets share (README.md): the
 * 32-bit PVH and Multiboot entry (start.S), the GDT, TSS and IDT
 * (cpu.c), the exception stubs (vectors.S) and their one-line report
 * (trap.c, fault.c), the W^X page tables and the page allocator
 * (paging.c), atoll_set_tls_base (tls.c). hvt shares fault.c and tls.c.
 */
#ifndef ATOLL_BINDINGS_X86_H
#define ATOLL_BINDINGS_X86_H

#include <stddef.h>
#include <stdint.h>

#include "atoll/abi/ext.h"

/* Exit byte for abort, panics and CPU exceptions. */
#define X86_EXIT_ABORT 127

/* What each target gives this code. */

/* start.S calls it in long mode on the boot stack: magic and info are
 * %eax and %ebx of the 32-bit entry (Multiboot or PVH). */
_Noreturn void x86_boot(uint32_t magic, uint32_t info);
/* The console: len bytes of s. */
void x86_puts(const char *s, size_t len);
/* Stop the guest with this exit status (X86_EXIT_ABORT: a crash). */
_Noreturn void x86_halt(int status);
/* vectors.S calls it for every interrupt vector (0x30-0x5f, 0x80, 0xff). */
void x86_irq_dispatch(uint64_t vector);

/* What this code gives the targets. */

/* cpu.c: our GDT (with a TSS for the trap stacks), the IDT (exceptions
 * and the interrupt vectors of vectors.S), x87 and SSE state to their
 * defaults. */
void x86_cpu_init(void);

/* gdt.c: load the GDT and TSS (x86_cpu_init and hvt's cpu.c call it);
 * the code segment's selector, for the IDT's gates. */
#define X86_SEL_CODE 0x08
void x86_gdt_load(void);

/* paging.c: the final page tables over the boot ones: W^X for the image,
 * page zero and the stack guard page unmapped, RAM up to ram_top
 * read-write and never executable, the rest of the first 4 GiB device
 * memory (uncached). Pages for x86_page_alloc come after the image;
 * x86_alloc_end is where they end (the heap starts there) and
 * x86_alloc_close stops further allocation. */
void x86_paging_init(uint64_t ram_top, uint64_t stack_guard);
uint64_t x86_alloc_end(void);
void x86_alloc_close(void);
/* npages zeroed, contiguous, read-write pages, or NULL (closed, short of
 * RAM, npages 0); never freed. */
void *x86_page_alloc(size_t npages);
/* Map [phys, phys + len) above 4 GiB read-write, uncached, NX: 0 or -1. */
int x86_map_mmio(uint64_t phys, uint64_t len);

/* fault.c: the one-line report of a CPU exception ("atoll: guest fault:
 * vector 14 (#PF) at rip=..., fault address ..., error code ... (rsp=...,
 * rflags=...)\n") from the facts of t (its magic unused) into buf, which
 * holds X86_FAULT_LINE_MAX bytes; its length (no NUL). hvt uses it too. */
#define X86_FAULT_LINE_MAX 256
size_t x86_fault_line(char *buf, const struct atoll_trap_info *t);

/* tls.c: atoll_set_tls_base (the FS base MSR), on hvt too. */

/* console.c: a C string on the console (x86_puts); atoll_console_write
 * is x86_puts too. */
void x86_putstr(const char *s);

/* start.S: continue in fn on the stack below top. */
_Noreturn void x86_stack_switch(uint64_t top, void (*fn)(void));

#endif
