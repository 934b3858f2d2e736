/* Waiting: the POLL hypercall sleeps in the tender until the deadline or
 * until a net device has a frame. */
#include "hvt_bind.h"

void atoll_yield(atoll_time_t deadline, atoll_handle_set_t *ready)
{
    atoll_time_t now = atoll_clock_monotonic();
    struct atoll_hvt_hc_poll p = {
        .timeout_nsecs = deadline > now ? deadline - now : 0,
    };
    hvt_hypercall(ATOLL_HVT_HC_POLL, &p);
    /* Only report devices the application acquired. */
    if (ready != NULL)
        *ready = p.ready_set & bind_mft_net_set();
}
