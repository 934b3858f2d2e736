/*
 * The guest's view at boot: the epoll set and timerfd it yields on, and
 * in low guest memory the boot info, then the manifest, then the command
 * line area (ATOLL_SPT_CMDLINE_SIZE bytes), then the Atoll extension block
 * (the same order as solo5-spt, so Solo5 guests find everything).
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>

#include "../common/internal.h"
#include "spt.h"
#include "vdso.h"

int spt_poll_init(struct spt *spt, char *err)
{
    struct epoll_event ev;

    spt->epollfd = epoll_create1(EPOLL_CLOEXEC);
    if (spt->epollfd < 0)
        return tender_err(err, "epoll_create1: %s", strerror(errno));
    spt->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (spt->timerfd < 0)
        return tender_err(err, "timerfd_create: %s", strerror(errno));
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.u64 = ATOLL_SPT_INTERNAL_TIMERFD;
    if (epoll_ctl(spt->epollfd, EPOLL_CTL_ADD, spt->timerfd, &ev) != 0)
        return tender_err(err, "epoll_ctl(timerfd): %s", strerror(errno));
    /* Event data is the manifest index, i.e. the guest's handle. */
    for (uint32_t i = 1; i < spt->mft->entries; i++) {
        const struct atoll_mft_entry *e = &spt->mft->e[i];

        if (e->type != ATOLL_MFT_DEV_NET_BASIC || !e->attached)
            continue;
        memset(&ev, 0, sizeof ev);
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        if (epoll_ctl(spt->epollfd, EPOLL_CTL_ADD, e->b.hostfd, &ev) != 0)
            return tender_err(err, "epoll_ctl(net device '%s'): %s", e->name,
                              strerror(errno));
    }
    return 0;
}

int spt_boot_info(struct spt *spt, const struct tender_image *img, int argc,
                  char **argv, char *err)
{
    uint64_t pos = ATOLL_SPT_BOOT_INFO_BASE;
    struct atoll_spt_boot_info *bi = (void *)(uintptr_t)pos;
    uint64_t mft_at, cmdline_at, ext_at;

    pos += sizeof *bi;
    mft_at = pos;
    pos += img->mft_size;
    pos = (pos + 7) & ~(uint64_t)7;
    cmdline_at = pos;
    ext_at = cmdline_at + ATOLL_SPT_CMDLINE_SIZE;
    if (ext_at + sizeof(struct atoll_ext) > ATOLL_SPT_GUEST_MIN_BASE)
        return tender_err(err, "the manifest does not fit in the boot area");

    memset(bi, 0, sizeof *bi);
    bi->mem_size = spt->mem_size;
    bi->kernel_end = img->kernel_end;
    bi->mft = mft_at;
    bi->cmdline = cmdline_at;
    bi->epollfd = spt->epollfd;
    bi->timerfd = spt->timerfd;
    memcpy((void *)(uintptr_t)mft_at, spt->mft, img->mft_size);
    if (tender_cmdline((char *)(uintptr_t)cmdline_at, ATOLL_SPT_CMDLINE_SIZE,
                       argc, argv, err) != 0)
        return -1;
    struct atoll_ext *ext = (struct atoll_ext *)(uintptr_t)ext_at;
    tender_ext_init(ext, ATOLL_EXT_F_BLOCK_FLUSH | ATOLL_EXT_F_BLOCK_MULTI);
    ext->spt_clock_gettime = spt_vdso_clock_gettime();
    if (ext->spt_clock_gettime != 0)
        ext->features |= ATOLL_EXT_F_SPT_VDSO_CLOCK;
    return 0;
}
