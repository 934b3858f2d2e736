#!/bin/sh
# bench/net: lib/net on atoll-spt against Linux kernel sockets, measured in
# the same run. Not part of `make test`; run `make bench-net` (root).
#
# Three network namespaces made here. "router" holds tap0 (10.0.0.1/24)
# with examples/echo behind it on atoll-spt (10.0.0.2), and veth pairs to
# "server" (10.0.1.2), where bench/net/linux_echo runs (an equivalent
# one-threaded epoll echo), and to "client" (10.0.2.2). The figures are
# measured from "router": each server is one virtual link away. The loss
# figures are measured from "client", through the router, which drops 5%
# of what it forwards.
#
# The ping and UDP rows have a fourth line, the floor: bench/net/tap_reflect
# behind tap1 (10.0.3.2) in "router" answers ping and UDP echo by sending
# each frame back with the addresses swapped, through the same calls per
# frame as atoll-spt (epoll_wait, read, write) and no network stack: the
# cost of any program behind a TAP device, wake-up included.
#
# Each figure has three rows: Atoll; Linux with the veth pairs as Linux
# makes them (GSO and GRO as by default: the reference, every ratio is
# against it); Linux with the veth pairs kept from carrying GSO packets
# (gso_max_segs 1), so that it gets MTU-sized packets as the TAP device
# (no offloads) gives Atoll. Ratio above 1: better than Linux's default
# (for round-trip times as for rates).
#
# Each row also counts, over that measurement, the system calls of the
# server process (perf stat on the tracepoint raw_syscalls:sys_enter,
# attached to atoll-spt's or linux_echo's pid) and the packets through
# the server's interface both ways (tap0's or veth3's counters, ip -s
# link): "sys/1k" is system calls per 1,000 packets (in + out), "in" and
# "out" are packets into and out of the server (a GSO or GRO packet
# counts once). The line under the Atoll row breaks its calls down per
# 1,000 packets. Then a 50 MB echo through 5% random loss each way (an
# nftables rule in the router's forward path), checked byte for byte.
#
#   SECONDS_EACH  length of each rate measurement (default 5)
#   BULK_MB       megabytes sent for the bulk figures (default 200)
#   LOSS_MB       megabytes echoed through loss (default 50; 0: skip)
#   COUNT         1 (default): count system calls with perf; 0: do not
#   ONLY          a grep pattern: only the figures whose label matches
#   IMAGE         the echo image to run (default $B/examples/echo.spt), to
#                 compare builds
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
refl=""

cleanup() {
    [ -n "$guest" ] && kill "$guest" 2>/dev/null && wait "$guest" 2>/dev/null
    [ -n "$linux" ] && kill "$linux" 2>/dev/null && wait "$linux" 2>/dev/null
    [ -n "$refl" ] && kill "$refl" 2>/dev/null && wait "$refl" 2>/dev/null
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
image=${IMAGE:-$B/examples/echo.spt}
for f in "$B/bin/atoll-spt" "$image" "$B/tests/net/netclient" \
    "$B/bench/net/linux_echo" "$B/bench/net/tap_reflect"; do
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
ip -n "$rns" tuntap add dev tap1 mode tap
ip -n "$rns" addr add 10.0.3.1/24 dev tap1
ip -n "$rns" link set tap1 up
# link ROUTER-IF OTHER-NS OTHER-IF SUBNET: a veth pair, .1 on the router.
link() {
    ip -n "$rns" link add "$1" type veth peer name "$3" netns "$2"
    ip -n "$rns" addr add "$4.1/24" dev "$1"
    ip -n "$2" addr add "$4.2/24" dev "$3"
    ip -n "$rns" link set "$1" up
    ip -n "$2" link set "$3" up
    ip -n "$2" route add default via "$4.1"
}
link veth0 "$cns" veth1 10.0.2
link veth2 "$sns" veth3 10.0.1
ip netns exec "$rns" sysctl -q -w net.ipv4.ip_forward=1

ip netns exec "$rns" timeout 3600 "$B/bin/atoll-spt" --net:service=tap0 \
    "$image" --ipv4=10.0.0.2/24 --ipv4-gateway=10.0.0.1 \
    --discard=9 --source=19 >"$tmp/guest.out" 2>&1 </dev/null &
guest=$!
ip netns exec "$sns" timeout 3600 "$B/bench/net/linux_echo" \
    >"$tmp/linux.out" 2>&1 </dev/null &
linux=$!
ip netns exec "$rns" timeout 3600 "$B/bench/net/tap_reflect" tap1 10.0.3.2 \
    >"$tmp/reflect.out" 2>&1 </dev/null &
refl=$!
for a in 10.0.0.2 10.0.1.2 10.0.3.2; do
    i=0
    until ip netns exec "$cns" ping -c 1 -W 1 -q $a >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -lt 10 ] || die "$a does not answer ping"
    done
