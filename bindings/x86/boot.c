/*
 * The boot steps the virtio and xen targets share (boot.h). Built with
 * -fno-stack-protector, like the boot.c files that call it.
 */
#include <stdint.h>

#include "boot.h"
#include "x86.h"

extern const char __mft_note[], __mft_note_end[];

static uint64_t mft_copy[ATOLL_MFT_SIZE(ATOLL_MFT_MAX_ENTRIES) / 8 + 1];

_Noreturn void x86_boot_die(const char *msg)
{
    x86_putstr("atoll: boot: ");
    x86_putstr(msg);
    x86_putstr("\n");
    x86_halt(X86_EXIT_ABORT);
}

void x86_boot_clear(uint64_t lo, uint64_t hi, uint64_t image_end,
                    uint64_t ram_top)
{
    if (hi <= image_end || lo >= ram_top)
        return;
    uint64_t from = lo > image_end ? lo : image_end;
    uint64_t to = hi < ram_top ? hi : ram_top;
    for (uint64_t a = from; a < to; a++)
        *(volatile uint8_t *)(uintptr_t)a = 0;
}

struct atoll_mft *x86_manifest(void)
{
    size_t len = (size_t)(__mft_note_end - __mft_note);
    const struct atoll_mft *m;
    size_t size;

    if (len < ATOLL_MFT_NOTE_DESC_OFFSET + sizeof(struct atoll_mft))
        return NULL;
    m = (const struct atoll_mft *)(const void *)(__mft_note +
                                                 ATOLL_MFT_NOTE_DESC_OFFSET);
    if (m->version != ATOLL_MFT_VERSION || m->entries > ATOLL_MFT_MAX_ENTRIES)
        x86_boot_die(
            "the image's manifest is not version 1 or has too many entries");
    size = ATOLL_MFT_SIZE(m->entries);
    if (size > len - ATOLL_MFT_NOTE_DESC_OFFSET)
        x86_boot_die("the image's manifest note is truncated");
    const uint8_t *from = (const uint8_t *)m;
    uint8_t *to = (uint8_t *)mft_copy;
    for (size_t i = 0; i < size; i++)
        to[i] = from[i];
    return (struct atoll_mft *)(void *)mft_copy;
}

static _Noreturn void start_runtime(void)
{
    atoll_rt_start();
}

_Noreturn void x86_boot_finish(struct atoll_mft *mft, const char *cmdline,
                               uint64_t ram_top)
{
    x86_alloc_close();
    bind_mft_init(mft);
    bind_cmdline_init(cmdline);
    bind_heap_init(x86_alloc_end(), ram_top);
    x86_stack_switch(ram_top, start_runtime);
}
