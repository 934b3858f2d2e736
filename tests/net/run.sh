#!/bin/sh
# End-to-end tests of lib/net: boot examples/echo on atoll-spt (and a few
# cases on atoll-hvt) in a network namespace this script creates, with a
# TAP device in it, and talk to it with ping and nc from inside the
# namespace. Nothing outside the namespace is touched; it is deleted on
# exit. One PASS:/FAIL:/SKIP: line per case.
#
# Needs root, iproute2, ping (iputils-ping) and nc (netcat-openbsd).
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
tmp=$(mktemp -d /tmp/atoll-net.XXXXXX)
ns=""
guest_pid=""
fails=0

cleanup() {
    stop_guest
    [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; fails=$((fails + 1)); }
skip() { echo "SKIP: $1: $2"; }

GUEST=10.0.0.2
HOST=10.0.0.1
MAC=02:00:00:00:00:02

in_ns() { ip netns exec "$ns" "$@"; }

# A namespace with tap0 (HOST/24) for the guest to attach to.
make_ns() {
    ns=atoll-net-$$
    ip netns add "$ns" &&
        ip -n "$ns" link set lo up &&
        ip -n "$ns" tuntap add dev tap0 mode tap &&
        ip -n "$ns" addr add $HOST/24 dev tap0 &&
        ip -n "$ns" link set tap0 up
}

# start_guest TARGET ARGS...: boot echo in the namespace; output in
# $tmp/guest.out.
start_guest() {
    t=$1
    shift
    in_ns timeout 600 "$B/bin/atoll-$t" --net:service=tap0 \
        --net-mac:service=$MAC "$B/examples/echo.$t" "$@" \
        >"$tmp/guest.out" 2>&1 </dev/null &
    guest_pid=$!
}

stop_guest() {
    if [ -n "$guest_pid" ]; then
        kill "$guest_pid" 2>/dev/null
        wait "$guest_pid" 2>/dev/null
        guest_pid=""
    fi
}

# Wait until the guest answers a ping (at most $1 seconds).
wait_up() {
    i=0
    while [ $i -lt "$1" ]; do
        in_ns ping -c 1 -W 1 -q $GUEST >/dev/null 2>&1 && return 0
        kill -0 "$guest_pid" 2>/dev/null || return 1
        i=$((i + 1))
    done
    return 1
}

guest_tail() { tail -n 3 "$tmp/guest.out" | tr '\n' '|' | cut -c 1-200; }

ping_case() { # NAME COUNT INTERVAL SIZE
    in_ns ping -c "$2" -i "$3" -s "$4" -W 2 -q $GUEST >"$tmp/ping" 2>&1
    if grep -q " $2 received, 0% packet loss" "$tmp/ping"; then
        pass "$1 (average $(grep -o 'rtt.*' "$tmp/ping" |
            awk -F/ '{ print $5 }') ms)"
    else
        fail "$1" "$(grep -m1 'packet loss' "$tmp/ping")"
    fi
}

udp_case() { # NAME FILE
    in_ns nc -u -w 2 $GUEST 7 <"$2" >"$tmp/udp.out" 2>"$tmp/udp.err"
    if cmp -s "$2" "$tmp/udp.out"; then
        pass "$1"
    else
        fail "$1" "got $(wc -c <"$tmp/udp.out") bytes of $(wc -c <"$2")" \
            "$(head -c 100 "$tmp/udp.err")"
    fi
}

bad_param_case() {
    in_ns "$B/bin/atoll-spt" --net:service=tap0 "$B/examples/echo.spt" \
        --ipv4=10.0.0.300/24 >"$tmp/out" 2>&1 </dev/null
    rc=$?
    if [ $rc -eq 2 ] && grep -q "ipv4" "$tmp/out"; then
        pass "bad --ipv4 stops the boot"
    else
        fail "bad --ipv4 stops the boot" "status $rc: $(head -n 1 "$tmp/out")"
    fi
}

for f in "$B/bin/atoll-spt" "$B/examples/echo.spt"; do
    if [ ! -x "$f" ]; then
        echo "FAIL: net: missing $f (run make)"
        exit 1
    fi
done
missing=""
[ "$(id -u)" = 0 ] || missing="$missing root"
for c in ip ping nc; do
    command -v $c >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
    for c in "ping" "udp echo" "tcp echo"; do
        skip "$c (spt)" "needs$missing"
    done
    exit 0
fi
if ! make_ns 2>"$tmp/err"; then
    fail "namespace" "$(head -n 1 "$tmp/err")"
    exit 1
fi

bad_param_case
printf 'hello atoll\n' >"$tmp/hello"
head -c 4000 /dev/urandom >"$tmp/frag"

# ---- spt ----------------------------------------------------------------
start_guest spt --ipv4=$GUEST/24 --log=debug
if ! wait_up 10; then
    fail "echo boots and answers ping (spt)" "$(guest_tail)"
else
    ping_case "100 pings, no loss (spt)" 100 0.01 56
    ping_case "fragmented pings of 3000 bytes (spt)" 5 0.05 3000
    udp_case "udp echo with nc -u (spt)" "$tmp/hello"
    udp_case "udp echo of 4000 bytes, fragmented both ways (spt)" \
        "$tmp/frag"
    if grep -q "echo: udp 12 bytes from $HOST" "$tmp/guest.out"; then
        pass "per-datagram debug log (spt)"
    else
        fail "per-datagram debug log (spt)" "$(guest_tail)"
    fi
fi
stop_guest

# ---- hvt: few and small (KVM is emulated here) -------------------------
if [ ! -x "$B/examples/echo.hvt" ] || ! sh tests/lib/kvm-usable.sh; then
    skip "ping and udp echo (hvt)" "no usable /dev/kvm or no echo.hvt"
else
    start_guest hvt --ipv4=$GUEST/24
    if ! wait_up 60; then
        fail "echo boots and answers ping (hvt)" "$(guest_tail)"
    else
        ping_case "10 pings, no loss (hvt)" 10 0.05 56
        udp_case "udp echo with nc -u (hvt)" "$tmp/hello"
    fi
    stop_guest
fi

[ "$fails" -eq 0 ]
