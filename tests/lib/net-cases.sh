# Network cases against a guest on a TAP device in a namespace of the
# test's own, for any target: tests/net runs them on spt, tests/hvt on hvt
# (on /dev/kvm, or inside its busybox VM). Sourced after check.sh; POSIX
# sh that busybox sh runs.
#
# Needs B, tmp, GUEST (the guest's address), HOST (tap0's) and MAC (the
# guest's), and $ns once make_ns made it. The programs used are by path
# where busybox would otherwise run an applet lacking an option
# (tests/hvt sets these to the host's):
#   IP, PING (iputils), NC (netcat-openbsd), SS, TIMEOUT, DNSMASQ (empty:
#   none, the DHCP case is skipped)

: "${IP:=ip}" "${PING:=ping}" "${NC:=nc}" "${SS:=ss}" "${TIMEOUT:=timeout}"
: "${DATE:=date}"
: "${DNSMASQ=$(command -v dnsmasq 2>/dev/null)}"
guest_pid=""
dnsmasq_pid=""

in_ns() { "$IP" netns exec "$ns" "$@"; }

# make_ns PREFIX: a namespace PREFIX-PID with tap0 (HOST/24) for the guest
# to attach to, in $ns. Its errors on stderr.
make_ns() {
    ns=$1-$$
    if ! { "$IP" netns add "$ns" && "$IP" -n "$ns" link set lo up &&
        "$IP" -n "$ns" tuntap add dev tap0 mode tap &&
        "$IP" -n "$ns" link set tap0 gso_max_segs 1 &&
        "$IP" -n "$ns" addr add $HOST/24 dev tap0 &&
        "$IP" -n "$ns" link set tap0 up; }; then
        "$IP" netns del "$ns" 2>/dev/null
        ns=""
        return 1
    fi
}

# start_guest TARGET [ARGS...]: boot examples/${GUEST_IMAGE:-echo} with the
# tender options $TENDER_OPTS on tap0 in the namespace, with ARGS; output
# in $tmp/guest.out. $guest_pid is the tender itself (ip netns exec execs
# it), to stop it with any signal.
start_guest() {
    t=$1
    shift
    # shellcheck disable=SC2086
    "$IP" netns exec "$ns" "$B/bin/atoll-$t" --net:service=tap0 \
        --net-mac:service=$MAC ${TENDER_OPTS:-} \
        "$B/examples/${GUEST_IMAGE:-echo}.$t" "$@" \
        >"$tmp/guest.out" 2>&1 </dev/null &
    guest_pid=$!
}

# loss_on: a client namespace $cns behind $ns, which forwards to it and
# loses 5% of the packets it forwards, each way (an nftables numgen rule;
# a drop where a packet is sent or received would be reported to the
# sending or receiving Linux stack). The guest reaches the client through
# its default gateway, $HOST; the client is 10.0.2.2. loss_off removes it.
loss_on() {
    cns=$ns-c
    "$IP" netns add "$cns" &&
        "$IP" -n "$cns" link set lo up &&
        "$IP" -n "$ns" link add veth0 type veth peer name veth1 netns "$cns" &&
        "$IP" -n "$ns" addr add 10.0.2.1/24 dev veth0 &&
        "$IP" -n "$cns" addr add 10.0.2.2/24 dev veth1 &&
        "$IP" -n "$ns" link set veth0 gso_max_segs 1 &&
        "$IP" -n "$cns" link set veth1 gso_max_segs 1 &&
        "$IP" -n "$ns" link set veth0 up &&
        "$IP" -n "$cns" link set veth1 up &&
        "$IP" -n "$cns" route add 10.0.0.0/24 via 10.0.2.1 &&
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
    "$IP" netns del "$cns"
    cns=""
}

stop_guest() {
    [ -n "$guest_pid" ] || return 0
    kill "$guest_pid" 2>/dev/null
    wait "$guest_pid" 2>/dev/null
    guest_pid=""
}

# Wait until the guest answers a ping (at most $1 tries of a second).
wait_up() {
    i=0
    while [ $i -lt "$1" ]; do
        in_ns "$PING" -c 1 -W 1 -q $GUEST >/dev/null 2>&1 && return 0
        kill -0 "$guest_pid" 2>/dev/null || return 1
        i=$((i + 1))
    done
    return 1
}

guest_tail() { tail -n 3 "$tmp/guest.out" | tr '\n' '|' | cut -c 1-200; }

# For a guest started with --stats=1 (tests/offload, tests/hvt):
# The last counter line the guest logged (--stats=1 logs every second).
guest_stats() {
    grep "net: stats:" "$tmp/guest.out" | tail -n 2 | tr '\n' ' '
}

