/*
 * State shared by the spt bindings, recorded once by _start.
 */
#ifndef ATOLL_SPT_BINDINGS_H
#define ATOLL_SPT_BINDINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "atoll/abi/spt.h"
#include "../common/bindings.h"

struct spt_state {
    int epollfd;
    int timerfd;
};

extern struct spt_state spt;

/* platform.c: read the clocks through the vDSO if ext offers it. */
void spt_clock_init(const struct atoll_ext *ext);
/* Whether reading a clock costs no system call (the vDSO). */
bool spt_clock_free(void);

/* net.c: epoll reported the net handles in set readable (rxpace.h);
 * quick: the wait returned without sleeping. */
void spt_net_ready(atoll_handle_set_t set, bool quick);

#endif
