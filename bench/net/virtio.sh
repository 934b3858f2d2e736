#!/bin/sh
# bench/net/virtio.sh: examples/echo on the virtio target under QEMU
# (TCG: no usable /dev/kvm here) next to the same echo on atoll-spt,
# measured in the same run from one network namespace made here, each
# guest on its own TAP device. Not part of `make test`; run as root:
#
#   B=build sh bench/net/virtio.sh
#
# Rows: TCP bulk into the guest's discard port, and 1-byte TCP
# request/response on one connection; for virtio on microvm
# (virtio-mmio v2) and q35 (virtio-pci modern). The ratio is virtio/spt
# (above 1: virtio is faster).
#
#   SECONDS_EACH  length of each request/response run (default 5)
#   BULK_MB       megabytes sent for the bulk figure (default 50)
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
. tests/virtio/devqemu.sh
secs=${SECONDS_EACH:-5}
bulk_mb=${BULK_MB:-50}
ns=atoll-vbench-$$
tmp=$(mktemp -d /tmp/atoll-vbench.XXXXXX)
pid=""

stop() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    pid=""
}
cleanup() {
    stop
    ip netns del "$ns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
die() {
    echo "bench/net/virtio.sh: $*" >&2
    exit 1
}

[ "$(id -u)" = 0 ] || die "needs root (a network namespace)"
for f in "$B/bin/atoll-spt" "$B/examples/echo.spt" "$B/examples/echo.virtio" \
    "$B/tests/net/netclient"; do
    [ -x "$f" ] || [ -f "$f" ] || die "missing $f (make all test-programs)"
done
ip netns add "$ns" || die "cannot make the namespace"
ip -n "$ns" link set lo up
ip -n "$ns" tuntap add dev tap0 mode tap
ip -n "$ns" addr add 10.0.0.1/24 dev tap0
ip -n "$ns" link set tap0 up

client() { ip netns exec "$ns" "$B/tests/net/netclient" "$@"; }

# start spt|mmio2|pci-modern: echo on tap0 at 10.0.0.2, discard on 9.
start() {
    args="--ipv4=10.0.0.2/24 --discard=9"
    if [ "$1" = spt ]; then
        ip netns exec "$ns" "$B/bin/atoll-spt" --net:service=tap0 \
            "$B/examples/echo.spt" $args >"$tmp/out" 2>&1 </dev/null &
    else
        s=$(dev_suffix "$1")
        # shellcheck disable=SC2046
        ip netns exec "$ns" "$QEMU" $(qemu_args "$1") \
            -kernel "$B/examples/echo.virtio" \
            -append "$(mmio_entries "$1" 1) $args" \
            -netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
            -device "virtio-net-$s,netdev=n0$(dev_props "$1")" \
            >"$tmp/out" 2>&1 </dev/null &
    fi
    pid=$!
    i=0
    until ip netns exec "$ns" ping -c 1 -W 1 -q 10.0.0.2 >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -lt 60 ] || die "$1: echo does not answer ping"
    done
}

measure() { # bulk | rr
    case $1 in
    bulk)
        client send 10.0.0.2 9 $((bulk_mb * 1000000)) 300 |
            sed -n 's/.*: \([0-9.]*\) MB\/s$/\1/p' ;;
    rr)
        client rr 10.0.0.2 7 1 1 "$secs" |
            sed -n 's/^ok: \([0-9]*\) round trips.*/\1/p' ;;
    esac
}

for g in spt mmio2 pci-modern; do
    start $g
    eval "bulk_$(echo $g | tr -- - _)=\$(measure bulk)"
    eval "rr_$(echo $g | tr -- - _)=\$(measure rr)"
    stop
done

ratio() { echo "${1:-0} ${2:-0}" | awk '{ if ($1 == 0 || $2 == 0) print "-";
    else printf "%.3f", $1 / $2 }'; }
printf '%-50s %10s %10s %8s\n' "figure" "virtio" "spt" "ratio"
for g in mmio2 pci-modern; do
    v=$(echo $g | tr -- - _)
    eval "b=\${bulk_$v:-}; r=\${rr_$v:-}"
    printf '%-50s %10s %10s %8s\n' "tcp bulk, $bulk_mb MB, $g (MB/s)" \
        "${b:--}" "${bulk_spt:--}" "$(ratio "$b" "$bulk_spt")"
    printf '%-50s %10s %10s %8s\n' "tcp 1-byte req/resp, 1 conn, $g (trips/s)" \
        "${r:--}" "${rr_spt:--}" "$(ratio "$r" "$rr_spt")"
done
