/*
 * Exit and abort (the TLS base: bindings/x86/tls.c). The exit status
 * leaves through QEMU's isa-debug-exit device (README.md: byte s at port 0x501, QEMU exits with
 * (s << 1) | 1); where nothing takes that write, ACPI S5, then an i8042
 * reset (Firecracker stops the VM on it), then a halt with interrupts off.
 */
#include "io.h"
#include "virtio_boot.h"

#define DEBUG_EXIT_PORT 0x501
#define SLP_EN (1u << 13)
#define HWR_SLP_EN (1u << 5)

static void acpi_s5(void)
{
    if (virtio_acpi.pm1a_cnt != 0)
        outw(virtio_acpi.pm1a_cnt,
             (uint16_t)(((unsigned)virtio_acpi.s5_typ & 7) << 10 | SLP_EN));
    if (virtio_acpi.sleep_ctl != 0) {
        uint8_t v = (uint8_t)(((virtio_acpi.s5_typ & 7) << 2) | HWR_SLP_EN);
        if (virtio_acpi.sleep_ctl_io)
            outb((uint16_t)virtio_acpi.sleep_ctl, v);
        else if (virtio_acpi.sleep_ctl < 0x100000000ull)
            mmio_write8((uintptr_t)virtio_acpi.sleep_ctl, v);
    }
}

_Noreturn void x86_halt(int status)
{
    __asm__ __volatile__("cli");
    outb(DEBUG_EXIT_PORT, (uint8_t)status);
    acpi_s5();
    outb(0x64, 0xfe);
    for (;;)
        __asm__ __volatile__("cli; hlt");
}

_Noreturn void atoll_exit(int status)
{
    int s = status & 0xff;
    x86_halt(s < X86_EXIT_ABORT ? s : X86_EXIT_ABORT);
}

_Noreturn void atoll_abort(void)
{
    x86_halt(X86_EXIT_ABORT);
}
