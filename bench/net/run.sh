#!/bin/sh
# bench/net: lib/net on atoll-spt against Linux kernel sockets, measured in
# the same run. Not part of `make test`; run `make bench-net` (root).
#
# Three network namespaces made here. "router" holds tap0 (10.0.0.1/24)
# with examples/echo behind it on atoll-spt (10.0.0.2), and veth pairs to
# "server" (10.0.1.2), where bench/net/linux_echo runs (an equivalent
# one-threaded epoll echo), and to "client" (10.0.2.2). The figures are
# measured from "router": each server is one virtual link away, and gets
# MTU-sized packets (the TAP device has no offloads, so the kernel splits
# its sends for it; the veth pairs are kept from carrying GSO packets;
# one more row shows Linux's bulk rate when they may). The loss figures
# are measured from "client", through the router, which drops 5% of what
# it forwards.
#
# Prints each figure for both and the ratio Atoll/Linux (above 1: Atoll is
# better, for round-trip times as for rates), then a 50 MB echo through 5%
# random loss each way (an nftables rule in the router's forward path),
# checked byte for byte.
#
#   SECONDS_EACH  length of each rate measurement (default 5)
#   BULK_MB       megabytes sent for the bulk figure (default 200)
#   LOSS_MB       megabytes echoed through loss (default 50; 0: skip)
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
secs=${SECONDS_EACH:-5}
bulk_mb=${BULK_MB:-200}
loss_mb=${LOSS_MB:-50}
cns=atoll-bench-c$$
sns=atoll-bench-s$$
rns=atoll-bench-r$$
tmp=$(mktemp -d /tmp/atoll-bench.XXXXXX)
guest=""
linux=""

cleanup() {
    [ -n "$guest" ] && kill "$guest" 2>/dev/null && wait "$guest" 2>/dev/null
    [ -n "$linux" ] && kill "$linux" 2>/dev/null && wait "$linux" 2>/dev/null
    ip netns del "$cns" 2>/dev/null
    ip netns del "$sns" 2>/dev/null
    ip netns del "$rns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

die() {
    echo "bench/net: $*" >&2
    exit 1
}

[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
for f in "$B/bin/atoll-spt" "$B/examples/echo.spt" "$B/tests/net/netclient" \
    "$B/bench/net/linux_echo"; do
    [ -x "$f" ] || die "missing $f (make bench-net builds it)"
done
command -v ping >/dev/null || die "needs ping (iputils-ping)"

ip netns add "$cns" && ip netns add "$sns" && ip netns add "$rns" ||
    die "cannot make namespaces"
for n in "$cns" "$sns" "$rns"; do
    ip -n "$n" link set lo up
done
ip -n "$rns" tuntap add dev tap0 mode tap
ip -n "$rns" addr add 10.0.0.1/24 dev tap0
ip -n "$rns" link set tap0 up
# link ROUTER-IF OTHER-NS OTHER-IF SUBNET: a veth pair, .1 on the router.
link() {
    ip -n "$rns" link add "$1" type veth peer name "$3" netns "$2"
    ip -n "$rns" addr add "$4.1/24" dev "$1"
    ip -n "$2" addr add "$4.2/24" dev "$3"
    ip -n "$rns" link set "$1" gso_max_segs 1
    ip -n "$2" link set "$3" gso_max_segs 1
    ip -n "$rns" link set "$1" up
    ip -n "$2" link set "$3" up
    ip -n "$2" route add default via "$4.1"
}
link veth0 "$cns" veth1 10.0.2
link veth2 "$sns" veth3 10.0.1
ip netns exec "$rns" sysctl -q -w net.ipv4.ip_forward=1

ip netns exec "$rns" timeout 3600 "$B/bin/atoll-spt" --net:service=tap0 \
    "$B/examples/echo.spt" --ipv4=10.0.0.2/24 --ipv4-gateway=10.0.0.1 \
    --discard=9 >"$tmp/guest.out" 2>&1 </dev/null &
guest=$!
ip netns exec "$sns" timeout 3600 "$B/bench/net/linux_echo" \
    >"$tmp/linux.out" 2>&1 </dev/null &
linux=$!
for a in 10.0.0.2 10.0.1.2; do
    i=0
    until ip netns exec "$cns" ping -c 1 -W 1 -q $a >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -lt 10 ] || die "$a does not answer ping"
    done
done

from=$rns
client() { ip netns exec "$from" "$B/tests/net/netclient" "$@"; }

# measure ADDR WHAT: one figure for the server at ADDR, on stdout.
measure() {
    a=$1
    shift
    case $1 in
    bulk)
        client send $a 9 $((bulk_mb * 1000000)) 300 |
            sed -n 's/.*: \([0-9.]*\) MB\/s$/\1/p' ;;
    rr)
        client rr $a 7 "$2" "$3" "$secs" |
            sed -n 's/^ok: \([0-9]*\) round trips.*/\1/p' ;;
    udp)
        client udp $a 7 "$2" "$3" "$secs" |
            sed -n 's/^ok: \([0-9]*\) datagrams.*/\1/p' ;;
    ping)
        ip netns exec "$from" ping -c 2000 -i 0 -q $a 2>/dev/null |
            sed -n 's/^rtt[^=]*= [0-9.]*\/\([0-9.]*\)\/.*/\1/p' ;;
    esac
}

