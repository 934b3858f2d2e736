#!/bin/sh
# End-to-end tests of lib/net: boot examples/echo on atoll-spt (its hvt
# cases are in tests/hvt/run.sh) in a network namespace this script creates, with a
# TAP device in it, and talk to it from inside the namespace with ping,
# nc and tests/net/netclient; addresses come from dnsmasq's DHCP server in
# it. For random loss a second namespace holds the client, one veth hop
# away: the first forwards between them and an nftables rule drops 5% of
# what it forwards, both ways (a drop where a packet is sent or received
# would be reported to the sending or receiving Linux stack). Nothing
# outside the namespaces is touched; they are deleted on exit. One
# PASS:/FAIL:/SKIP: line per case.
#
#   NET_LOSS_MB   megabytes echoed through 5% loss each way (default 50)
#
# Needs root, iproute2, ping (iputils-ping) and nc (netcat-openbsd);
# nftables and dnsmasq for the loss and DHCP cases.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
loss_mb=${NET_LOSS_MB:-50}
guest_pid=""
dnsmasq_pid=""
stop_all() {
    stop_guest
    [ -n "$dnsmasq_pid" ] && kill "$dnsmasq_pid" 2>/dev/null
}
. tests/lib/check.sh
scratch net stop_all
. tests/lib/net-cases.sh

GUEST=10.0.0.2
HOST=10.0.0.1
MAC=02:00:00:00:00:02

refused_case() { # NAME
    if in_ns "$B/tests/net/netclient" refused $GUEST 9 >"$tmp/r.out" 2>&1
    then
        pass "$1"
    else
        fail "$1" "$(tail -n 1 "$tmp/r.out")"
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

# No DHCP server on tap0: with --dhcp-timeout=2 the guest logs the error
# naming --ipv4 and ends with status 1 (its frames meanwhile are DHCP
# discovers: the timeout counts from the start).
dhcp_timeout_case() {
    name="no DHCP server: --dhcp-timeout=2 ends the guest with status 1"
    start=$(date +%s%N)
    in_ns timeout 20 "$B/bin/atoll-spt" --net:service=tap0 \
        "$B/examples/echo.spt" --dhcp-timeout=2 >"$tmp/out" 2>&1 </dev/null
    rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    if [ $rc -eq 1 ] && grep -q "no lease in 2 s, giving up.*--ipv4" \
        "$tmp/out" && [ $ms -ge 2000 ] && [ $ms -lt 8000 ]; then
        pass "$name ($ms ms)"
    else
        fail "$name" "status $rc after $ms ms: $(tail -n 2 "$tmp/out" |
            tr '\n' '|')"
    fi
}

# Receive pacing (bindings/spt/rxpace.h): 1-byte request/response over one
# connection reads the TAP about once a request; before, each request also
# cost a read that found the TAP empty (a quarter of the system calls of a
# round trip). strace counts the reads that returned EAGAIN.
rr_pace_case() {
    name="1-byte request/response: few reads find the TAP empty (spt)"
    if ! command -v strace >/dev/null 2>&1; then
        skip "$name" "needs strace"
        return
    fi
    strace -qq -p "$guest_pid" -e trace=read -o "$tmp/rr.st" 2>/dev/null &
    st=$!
    sleep 0.5 # attached
    in_ns "$B/tests/net/netclient" rr $GUEST 7 1 1 2 >"$tmp/rr.out" 2>&1
    kill -INT $st 2>/dev/null
    wait $st 2>/dev/null
    trips=$(sed -n 's/^ok: \([0-9]*\) round trips.*/\1/p' "$tmp/rr.out")
    empty=$(grep -c EAGAIN "$tmp/rr.st")
    if [ "${trips:-0}" -ge 200 ] && [ $((empty * 4)) -le "$trips" ]; then
        pass "$name ($empty empty reads in $trips round trips)"
    else
        fail "$name" "$empty empty reads in ${trips:-no} round trips:" \
            "$(tail -n 1 "$tmp/rr.out")"
    fi
}

fiberguard_cases() {
    "$B/bin/atoll-spt" "$B/tests/net/fiberguard.spt" ok >"$tmp/out" 2>&1 \
        </dev/null
    rc=$?
    if [ $rc -eq 0 ] && grep -q "back from the depths" "$tmp/out"; then
        pass "a fiber using half its stack runs (spt)"
    else
        fail "a fiber using half its stack runs (spt)" "status $rc"
    fi
    "$B/bin/atoll-spt" "$B/tests/net/fiberguard.spt" >"$tmp/out" 2>&1 \
        </dev/null
    rc=$?
    if [ $rc -eq 255 ] && grep -q "overflowed its stack" "$tmp/out"; then
        pass "a fiber overrunning its stack stops the unikernel (spt)"
    else
        fail "a fiber overrunning its stack stops the unikernel (spt)" \
            "status $rc: $(head -n 1 "$tmp/out")"
    fi
}

