/*
 * bootinfo (virtio only): which entry the loader took and the command line
 * the bindings saw, for tests/virtio/run.sh.
 *   entry: PVH|multiboot
 *   clock: SOURCE, tsc HZ Hz, apic timer HZ Hz
 *   ioapics: ADDR (GSI FIRST-LAST)...
 *   cmdline: LINE        (the application's, virtio_mmio.device= removed)
 *   argv: ARGS
 */
#include <stdint.h>
#include <stdio.h>

#include "atoll/platform.h"

/* bindings/virtio/virtio_boot.h */
const char *virtio_boot_entry(void);
const char *virtio_clock_source(void);
uint64_t virtio_tsc_hz(void);
extern uint64_t virtio_lapic_hz;
struct virtio_ioapic {
    uint64_t addr;
    uint32_t gsi_base, pins;
};
extern struct {
    _Bool found;
    struct virtio_ioapic ioapic[4];
    unsigned nioapics;
} virtio_acpi;

int main(int argc, char **argv)
{
    printf("entry: %s\n", virtio_boot_entry());
    printf("clock: %s, tsc %llu Hz, apic timer %llu Hz\n",
           virtio_clock_source(), (unsigned long long)virtio_tsc_hz(),
           (unsigned long long)virtio_lapic_hz);
    printf("ioapics:");
    for (unsigned i = 0; i < virtio_acpi.nioapics; i++)
        printf(" %#llx (GSI %u-%u)",
               (unsigned long long)virtio_acpi.ioapic[i].addr,
               virtio_acpi.ioapic[i].gsi_base,
               virtio_acpi.ioapic[i].gsi_base + virtio_acpi.ioapic[i].pins - 1);
    printf("\n");
    printf("cmdline: %s\n", atoll_cmdline());
    printf("argv:");
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    return 0;
}
