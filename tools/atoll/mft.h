/*
 * The C source of an image's manifest note (Solo5 manifest version 1):
 * the reserved entry 0, then the devices of a unikernel.conf in order.
 * Compiled with the guest flags, it defines atoll_manifest_note in the
 * section the targets' linker scripts turn into the MFT1 note.
 */
#ifndef ATOLL_TOOL_MFT_H
#define ATOLL_TOOL_MFT_H

#include "conf.h"

/* The source text, malloc'ed. */
char *mft_source(const struct conf *c);

#endif
