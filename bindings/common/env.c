/*
 * The boot environment every target hands to the runtime: command line,
 * heap region, target name, and the Atoll extension block.
 */
#include <stdint.h>

#include "bindings.h"

#define PAGE_SIZE 0x1000u

static const char *cmdline = "";
static uintptr_t heap_start;
static size_t heap_size;

const struct atoll_ext *bind_ext_find(uint64_t cmdline_addr,
                                      size_t cmdline_size)
{
    uint64_t addr = cmdline_addr + cmdline_size;
    const struct atoll_ext *ext;

    if (cmdline_addr == 0 || addr < cmdline_addr || (addr & 7) != 0)
        return NULL;
    ext = (const struct atoll_ext *)(uintptr_t)addr;
    /* Later versions only add fields and feature bits. */
    if (ext->magic != ATOLL_EXT_MAGIC || ext->version < ATOLL_EXT_VERSION)
        return NULL;
    if (ext->features & ATOLL_EXT_F_NET_VNET)
        bind_ext_net_vnet = ext->net_vnet;
    return ext;
}

void bind_heap_init(uint64_t kernel_end, uint64_t mem_size)
{
    uint64_t start = (kernel_end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t end = mem_size & ~(uint64_t)(PAGE_SIZE - 1);

    heap_start = (uintptr_t)start;
    heap_size = 0;
    if (start < kernel_end || end < BIND_STACK_SIZE)
        return;
    end -= BIND_STACK_SIZE;
    if (end > start)
        heap_size = (size_t)(end - start);
}

void bind_cmdline_init(const char *s)
{
    cmdline = s != NULL ? s : "";
}

const char *atoll_cmdline(void)
{
    return cmdline;
}

void atoll_heap_region(uintptr_t *start, size_t *size)
{
    *start = heap_start;
    *size = heap_size;
}

const char *atoll_target_name(void)
{
    return bind_target_name;
}
