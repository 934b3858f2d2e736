/*
 * Waiting: halt until an interrupt (a device's, or the local APIC timer
 * armed for the deadline), never spin. Interrupts are enabled only across
 * the hlt (sti's one-instruction shadow makes "sti; hlt" atomic: an
 * interrupt pending before it wakes the hlt rather than being missed).
 */
#include "devices.h"
#include "irq.h"
#include "virtio_boot.h"

extern atoll_handle_set_t virtio_net_ready(void) __attribute__((weak));

static atoll_handle_set_t ready_now(void)
{
    return virtio_net_ready != NULL ? virtio_net_ready() : 0;
}

void virtio_wait(atoll_time_t deadline)
{
    atoll_time_t now = atoll_clock_monotonic();

    if (now >= deadline)
        return;
    virtio_timer_arm(deadline - now);
    /* Interrupt handlers run here (irq.h): the asm may clobber what any C
     * function may. */
    __asm__ __volatile__(
        "sti\n\thlt\n\tcli"
        :
        :
        : "memory", "cc", "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9",
          "r10", "r11", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
          "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
          "xmm14", "xmm15");
    virtio_timer_arm(0);
}

void atoll_yield(atoll_time_t deadline, atoll_handle_set_t *ready)
{
    atoll_handle_set_t r;

    for (;;) {
        r = ready_now();
        if (r != 0 || atoll_clock_monotonic() >= deadline)
            break;
        virtio_wait(deadline);
    }
    if (ready != NULL)
        *ready = r & bind_mft_net_set();
}