# settle_stats [PATTERN [TENTHS]]: wait until the guest logged one more
# counter line (PATTERN, default "net: stats:") than now, for at most
# TENTHS tenths of a second (default 30).
settle_stats() {
    sp=${1:-net: stats:}
    before=$(grep -c "$sp" "$tmp/guest.out")
    i=0
    while [ $i -lt "${2:-30}" ] &&
        [ "$(grep -c "$sp" "$tmp/guest.out")" -le "$before" ]; do
        sleep 0.1
        i=$((i + 1))
    done
}

# sha_case NAME BYTES [NETNS]: BYTES of random data through the echo port
# with nc, from $ns (or NETNS); what comes back has the same sha256.
sha_case() {
    n=$1 bytes=$2 where=${3:-$ns}
    head -c "$bytes" /dev/urandom >"$tmp/data"
    want=$(sha256sum <"$tmp/data" | cut -d' ' -f1)
    t0=$("$DATE" +%s%N)
    "$IP" netns exec "$where" "$TIMEOUT" 120 "$NC" -N $GUEST 7 <"$tmp/data" |
        sha256sum >"$tmp/sha"
    ms=$((($("$DATE" +%s%N) - t0) / 1000000))
    got=$(cut -d' ' -f1 "$tmp/sha")
    rm -f "$tmp/data"
    if [ "$got" = "$want" ]; then
        pass "$n ($ms ms)"
    else
        fail "$n" "sha256 differs after $ms ms; guest: $(guest_tail)"
    fi
}

# stats_case NAME PRESENT... -- ABSENT...: the guest's counters name each
# PRESENT one (as not zero) and none of the ABSENT ones.
stats_case() {
    n=$1
    shift
    s=$(guest_stats)
    want=yes
    for c in "$@"; do
        if [ "$c" = "--" ]; then
            want=no
            continue
        fi
        case "$s" in
        *" $c="*) [ $want = yes ] && continue ;;
        *) [ $want = no ] && continue ;;
        esac
        fail "$n" "$c ($([ $want = yes ] && echo missing || echo present)):" \
            "$s"
        return
    done
    pass "$n"
}

ping_case() { # NAME COUNT INTERVAL SIZE [PING OPTIONS]
    n=$1 c=$2 i=$3 sz=$4
    shift 4
    # -W 5: a reply late by a second or two (a loaded host) still counts.
    in_ns "$PING" "$@" -c "$c" -i "$i" -s "$sz" -W 5 -q $GUEST \
        >"$tmp/ping" 2>&1
    if grep -q " $c received, 0% packet loss" "$tmp/ping"; then
        pass "$n (average $(grep -o 'rtt.*' "$tmp/ping" |
            awk -F/ '{ print $5 }') ms)"
    else
        fail "$n" "$(grep -m1 -e 'packet loss' -e 'too long' "$tmp/ping")"
    fi
}

udp_case() { # NAME FILE: echoed by nc -u, byte for byte
    in_ns "$NC" -u -w 2 $GUEST 7 <"$2" >"$tmp/udp.out" 2>"$tmp/udp.err"
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
    printf 'hello tcp\n' | in_ns "$NC" -N -w 5 $GUEST 7 >"$tmp/nc.out" 2>&1
    if [ "$(cat "$tmp/nc.out")" = "hello tcp" ]; then
        pass "$1"
    else
        fail "$1" "got '$(head -c 80 "$tmp/nc.out")'"
    fi
}

# dhcp_case TARGET SECONDS: echo gets its address from dnsmasq's DHCP
# server within SECONDS, dnsmasq lists the lease, and it answers ping.
# The guest starts once dnsmasq says its DHCP socket is bound; dnsmasq
# writes the lease file after its answer is sent, so that is waited for
# (5 s). A guest that got no lease (or exited) is booted once more, said
# in the PASS line: once in a loaded tests/hvt VM a guest printed nothing
# in 60 s; a client that cannot get a lease fails both boots.
dhcp_case() {
    t=$1 name="address from dnsmasq's DHCP server, then ping ($1)"
    if [ -z "$DNSMASQ" ]; then
        skip "$name" "needs dnsmasq (dnsmasq-base)"
        return
    fi
    "$IP" netns exec "$ns" "$DNSMASQ" --keep-in-foreground --no-daemon \
        --port=0 --no-resolv --no-hosts --interface=tap0 --bind-interfaces \
        --dhcp-range=10.0.0.50,10.0.0.60,255.255.255.0,1h \
        --dhcp-option=option:router,$HOST \
        --dhcp-leasefile="$tmp/leases" --pid-file="$tmp/dnsmasq.pid" \
        >"$tmp/dnsmasq.out" 2>&1 &
    dnsmasq_pid=$!
    i=0
    while [ $i -lt 100 ] && ! grep -q "sockets bound" "$tmp/dnsmasq.out"; do
        sleep 0.1
        i=$((i + 1))
    done
    retry=""
    for try in 1 2; do
        dhcp_lease "$t" "$2"
        [ -n "$addr" ] && break
        stop_guest
        retry=" (a second boot: the first $why)"
    done
    if [ -z "$addr" ]; then
        fail "$name" "$why; dnsmasq: $(tail -n 1 "$tmp/dnsmasq.out")"
    elif ! wait_file_has "$tmp/leases" "$addr" 50; then
        fail "$name" "$addr is not in dnsmasq's leases"
    elif in_ns "$PING" -c 3 -i 0.1 -W 5 -q "$addr" >"$tmp/ping" 2>&1; then
        pass "$name: $addr$retry"
    else
        fail "$name" "$addr: $(grep -m1 'packet loss' "$tmp/ping")"
    fi
    stop_guest
    kill "$dnsmasq_pid" 2>/dev/null
    wait "$dnsmasq_pid" 2>/dev/null
    dnsmasq_pid=""
}

