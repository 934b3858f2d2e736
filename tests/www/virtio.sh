#!/bin/sh
# examples/www built for virtio under QEMU TCG (microvm, virtio-mmio found
# through the ACPI DSDT): the site of tests/www/target.sh as a tar on the
# virtio-blk disk, served over virtio-net on a TAP device in a network
# namespace of this script's own; files over HTTP byte for byte, the .gz
# sibling, and HTTPS with --cacert. One boot. Run by tests/www/run.sh.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
. tests/lib/check.sh
scratch www-virtio stop_guest
. tests/lib/net-cases.sh
. tests/www/target.sh
. tests/virtio/devqemu.sh

GUEST=10.0.0.2
HOST=10.0.0.1
IMG=$B/examples/www.virtio

if ! command -v "$QEMU" >/dev/null 2>&1 || ! command -v openssl >/dev/null; then
    skip "www on virtio" "needs $QEMU (qemu-system-x86) and openssl"
    exit 0
fi
[ -f "$IMG" ] || { fail "www on virtio" "$IMG not built"; exit 1; }
if ! www_site "$tmp/w"; then
    fail "www on virtio: the site" "$(tail -n 2 "$tmp/w/make.log")"
    exit 1
fi
if [ "$(id -u)" != 0 ] || ! make_ns www-virtio 2>"$tmp/ns.err"; then
    skip "www on virtio" "no network namespace (root?): $(head -c 120 "$tmp/ns.err")"
    exit 0
fi

t0=$(date +%s)
# Not through in_ns: a function started with & is a subshell, and $!
# would be that shell, not timeout, which passes stop_guest's signal on.
# shellcheck disable=SC2046
"$IP" netns exec "$ns" timeout 300 "$QEMU" $(qemu_args mmio2) -kernel "$IMG" \
    -append "--ipv4=$GUEST/24 --tls=www --log=info" \
    -netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
    -device virtio-net-device,netdev=n0 \
    -drive "if=none,id=d0,format=raw,readonly=on,file=$tmp/w/site.tar" \
    -device virtio-blk-device,drive=d0 >"$tmp/guest.out" 2>&1 </dev/null &
guest_pid=$!
if ! wait_up 60; then
    fail "www on virtio: boots and answers ping" "$(tr -d '\r' <"$tmp/guest.out" |
        tail -n 3 | tr '\n' '|' | cut -c 1-200)"
    exit 1
fi
if tr -d '\r' <"$tmp/guest.out" | grep -q 'virtio: block storage: ' &&
    tr -d '\r' <"$tmp/guest.out" | grep -q 'virtio: net service: '; then
    pass "www on virtio: up, storage and service bound to virtio-blk and virtio-net"
else
    fail "www on virtio: devices" "$(tr -d '\r' <"$tmp/guest.out" |
        grep -a 'virtio:' | head -n 3 | tr '\n' '|')"
fi
www_target_cases "virtio (QEMU TCG, microvm)" "$tmp/w"
stop_guest
echo "www on virtio: $(($(date +%s) - t0)) s from QEMU's start"
[ "$fails" -eq 0 ]
