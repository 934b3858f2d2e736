#!/bin/sh
# Exit 0 if /dev/kvm can be opened read-write by this user, else 1.
#   --why   on failure, print the reason in a few words on stdout
#           ("/dev/kvm missing", "/dev/kvm cannot be opened: Permission
#           denied")
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
msg=$( (exec 3<>"$dev") 2>&1 ) && exit 0
why "${1:-}" "$dev cannot be opened: ${msg##*: }"