printf '%-54s %10s %10s %7s\n' "figure" "atoll" "linux" "ratio"
row() { # LABEL UNIT HIGHER-IS-BETTER(1|0) WHAT...
    label=$1 unit=$2 up=$3
    shift 3
    x=$(measure 10.0.0.2 "$@")
    y=$(measure 10.0.1.2 "$@")
    r=$(echo "${x:-0} ${y:-0} $up" | awk '{ if ($1 == 0 || $2 == 0) print "-";
        else if ($3 == 1) printf "%.2f", $1 / $2; else printf "%.2f", $2 / $1 }')
    printf '%-54s %10s %10s %7s\n' "$label ($unit)" "${x:--}" "${y:--}" "$r"
}

row "tcp bulk into the server, $bulk_mb MB" "MB/s" 1 bulk
row "tcp 1-byte request/response, 1 conn" "trips/s" 1 rr 1 1
row "tcp 1 KB request/response, 1 conn" "trips/s" 1 rr 1 1024
row "tcp 1-byte request/response, 100 conns" "trips/s" 1 rr 100 1
row "tcp 1 KB request/response, 100 conns" "trips/s" 1 rr 100 1024
row "udp echo, 64-byte datagrams, 32 in flight" "dgrams/s" 1 udp 64 32
row "udp echo, 1 KB datagrams, 32 in flight" "dgrams/s" 1 udp 1024 32
row "ping round trip, 2000 pings" "ms" 0 ping
# For reference: Linux's bulk rate when the veth pairs may carry 64 KB
# GSO packets (the TAP device behind Atoll offers nothing like it).
gso() {
    for l in "$rns veth0" "$cns veth1" "$rns veth2" "$sns veth3"; do
        set -- $l
        ip -n "$1" link set "$2" gso_max_segs "$gso_segs"
    done
}
gso_segs=65535 gso
printf '%-54s %10s %10s %7s\n' "tcp bulk, linux with GSO on the veths (MB/s)" \
    "" "$(measure 10.0.1.2 bulk)" ""
gso_segs=1 gso

[ "$loss_mb" -gt 0 ] || exit 0
if ! command -v nft >/dev/null 2>&1; then
    echo "(no nft: loss figures skipped)"
    exit 0
fi
# Dropped in the router's forward path: neither end's stack is told.
ip netns exec "$rns" nft -f - <<EOF
table inet atoll_loss {
    chain lossy {
        type filter hook forward priority 0;
        numgen random mod 100 < 5 drop
    }
}
EOF
from=$cns
echo
echo "$loss_mb MB echoed through 5% random loss each way, checked:"
for a in 10.0.0.2 10.0.1.2; do
    name=atoll
    [ $a = 10.0.1.2 ] && name=linux
    out=$(client echo $a 7 1 $((loss_mb * 1000000)) 900 2>&1)
    echo "  $name: $out"
done
