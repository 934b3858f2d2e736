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
tmp=$(mktemp -d /tmp/atoll-net.XXXXXX)
ns=""
cns=""
guest_pid=""
dnsmasq_pid=""

cleanup() {
    stop_guest
    [ -n "$dnsmasq_pid" ] && kill "$dnsmasq_pid" 2>/dev/null
    [ -n "$cns" ] && ip netns del "$cns" 2>/dev/null
    [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

. tests/lib/check.sh

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
        ip -n "$ns" link set tap0 gso_max_segs 1 &&
        ip -n "$ns" addr add $HOST/24 dev tap0 &&
        ip -n "$ns" link set tap0 up
}

# start_guest TARGET ARGS...: boot echo in the namespace; output in
# $tmp/guest.out.
start_guest() {
    t=$1
    shift
    # Not through in_ns: $! must be the process itself, to stop it.
    ip netns exec "$ns" timeout 300 "$B/bin/atoll-$t" --net:service=tap0 \
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

# tcp_case NAME CONNS BYTES [SECONDS]: netclient echo, content checked.
tcp_case() {
    if (ulimit -n 8192 && in_ns "$B/tests/net/netclient" echo $GUEST 7 \
        "$2" "$3" "${4:-120}") >"$tmp/tcp.out" 2>&1; then
        pass "$1 ($(sed 's/^ok: //' "$tmp/tcp.out"))"
    else
        fail "$1" "$(tail -n 1 "$tmp/tcp.out"); guest: $(guest_tail)"
    fi
}

nc_tcp_case() { # NAME
    printf 'hello tcp\n' | in_ns nc -N -w 5 $GUEST 7 >"$tmp/nc.out" 2>&1
    if [ "$(cat "$tmp/nc.out")" = "hello tcp" ]; then
        pass "$1"
    else
        fail "$1" "got '$(head -c 80 "$tmp/nc.out")'"
    fi
}

refused_case() { # NAME
    if in_ns "$B/tests/net/netclient" refused $GUEST 9 >"$tmp/r.out" 2>&1
    then
        pass "$1"
    else
        fail "$1" "$(tail -n 1 "$tmp/r.out")"
    fi
}

# A client namespace behind this one, which forwards to it and loses 5%
# of the packets it forwards, each way. The guest reaches the client
# through its default gateway, $HOST.
loss_on() {
    cns=$ns-c
    ip netns add "$cns" &&
        ip -n "$cns" link set lo up &&
        ip -n "$ns" link add veth0 type veth peer name veth1 netns "$cns" &&
        ip -n "$ns" addr add 10.0.2.1/24 dev veth0 &&
        ip -n "$cns" addr add 10.0.2.2/24 dev veth1 &&
        ip -n "$ns" link set veth0 gso_max_segs 1 &&
        ip -n "$cns" link set veth1 gso_max_segs 1 &&
        ip -n "$ns" link set veth0 up &&
        ip -n "$cns" link set veth1 up &&
        ip -n "$cns" route add 10.0.0.0/24 via 10.0.2.1 &&
        in_ns sysctl -q -w net.ipv4.ip_forward=1 &&
        in_ns nft -f - <<EOF
table inet atoll_loss {
    chain lossy {
        type filter hook forward priority 0;
        numgen random mod 100 < 5 drop
    }
}
EOF
}

loss_off() {
    ip netns del "$cns"
    cns=""
}

dhcp_case() { # TARGET
    t=$1 name="address from dnsmasq's DHCP server, then ping ($1)"
    if ! command -v dnsmasq >/dev/null 2>&1; then
        skip "$name" "needs dnsmasq (dnsmasq-base)"
        return
    fi
    ip netns exec "$ns" dnsmasq --keep-in-foreground --no-daemon --port=0 \
        --no-resolv \
        --no-hosts --interface=tap0 --bind-interfaces \
        --dhcp-range=10.0.0.50,10.0.0.60,255.255.255.0,1h \
        --dhcp-option=option:router,$HOST \
        --dhcp-leasefile="$tmp/leases" --pid-file="$tmp/dnsmasq.pid" \
        >"$tmp/dnsmasq.out" 2>&1 &
    dnsmasq_pid=$!
    start_guest "$t" --ipv4=dhcp
    addr=""
    i=0
    while [ $i -lt 150 ] && [ -z "$addr" ]; do
        sleep 0.2
        addr=$(sed -n 's/.*net: address \(10\.0\.0\.[0-9]*\)\/24, gateway 10\.0\.0\.1.*/\1/p' \
            "$tmp/guest.out" | head -n 1)
        i=$((i + 1))
    done
    if [ -z "$addr" ]; then
        fail "$name" "no lease in 30 s; guest: $(guest_tail); dnsmasq: \
$(tail -n 1 "$tmp/dnsmasq.out")"
    elif ! grep -q "$addr" "$tmp/leases" 2>/dev/null; then
        fail "$name" "$addr is not in dnsmasq's leases"
    elif in_ns ping -c 3 -i 0.1 -W 2 -q "$addr" >"$tmp/ping" 2>&1; then
        pass "$name: $addr"
    else
        fail "$name" "$addr: $(grep -m1 'packet loss' "$tmp/ping")"
    fi
    stop_guest
    kill "$dnsmasq_pid" 2>/dev/null
    wait "$dnsmasq_pid" 2>/dev/null
    dnsmasq_pid=""
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
if ! make_ns 2>"$tmp/err"; then
    fail "namespace" "$(head -n 1 "$tmp/err")"
    exit 1
fi

bad_param_case
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

dhcp_case spt

# hvt: ping, UDP and TCP echo, DHCP and MTU 9000 on hvt are the hvt
# group's (tests/hvt/run.sh).

# ---- MTU: the guest gets its TAP's MTU (as Solo5 reports it) ---------------
# guest_mss: the send MSS Linux uses on a new connection to the guest's
# echo port (the guest's advertised MSS, less 12 with timestamps), once
# earlier connections to it are gone.
guest_mss() {
    i=0
    while [ $i -lt 50 ] &&
        [ -n "$(in_ns ss -Htn state established dst $GUEST)" ]; do
        sleep 0.1
        i=$((i + 1))
    done
    (sleep 1 | in_ns nc -w 2 $GUEST 7 >/dev/null 2>&1 &)
    sleep 0.5
    in_ns ss -tin state established dst $GUEST | grep -o ' mss:[0-9]*' |
        head -n 1
}

# mtu_cases TARGET: tap0 at MTU 9000 (it is the host's end too); the guest
# says mtu 9000 in its log, answers an unfragmented 8000-byte ping and
# advertises an MSS of 8960, and a large TCP echo works; on spt, --mtu=1500
# brings the MSS down to 1460; then a TAP with an absurd MTU is refused
# (status 1), and tap0 goes back to 1500.
mtu_cases() {
    t=$1
    ip -n "$ns" link set tap0 mtu 9000
    start_guest "$t" --ipv4=$GUEST/24 --log=info
    if ! wait_up 60; then
        fail "echo boots on a TAP with MTU 9000 ($t)" "$(guest_tail)"
    else
        if grep -q "net: service: mac $MAC, mtu 9000" "$tmp/guest.out"; then
            pass "the guest reports the TAP's MTU 9000 ($t)"
        else
            fail "the guest reports the TAP's MTU 9000 ($t)" \
                "$(grep -m1 'mtu' "$tmp/guest.out")"
        fi
        # -W 10: on emulated KVM a reply takes up to a second or more.
        in_ns ping -M do -c 3 -i 0.2 -s 8000 -W 10 -q $GUEST >"$tmp/ping" 2>&1
        if grep -q " 3 received, 0% packet loss" "$tmp/ping"; then
            pass "unfragmented pings of 8000 bytes at MTU 9000 ($t)"
        else
            fail "unfragmented pings of 8000 bytes at MTU 9000 ($t)" \
                "$(grep -m1 -e 'packet loss' -e 'too long' "$tmp/ping")"
        fi
        # Linux's send MSS on a connection is the guest's advertised one
        # (8960), less 12 bytes when timestamps are on.
        mss=$(guest_mss)
        if [ "$mss" = " mss:8960" ] || [ "$mss" = " mss:8948" ]; then
            pass "the guest advertises MSS 8960 at MTU 9000 ($t)"
        else
            fail "the guest advertises MSS 8960 at MTU 9000 ($t)" \
                "ss says '$mss'"
        fi
        # hvt is emulated here: a smaller echo.
        if [ "$t" = spt ]; then
            tcp_case "4 tcp connections echo 2 MB each at MTU 9000 ($t)" \
                4 2000000
        else
            tcp_case "2 tcp connections echo 100 kB each at MTU 9000 ($t)" \
                2 100000
        fi
    fi
    stop_guest
    if [ "$t" = spt ]; then
        # --mtu lowers what the device offers.
        start_guest "$t" --ipv4=$GUEST/24 --mtu=1500
        if ! wait_up 10; then
            fail "--mtu=1500 on a TAP with MTU 9000 ($t)" "$(guest_tail)"
        else
            mss=$(guest_mss)
            if [ "$mss" = " mss:1460" ] || [ "$mss" = " mss:1448" ]; then
                pass "--mtu=1500 on a TAP with MTU 9000: MSS 1460 ($t)"
            else
                fail "--mtu=1500 on a TAP with MTU 9000: MSS 1460 ($t)" \
                    "ss says '$mss'"
            fi
        fi
        stop_guest
    fi
    ip -n "$ns" link set tap0 mtu 500
    in_ns "$B/bin/atoll-$t" --net:service=tap0 "$B/examples/echo.$t" \
        >"$tmp/out" 2>&1 </dev/null
    rc=$?
    if [ $rc -eq 1 ] && grep -q "has MTU 500, not from 576 to 65535" \
        "$tmp/out"; then
        pass "a TAP with MTU 500 is refused with status 1 ($t)"
    else
        fail "a TAP with MTU 500 is refused with status 1 ($t)" \
            "status $rc: $(head -n 1 "$tmp/out")"
    fi
    ip -n "$ns" link set tap0 mtu 1500
}

mtu_cases spt
if grep -q "net: service: mac $MAC, mtu 1500" "$tmp/guest.out.1500" \
    2>/dev/null; then
    pass "the guest reports MTU 1500 on a default TAP (spt)"
else
    fail "the guest reports MTU 1500 on a default TAP (spt)" \
        "$(grep -m1 'mtu' "$tmp/guest.out.1500" 2>/dev/null)"
fi

[ "$fails" -eq 0 ]
