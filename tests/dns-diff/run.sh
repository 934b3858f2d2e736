#!/bin/sh
# Differential test of lib/dns against NSD (Debian's nsd): the zones of
# zones.sh (signed.test signed by ldns-signzone), NSD and lib/dns's
# answering behind host sockets (hostdns) on two loopback addresses of a
# network namespace of this script's own, and compare.py asking both the
# same queries and comparing the answers (README.md: what is compared,
# and the differences the RFCs allow). Then the same against
# examples/dns on atoll-spt (tap0 in the namespace, the zones in a tar
# on its block device storage), when it is built.
#
# Needs root, iproute2, ping, nsd, ldnsutils, python3, GNU tar.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
. tests/lib/check.sh
scratch dnsdiff stop_servers
. tests/lib/net-cases.sh

GUEST=10.0.0.2
HOST=10.0.0.1
MAC=02:00:00:00:00:02
GUEST_IMAGE=dns

nsd_pid="" host_pid=""
stop_servers() {
    stop_guest
    for p in $host_pid $nsd_pid; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    host_pid="" nsd_pid=""
}

NSD=$(command -v nsd || echo /usr/sbin/nsd)
for p in "$NSD" ldns-signzone ldns-keygen python3; do
    if ! command -v "$p" >/dev/null 2>&1; then
        skip "dns-diff" "$p missing (tests/lib/deps.sh test)"
        exit 0
    fi
done
HOSTDNS=${HOSTDNS:-$B/tests/dns-diff/hostdns} # another build: mutation tests
[ -x "$HOSTDNS" ] || { fail "dns-diff: $HOSTDNS" "not built"; exit 1; }
if [ "$(id -u)" != 0 ] || ! make_ns dnsdiff 2>"$tmp/ns.err"; then
    skip "dns-diff" "no network namespace (root?): $(head -c 120 "$tmp/ns.err")"
    exit 0
fi

z=$tmp/zones
if ! sh tests/dns-diff/zones.sh "$z" >"$tmp/zones.out" 2>&1; then
    fail "dns-diff: zones" "$(tail -n 2 "$tmp/zones.out" | tr '\n' ' ')"
    exit 1
fi
ZONES="example. other.test. child.example. wild.test. signed.test. signed3.test."

# ---- NSD on 127.0.0.1 ----------------------------------------------------
mkdir -p "$tmp/nsd"
{
    cat <<EOC
server:
    ip-address: 127.0.0.1
    port: 53
    server-count: 1
    username: ""
    chroot: ""
    zonesdir: "$z"
    database: ""
    zonelistfile: "$tmp/nsd/zone.list"
    xfrdfile: "$tmp/nsd/xfrd.state"
    xfrdir: "$tmp/nsd"
    pidfile: "$tmp/nsd/nsd.pid"
    logfile: "$tmp/nsd/nsd.log"
    verbosity: 1
    hide-version: yes
    minimal-responses: yes
    round-robin: no
    refuse-any: no
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
EOC
    for o in $ZONES; do
        printf 'zone:\n    name: "%s"\n    zonefile: "%s/%szone"\n' \
            "$o" "$z" "$o"
    done
} >"$tmp/nsd/nsd.conf"
# ip netns exec execs the server: $! is the server itself (in_ns, a
# function, would leave it behind a subshell, out of kill's reach).
ip netns exec "$ns" "$NSD" -d -c "$tmp/nsd/nsd.conf" >"$tmp/nsd/out" 2>&1 &
nsd_pid=$!

# ---- lib/dns on 127.0.0.2 --------------------------------------------------
args=""
for o in $ZONES; do args="$args $o=$z/${o}zone"; done
# shellcheck disable=SC2086
ip netns exec "$ns" "$HOSTDNS" 127.0.0.2 53 $args >"$tmp/hostdns.out" 2>&1 &
host_pid=$!

# Both up: each answers an SOA query over UDP.
up() { # ADDR
    in_ns python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2)
q = bytes.fromhex("abcd00000001000000000000076578616d706c650000060001")
s.sendto(q, (sys.argv[1], 53)); sys.exit(0 if s.recv(512)[:2] == q[:2] else 1)
' "$1" 2>/dev/null
}
i=0
while ! { up 127.0.0.1 && up 127.0.0.2; } && [ $i -lt 50 ]; do
    sleep 0.2
    i=$((i + 1))
done
if ! up 127.0.0.1; then
    fail "dns-diff: nsd starts" "$(tail -n 3 "$tmp/nsd/out" "$tmp/nsd/nsd.log" 2>/dev/null | tr '\n' ' ')"
    exit 1
fi
if ! up 127.0.0.2; then
    fail "dns-diff: hostdns starts" "$(tail -n 3 "$tmp/hostdns.out" | tr '\n' ' ')"
    exit 1
fi
pass "dns-diff: nsd and hostdns serve the $(echo $ZONES | wc -w) zones"

in_ns python3 tests/dns-diff/compare.py 127.0.0.1 127.0.0.2 hostdns
[ $? = 0 ] || fails=$((fails + 1))
kill "$host_pid" 2>/dev/null
wait "$host_pid" 2>/dev/null
host_pid=""

# ---- examples/dns on atoll-spt at 10.0.0.2 ---------------------------------
if [ -x "$B/examples/dns.spt" ] && [ -x "$B/bin/atoll-spt" ]; then
    # shellcheck disable=SC2086
    tar cf "$tmp/zones.tar" -C "$z" $(for o in $ZONES; do echo "${o}zone"; done)
    TENDER_OPTS="--block:storage=$tmp/zones.tar --mem=64"
    start_guest spt --ipv4=$GUEST/24
    if wait_up 20; then
        in_ns python3 tests/dns-diff/compare.py 127.0.0.1 $GUEST dns.spt
        [ $? = 0 ] || fails=$((fails + 1))
    else
        fail "dns-diff: dns.spt boots" "$(guest_tail)"
    fi
else
    skip "dns-diff dns.spt" "$B/examples/dns.spt not built"
fi

stop_servers
if grep -q 'ERROR: \(Address\|Undefined\)Sanitizer\|runtime error' "$tmp/hostdns.out"; then
    fail "dns-diff: hostdns under ASan/UBSan" "$(grep -m1 -A3 'ERROR\|runtime error' "$tmp/hostdns.out" | tr '\n' ' ')"
fi
[ "$fails" = 0 ]
