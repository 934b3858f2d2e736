#!/bin/sh
# Differential test of lib/dns against NSD (Debian's nsd): the zones of
# zones.sh (signed.test signed by ldns-signzone), NSD and lib/dns's
# answering behind host sockets (hostdns) on two loopback addresses of a
# network namespace of this script's own, and compare.py asking both the
# same queries and comparing the answers (README.md: what is compared,
# and the differences the RFCs allow).
#
# Needs root, iproute2, nsd, ldnsutils, python3.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
. tests/lib/check.sh
scratch dnsdiff stop_servers

nsd_pid="" host_pid=""
stop_servers() {
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
ns=dnsdiff-$$
if [ "$(id -u)" != 0 ] || ! { ip netns add "$ns" &&
    ip -n "$ns" link set lo up; } 2>"$tmp/ns.err"; then
    ip netns del "$ns" 2>/dev/null
    ns=""
    skip "dns-diff" "no network namespace (root?): $(head -c 120 "$tmp/ns.err")"
    exit 0
fi
in_ns() { ip netns exec "$ns" "$@"; }

z=$tmp/zones
if ! sh tests/dns-diff/zones.sh "$z" >"$tmp/zones.out" 2>&1; then
    fail "dns-diff: zones" "$(tail -n 2 "$tmp/zones.out" | tr '\n' ' ')"
    exit 1
fi
ZONES="example. other.test. child.example. wild.test. signed.test."

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
in_ns "$NSD" -d -c "$tmp/nsd/nsd.conf" >"$tmp/nsd/out" 2>&1 &
nsd_pid=$!

# ---- lib/dns on 127.0.0.2 --------------------------------------------------
args=""
for o in $ZONES; do args="$args $o=$z/${o}zone"; done
# shellcheck disable=SC2086
in_ns "$HOSTDNS" 127.0.0.2 53 $args >"$tmp/hostdns.out" 2>&1 &
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

stop_servers
if grep -q 'ERROR: \(Address\|Undefined\)Sanitizer\|runtime error' "$tmp/hostdns.out"; then
    fail "dns-diff: hostdns under ASan/UBSan" "$(grep -m1 -A3 'ERROR\|runtime error' "$tmp/hostdns.out" | tr '\n' ' ')"
fi
[ "$fails" = 0 ]
