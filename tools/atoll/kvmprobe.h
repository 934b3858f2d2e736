/*
 * The one KVM check of atoll run, for hvt and virtio alike: dev (normally
 * /dev/kvm) is the KVM device, opens read-write, and runs a probe guest's
 * SSE code in 64-bit mode, as Atoll guests need. Returns true if so, else
 * false with the reason in a few words in why.
 */
#ifndef ATOLL_TOOL_KVMPROBE_H
#define ATOLL_TOOL_KVMPROBE_H

#include <stdbool.h>
#include <stddef.h>

bool kvm_probe(const char *dev, char *why, size_t whysize);

#endif
