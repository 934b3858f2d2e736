#!/bin/sh
# virtio-net end to end under QEMU TCG: examples/echo built for virtio
# answers ping, UDP and TCP from a client in a network namespace this
# script creates, with a TAP device QEMU attaches to (-netdev tap). One
# boot per transport: virtio-mmio v1 and v2 (microvm; v1 found from
# virtio_mmio.device= words, v2 from the ACPI DSDT), virtio-pci legacy
# and modern (q35). In each: the binding line names the transport, ping
# (with 0 loss), a UDP datagram and a TCP line echoed, then a bulk TCP
# echo (several hundred frames each way: receive buffers must be put
# back, the ring holds at most 128), and 20 pings at 50 ms whose median
# round trip, under 100 ms, shows the receive interrupt wakes the guest
# (about 0.3 ms here; without it the guest sleeps until its next timer,
# about 500 ms). Nothing outside the namespace is
# touched; it is deleted on exit.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
. tests/lib/check.sh
. tests/virtio/devqemu.sh
tmp=$(mktemp -d /tmp/atoll-vnet.XXXXXX)
ns="" qpid=""
cleanup() {
    stop_guest
    [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

IMG=$B/examples/echo.virtio
CLIENT=$B/tests/net/netclient
GUEST=10.0.0.2
HOST=10.0.0.1
BULK=300000 # bytes echoed per connection, two connections

for f in "$IMG" "$CLIENT"; do
    if [ ! -f "$f" ]; then
        fail "virtio net" "missing $f (run make all test-programs)"
        exit 1
    fi
done
missing=""
[ "$(id -u)" = 0 ] || missing="$missing root"
for c in "$QEMU" ip ping nc; do
    command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
    skip "virtio net" "needs$missing"
    exit 0
fi

in_ns() { ip netns exec "$ns" "$@"; }

stop_guest() {
    if [ -n "$qpid" ]; then
        kill "$qpid" 2>/dev/null
        wait "$qpid" 2>/dev/null
        qpid=""
    fi
}

ns=atoll-vnet-$$
ip netns add "$ns" && ip -n "$ns" link set lo up &&
    ip -n "$ns" tuntap add dev tap0 mode tap &&
    ip -n "$ns" addr add $HOST/24 dev tap0 &&
    ip -n "$ns" link set tap0 up || {
    fail "virtio net" "cannot make the namespace and its TAP device"
    exit 1
}

# boot TRANSPORT: echo on tap0; console in $tmp/out.
boot() {
    s=$(dev_suffix "$1")
    # shellcheck disable=SC2046
    ip netns exec "$ns" timeout 300 "$QEMU" $(qemu_args "$1") \
        -kernel "$IMG" -append "$(mmio_entries "$1" 1) --ipv4=$GUEST/24" \
        -netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
        -device "virtio-net-$s,netdev=n0$(dev_props "$1")" \
        >"$tmp/out" 2>&1 </dev/null &
    qpid=$!
}

up() { # at most 60 s
    i=0
    while [ $i -lt 60 ]; do
        in_ns ping -c 1 -W 1 -q $GUEST >/dev/null 2>&1 && return 0
        kill -0 "$qpid" 2>/dev/null || return 1
        i=$((i + 1))
    done
    return 1
}

why() { tr -d '\r' <"$tmp/out" | grep -a -E 'virtio:|panic|atoll:' |
    head -n 3 | tr '\n' '|' | cut -c 1-200; }

t0=$(date +%s)
for t in mmio1 mmio2 pci-legacy pci-modern; do
    boot $t
    if ! up; then
        fail "echo answers ping ($t)" "not up in 60 s: $(why)"
        stop_guest
        continue
    fi
    if tr -d '\r' <"$tmp/out" |
        grep -a -q "virtio: net service: net 0 ($(transport_re $t)), mac "; then
        pass "echo bound to virtio-net over $t"
    else
        fail "echo bound to virtio-net over $t" "$(why)"
    fi
    if in_ns ping -c 5 -i 0.2 -W 5 -q $GUEST >"$tmp/ping" 2>&1 &&
        grep -q " 5 received, 0% packet loss" "$tmp/ping"; then
        pass "ping ($t)"
    else
        fail "ping ($t)" "$(grep -m1 'packet loss' "$tmp/ping")"
    fi
    printf 'hello udp %s\n' $t >"$tmp/udp.in"
    in_ns nc -u -w 2 $GUEST 7 <"$tmp/udp.in" >"$tmp/udp.out" 2>/dev/null
    if cmp -s "$tmp/udp.in" "$tmp/udp.out"; then
        pass "udp echo ($t)"
    else
        fail "udp echo ($t)" "got '$(head -c 60 "$tmp/udp.out")'"
    fi
    printf 'hello tcp\n' | in_ns nc -N -w 5 $GUEST 7 >"$tmp/nc.out" 2>&1
    if [ "$(cat "$tmp/nc.out")" = "hello tcp" ]; then
        pass "tcp echo ($t)"
    else
        fail "tcp echo ($t)" "got '$(head -c 60 "$tmp/nc.out")'"
    fi
    if in_ns "$CLIENT" echo $GUEST 7 2 $BULK 30 >"$tmp/bulk" 2>&1; then
        pass "tcp bulk echo, 2 x $BULK bytes ($t: $(sed 's/^ok: //' "$tmp/bulk"))"
    else
        fail "tcp bulk echo ($t)" "$(tail -n 1 "$tmp/bulk"); guest: $(why)"
    fi
    # Woken by the receive interrupt: echo's loop has no timer armed, so
    # a guest that missed the interrupt would answer late or never. The
    # median round trip, not the mean, and 15 of 20 replies: on a loaded
    # machine QEMU may not run for a second, which delays a reply or two
    # past any bound (a mean of 20 grows 50 ms per second of one stall).
    in_ns ping -c 20 -i 0.05 -W 3 $GUEST >"$tmp/ping" 2>&1
    set -- $(sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' "$tmp/ping" | sort -n |
        awk '{ v[NR] = $1 } END { print NR, (NR ? v[int((NR + 1) / 2)] : 999) }')
    if [ "$1" -ge 15 ] && awk "BEGIN { exit !($2 < 100) }"; then
        pass "receive interrupt wakes the guest ($t: $1 of 20 replies, median $2 ms)"
    else
        fail "receive interrupt wakes the guest ($t)" \
            "$1 of 20 replies (want 15), median $2 ms (want < 100)"
    fi
    stop_guest
done
echo "virtio net: 4 boots in $(($(date +%s) - t0)) s"
[ $fails -eq 0 ]
