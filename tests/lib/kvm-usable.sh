#!/bin/sh
# Exit 0 if KVM is usable for Atoll's hvt images here, else 1: the probe
# atoll run uses, `$B/bin/atoll kvm-check` (B defaults to build; the
# probe is tools/atoll/kvmprobe.c). It opens /dev/kvm and runs a tiny
# guest's SSE code, which catches a KVM that emulates every guest
# instruction and stops on the SSE instructions compilers emit for plain
# code (guests are built for the x86-64 baseline, SSE2): there the hvt
# tests run in a VM (tests/hvt, tests/vm) instead.
#   --why   on failure, print the reason in a few words on stdout
#           ("/dev/kvm is missing", "/dev/kvm cannot be opened: Permission
#           denied", "this KVM cannot run SSE code (...)")
# ATOLL_KVM names another device node to try instead of /dev/kvm, to
# simulate a machine without KVM (ATOLL_KVM=/nonexistent): every caller
# then takes its no-KVM path.
atoll=${B:-build}/bin/atoll
if [ -x "$atoll" ]; then
    why=$("$atoll" kvm-check) && exit 0
else
    why="no $atoll to probe KVM with (make all)"
fi
[ "${1:-}" = --why ] && echo "$why"
exit 1
