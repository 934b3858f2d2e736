/*
 * State shared by the spt bindings, recorded once by _start.
 */
#ifndef ATOLL_SPT_BINDINGS_H
#define ATOLL_SPT_BINDINGS_H

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

#endif