done
# The servers themselves, under timeout: their pids for perf.
gpid=$(pgrep -P "$guest")
lpid=$(pgrep -P "$linux")
rpid=$(pgrep -P "$refl")
[ -n "$gpid" ] && [ -n "$lpid" ] && [ -n "$rpid" ] ||
    die "cannot find the servers' pids"
count=${COUNT:-1}
if [ "$count" = 1 ] && ! perf stat -e raw_syscalls:sys_enter true \
    >/dev/null 2>&1; then
    echo "(perf cannot count raw_syscalls:sys_enter: no system call counts)"
    count=0
fi
calls="read write epoll_pwait timerfd_settime clock_gettime epoll_wait"
calls="$calls recvfrom sendto"

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
    bulkout)
        client recv $a 19 $((bulk_mb * 1000000)) 300 |
            sed -n 's/.*: \([0-9.]*\) MB\/s$/\1/p' ;;
    rr)
        client rr $a 7 "$2" "$3" "$secs" |
            sed -n 's/^ok: \([0-9]*\) round trips.*/\1/p' ;;
    udp)
        client udp $a 7 "$2" "$3" "$secs" |
            sed -n 's/^ok: \([0-9]*\) datagrams.*/\1/p' ;;
    ping)
        # The median: on a busy machine the mean is made by the few pings
        # whose answer waited for a CPU (one 5 ms wait adds 2.5 us to the
        # mean of 2000), and only Atoll's answers need one (Linux answers
        # in the kernel).
        ip netns exec "$from" ping -c 2000 -i 0 $a 2>/dev/null |
            sed -n 's/.*time=\([0-9.]*\) ms$/\1/p' | sort -n |
            awk '{ t[NR] = $1 }
                 END { if (NR > 0) print t[int((NR + 1) / 2)] }' ;;
    esac
}

# packets NS IF: "RX TX" packet counters of interface IF.
packets() {
    ip -n "$1" -s link show dev "$2" |
        awk '/RX:/ { getline; rx = $2 } /TX:/ { getline; tx = $2 }
             END { print rx + 0, tx + 0 }'
}

# counted PID NS IF IN-IS-TX ADDR WHAT...: measure, and leave in
# $tmp/count "figure syscalls in out", then one "name count" line per call
# of $calls. IN-IS-TX 1: packets into the server are the interface's TX
# (tap0 is the host's side of Atoll's link).
counted() {
    pid=$1 ns=$2 dev=$3 intx=$4
    shift 4
    before=$(packets "$ns" "$dev")
    perf=""
    if [ "$count" = 1 ]; then
        ev=raw_syscalls:sys_enter
        for c in $calls; do
            ev="$ev,syscalls:sys_enter_$c"
        done
        perf stat -x, -e "$ev" -p "$pid" -o "$tmp/perf" &
        perf=$!
        sleep 0.3 # perf attaches before the figure starts
    fi
    v=$(measure "$@")
    if [ -n "$perf" ]; then
        kill -INT "$perf"
        wait "$perf"
    fi
    after=$(packets "$ns" "$dev")
    echo "$before $after $intx" | awk -v v="${v:-0}" '{
        rx = $3 - $1; tx = $4 - $2
        if ($5 == 1) { i = tx; o = rx } else { i = rx; o = tx }
        print v, i, o }' >"$tmp/count"
    if [ -n "$perf" ]; then
        awk -F, '$3 ~ /sys_enter/ { n = $3; sub(/.*sys_enter_?/, "", n);
            print (n == "" ? "all" : n), $1 + 0 }' "$tmp/perf" >>"$tmp/count"
    fi
}