# dhcp_lease TARGET SECONDS: boot echo with --ipv4=dhcp and wait for its
# address, in $addr; else empty and $why says what the guest did.
dhcp_lease() {
    start_guest "$1" --ipv4=dhcp --log=info
    addr="" why=""
    i=0
    while [ $i -lt $(($2 * 5)) ] && [ -z "$addr" ]; do
        sleep 0.2
        addr=$(sed -n 's/.*net: address \(10\.0\.0\.[0-9]*\)\/24, gateway 10\.0\.0\.1.*/\1/p' \
            "$tmp/guest.out" | head -n 1)
        if [ -z "$addr" ] && ! kill -0 "$guest_pid" 2>/dev/null; then
            wait "$guest_pid"
            why="exited with status $?: $(guest_tail)"
            guest_pid=""
            return
        fi
        i=$((i + 1))
    done
    [ -n "$addr" ] || why="no lease in $2 s: $(guest_tail)"
}

# wait_file_has FILE TEXT TENTHS: TEXT in FILE within TENTHS * 0.1 s.
wait_file_has() {
    i=0
    while ! grep -q "$2" "$1" 2>/dev/null; do
        [ $i -lt "$3" ] || return 1
        sleep 0.1
        i=$((i + 1))
    done
}

# guest_mss: the send MSS Linux uses on a new connection to the guest's
# echo port (the guest's advertised MSS, less 12 with timestamps), once
# earlier connections to it are gone.
guest_mss() {
    i=0
    while [ $i -lt 50 ] &&
        [ -n "$(in_ns "$SS" -Htn state established dst $GUEST)" ]; do
        sleep 0.1
        i=$((i + 1))
    done
    # The connection is looked for until it shows (at most 3 s; a fixed
    # 0.5 s could be before the handshake on a loaded machine).
    (sleep 3 | in_ns "$NC" -w 2 $GUEST 7 >/dev/null 2>&1 &)
    i=0 mss=""
    while [ $i -lt 30 ] && [ -z "$mss" ]; do
        sleep 0.1
        mss=$(in_ns "$SS" -tin state established dst $GUEST |
            grep -o ' mss:[0-9]*' | head -n 1)
        i=$((i + 1))
    done
    echo "$mss"
}

# mtu_cases TARGET: tap0 at MTU 9000 (it is the host's end too); the guest
# says mtu 9000 in its log, answers an unfragmented 8000-byte ping and
# advertises an MSS of 8960, and a large TCP echo works; on spt, --mtu=1500
# brings the MSS down to 1460; then a TAP with an absurd MTU is refused
# (status 1), and tap0 goes back to 1500.
mtu_cases() {
    t=$1
    "$IP" -n "$ns" link set tap0 mtu 9000
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
        in_ns "$PING" -M do -c 3 -i 0.2 -s 8000 -W 10 -q $GUEST \
            >"$tmp/ping" 2>&1
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
    "$IP" -n "$ns" link set tap0 mtu 500
    in_ns "$TIMEOUT" 60 "$B/bin/atoll-$t" --net:service=tap0 \
        "$B/examples/echo.$t" >"$tmp/out" 2>&1 </dev/null
    rc=$?
    if [ $rc -eq 1 ] && grep -q "has MTU 500, not from 576 to 65535" \
        "$tmp/out"; then
        pass "a TAP with MTU 500 is refused with status 1 ($t)"
    else
        fail "a TAP with MTU 500 is refused with status 1 ($t)" \
            "status $rc: $(head -n 1 "$tmp/out")"
    fi
    "$IP" -n "$ns" link set tap0 mtu 1500
}
