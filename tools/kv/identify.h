/*
 * What a file holds when it is not a kv store, for atoll-kv's hints.
 */
#ifndef ATOLL_KV_IDENTIFY_H
#define ATOLL_KV_IDENTIFY_H

#include <stdbool.h>
#include <stddef.h>

/* What the file at path looks like, in a few words ("all zero bytes",
 * "an ELF file", "a tar archive", "an Atoll kv store of format version
 * 2", ...), into what[size]. Returns true when it is an Atoll kv store
 * of another format version, which formatting would destroy. */
bool kv_identify(const char *path, char *what, size_t size);

#endif