# line LABEL REF DETAIL: one row from $tmp/count: the figure, the ratio to REF,
# system calls per 1,000 packets, packets in and out; with DETAIL 1 a line
# with the calls of $calls per 1,000 packets.
line() {
    awk -v label="$1" -v ref="$2" -v up="$up" -v detail="$3" '
        NR == 1 { v = $1; pk = $2 + $3; i = $2; o = $3; next }
        { n[$1] = $2; order[++k] = $1 }
        END {
            r = "-"
            if (v > 0 && ref > 0)
                r = sprintf("%.2f", up == 1 ? v / ref : ref / v)
            s = "-"
            if (("all" in n) && pk > 0)
                s = sprintf("%.0f", n["all"] * 1000 / pk)
            printf "  %-40s %10s %7s %8s %9s %9s\n", label, (v > 0 ? v : "-"),
                r, s, i, o
            if (detail != 1 || pk == 0)
                exit
            d = ""
            for (j = 1; j <= k; j++)
                if (order[j] != "all" && n[order[j]] > 0)
                    d = d sprintf(" %s %.0f", order[j],
                                  n[order[j]] * 1000 / pk)
            if (d != "")
                printf "  %-40s%s\n", "", "  per 1k:" d
        }' "$tmp/count"
}

# gso N: let the veth pairs carry GSO packets of up to N segments.
gso() {
    for l in "$rns veth0" "$cns veth1" "$rns veth2" "$sns veth3"; do
        set -- $l
        ip -n "$1" link set "$2" gso_max_segs "$gso_segs"
    done
}

printf '%-42s %10s %7s %8s %9s %9s\n' "figure" "value" "ratio" "sys/1k" \
    "in" "out"
row() { # LABEL UNIT HIGHER-IS-BETTER(1|0) WHAT...
    label=$1 unit=$2 up=$3
    shift 3
    echo "$label" | grep -q -e "${ONLY:-.}" || return 0
    echo "$label ($unit)"
    counted "$lpid" "$sns" veth3 0 10.0.1.2 "$@"
    ref=$(sed -n '1s/ .*//p' "$tmp/count")
    cp "$tmp/count" "$tmp/count.linux"
    counted "$gpid" "$rns" tap0 1 10.0.0.2 "$@"
    line "atoll spt" "$ref" 1
    cp "$tmp/count.linux" "$tmp/count"
    line "linux, defaults (GSO/GRO)" "$ref" 0
    gso_segs=1 gso
    counted "$lpid" "$sns" veth3 0 10.0.1.2 "$@"
    gso_segs=65535 gso
    line "linux, no GSO on the veths" "$ref" 0
    [ "$floor" = 1 ] || return 0
    counted "$rpid" "$rns" tap1 1 10.0.3.2 "$@"
    line "tap reflector, no stack (floor)" "$ref" 0
}
floor=0

row "tcp bulk into the server, $bulk_mb MB" "MB/s" 1 bulk
row "tcp bulk out of the server, $bulk_mb MB" "MB/s" 1 bulkout
row "tcp 1-byte request/response, 1 conn" "trips/s" 1 rr 1 1
row "tcp 1 KB request/response, 1 conn" "trips/s" 1 rr 1 1024
row "tcp 1-byte request/response, 100 conns" "trips/s" 1 rr 100 1
row "tcp 1 KB request/response, 100 conns" "trips/s" 1 rr 100 1024
floor=1
row "udp echo, 64-byte datagrams, 32 in flight" "dgrams/s" 1 udp 64 32
row "udp echo, 1 KB datagrams, 32 in flight" "dgrams/s" 1 udp 1024 32
row "ping round trip, median of 2000 pings" "ms" 0 ping

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
