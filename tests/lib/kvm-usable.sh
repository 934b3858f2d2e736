#!/bin/sh
# Exit 0 if KVM is usable for Atoll's hvt images here, else 1: /dev/kvm can
# be opened read-write by this user and, where the image is built, runs
# $B/examples/hello.hvt (B defaults to build). The run catches a KVM that
# emulates every guest instruction and stops on the SSE instructions
# compilers emit for plain code (guests are built for the x86-64 baseline,
# SSE2): there the hvt tests run in a VM (tests/hvt, tests/vm) instead.
#   --why   on failure, print the reason in a few words on stdout
#           ("/dev/kvm missing", "/dev/kvm cannot be opened: Permission
#           denied", "this KVM cannot run SSE code: ...")
# ATOLL_KVM names another device node to try instead of /dev/kvm, to
# simulate a machine without KVM (ATOLL_KVM=/nonexistent): every caller
# then takes its no-KVM path.
dev=${ATOLL_KVM:-/dev/kvm}
why() { [ "${1:-}" = --why ] && echo "$2"; exit 1; }
[ -e "$dev" ] || why "${1:-}" "$dev missing"
[ -c "$dev" ] || why "${1:-}" "$dev is not a character device"
# /dev/null bound over it (tests hide KVM that way) is not KVM: 10:232.
[ "$(stat -L -c %t:%T "$dev")" = a:e8 ] ||
    why "${1:-}" "$dev is not the KVM device (10:232)"
# <> would create a missing file; it exists, so this only opens it.
msg=$( (exec 3<>"$dev") 2>&1 ) ||
    why "${1:-}" "$dev cannot be opened: ${msg##*: }"
b=${B:-build}
hvt=$b/bin/atoll-hvt
img=$b/examples/hello.hvt
[ "$dev" = /dev/kvm ] && [ -x "$hvt" ] && [ -f "$img" ] || exit 0
# The tender ends by the signal of the guest's fault: the subshell waits
# for it (a command follows), so the shell's "Illegal instruction" notice
# goes to $out with the tender's own line.
out=$(exec 2>&1; timeout 60 "$hvt" --mem=8 "$img" kvm-check </dev/null
    echo "status $?")
[ "${out##*status }" = 0 ] && exit 0
why "${1:-}" "this KVM cannot run SSE code (it emulates every guest \
instruction): $(echo "$out" | grep -m 1 'atoll-hvt' | cut -c 1-200)"
