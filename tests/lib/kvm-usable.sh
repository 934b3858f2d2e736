#!/bin/sh
# Exit 0 if /dev/kvm can be opened read-write by this user.
[ -c /dev/kvm ] || exit 1
( exec 3<>/dev/kvm ) 2>/dev/null