# A missing artefact is a FAIL (a build failure under `make test`).
for f in "$B/bin/atoll-spt" "$B/examples/echo.spt" "$B/tests/net/netclient" \
    "$B/tests/net/fiberguard.spt"; do
    if [ ! -x "$f" ]; then
        echo "FAIL: net: missing $f (run make)"
        exit 1
    fi
done
fiberguard_cases
missing=""
[ "$(id -u)" = 0 ] || missing="$missing root"
for c in ip ping nc; do
    command -v $c >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
    for c in "ping" "udp echo" "tcp echo" "tcp with loss" "dhcp"; do
        skip "$c (spt)" "needs$missing"
    done
    exit 0
fi
if ! make_ns atoll-net 2>"$tmp/err"; then
    fail "namespace" "$(head -n 1 "$tmp/err")"
    exit 1
fi

bad_param_case
dhcp_timeout_case
printf 'hello atoll\n' >"$tmp/hello"
head -c 4000 /dev/urandom >"$tmp/frag"

# ---- spt ----------------------------------------------------------------
start_guest spt --ipv4=$GUEST/24 --ipv4-gateway=$HOST --log=debug
if ! wait_up 10; then
    fail "echo boots and answers ping (spt)" "$(guest_tail)"
else
    cp "$tmp/guest.out" "$tmp/guest.out.1500"
    ping_case "100 pings, no loss (spt)" 100 0.01 56
    ping_case "fragmented pings of 3000 bytes (spt)" 5 0.05 3000
    udp_case "udp echo with nc -u (spt)" "$tmp/hello"
    udp_case "udp echo of 4000 bytes, fragmented both ways (spt)" \
        "$tmp/frag"
    nc_tcp_case "tcp echo with nc (spt)"
    tcp_case "50 tcp connections echo 1 MB each, checked (spt)" 50 1000000
    tcp_case "2000 concurrent tcp connections echo 20 kB each (spt)" \
        2000 20000
    refused_case "a closed tcp port answers with a reset (spt)"
    rr_pace_case
    if in_ns "$B/tests/net/netclient" udp-refused $GUEST 9 >"$tmp/r.out" 2>&1
    then
        pass "a closed udp port answers with icmp port unreachable (spt)"
    else
        fail "a closed udp port answers with icmp port unreachable (spt)" \
            "$(tail -n 1 "$tmp/r.out")"
    fi
    if grep -q "echo: udp 12 bytes from $HOST" "$tmp/guest.out" &&
        grep -q "echo: tcp connection from $HOST:" "$tmp/guest.out" &&
        grep -q "echo: tcp $HOST:[0-9]* closed after 1000000 bytes" \
            "$tmp/guest.out"; then
        pass "per-connection debug log (spt)"
    else
        fail "per-connection debug log (spt)" "$(guest_tail)"
    fi
    if ! command -v nft >/dev/null 2>&1; then
        skip "tcp echo through 5% loss each way (spt)" "needs nftables"
    elif ! loss_on 2>"$tmp/nft.err"; then
        fail "tcp echo through 5% loss each way (spt)" \
            "nft: $(head -n 1 "$tmp/nft.err")"
    else
        name="$loss_mb MB echoed through 5% loss each way, checked (spt)"
        if (ulimit -n 8192 && ip netns exec "$cns" \
            "$B/tests/net/netclient" echo $GUEST 7 1 $((loss_mb * 1000000)) \
            $((loss_mb * 3 + 60))) >"$tmp/tcp.out" 2>&1; then
            pass "$name ($(sed 's/^ok: //' "$tmp/tcp.out"))"
        else
            fail "$name" "$(tail -n 1 "$tmp/tcp.out"); guest: $(guest_tail)"
        fi
        loss_off
    fi
fi
stop_guest

start_guest spt --ipv4=$GUEST/24 --api=fiber
if ! wait_up 10; then
    fail "echo on fibers boots (spt)" "$(guest_tail)"
else
    udp_case "udp echo, fibers and blocking calls (spt)" "$tmp/hello"
    tcp_case "50 tcp connections echo 1 MB each, fibers (spt)" 50 1000000
    tcp_case "2000 concurrent tcp connections, a fiber each (spt)" \
        2000 20000
fi
stop_guest

dhcp_case spt 30

# hvt: ping, UDP and TCP echo, DHCP and MTU 9000 on hvt are the hvt
# group's (tests/hvt/run.sh).

mtu_cases spt
if grep -q "net: service: mac $MAC, mtu 1500" "$tmp/guest.out.1500" \
    2>/dev/null; then
    pass "the guest reports MTU 1500 on a default TAP (spt)"
else
    fail "the guest reports MTU 1500 on a default TAP (spt)" \
        "$(grep -m1 'mtu' "$tmp/guest.out.1500" 2>/dev/null)"
fi

[ "$fails" -eq 0 ]
