/* examples/kv: the TCP server (server.c), started by main (kv.c). */
#ifndef KV_SERVER_H
#define KV_SERVER_H

#include "atoll/blockdev.h"
#include "atoll/kv.h"

/* Serve the store kv (open on dev, no open transaction) on the net device
 * "service" until the unikernel is stopped; returns only on a setup
 * failure, with the exit status. */
int kv_serve(struct atoll_blockdev *dev, struct atoll_kv *kv);

#endif
