#!/bin/sh
# bench/dns: examples/dns on atoll-spt against NSD (one server process,
# its response rate limiting off), the same zones and query file, measured
# with dnsperf in the same run. Not part of `make test`; run `make
# bench-dns` (root; Debian's dnsperf and nsd).
#
# Two network namespaces made here, as bench/http's: "router" holds tap0
# (10.0.0.1/24) with examples/dns behind it (10.0.0.2) and a veth pair to
# "server" (10.0.1.2) where NSD runs; dnsperf runs in "router", so each
# server is one virtual link away.
#
# Printed: queries/s, average/min/max latency, lost queries and the
# median and 99th percentile latency for each
# server with 10 and 100 outstanding queries (-q; with -q 1 dnsperf itself
# paces at about 40 queries/s against either server), and the ratio dns/NSD
# (above 1: Atoll is faster); then the stripped size of dns.spt, the
# time from starting the tender to the first answer, and the smallest
# --mem (MiB) with which a 10,000-record zone loads and is answered.
#   SECONDS_EACH  length of each dnsperf run (default 5)
#   ROUNDS        dns-then-NSD runs at each load (default 3)
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
secs=${SECONDS_EACH:-5}
rounds=${ROUNDS:-3}
sns=atoll-bd-s$$
rns=atoll-bd-r$$
tmp=$(mktemp -d /tmp/atoll-bench-dns.XXXXXX)
guest=""
nsd=""

cleanup() {
    [ -n "$guest" ] && kill "$guest" 2>/dev/null && wait "$guest" 2>/dev/null
    [ -n "$nsd" ] && kill "$nsd" 2>/dev/null && wait "$nsd" 2>/dev/null
    for p in $(ip netns pids "$sns" 2>/dev/null) \
        $(ip netns pids "$rns" 2>/dev/null); do
        kill "$p"
    done
    ip netns del "$sns" 2>/dev/null
    ip netns del "$rns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

die() {
    echo "bench/dns: $*" >&2
    exit 1
}

[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
for f in "$B/bin/atoll-spt" "$B/examples/dns.spt"; do
    [ -x "$f" ] || die "missing $f (make bench-dns builds it)"
done
command -v dnsperf >/dev/null || die "needs dnsperf (apt-get install dnsperf)"
NSD=$(command -v nsd || echo /usr/sbin/nsd)
[ -x "$NSD" ] || die "needs nsd (apt-get install nsd)"

# ---- zones and queries -------------------------------------------------------
# example.com: apex, 10,000 hosts, a CNAME, a wildcard, a delegation with
# glue. The query file mixes answers, NXDOMAIN, a referral, a CNAME, a
# wildcard and MX, with and without EDNS being dnsperf's choice (-e off).
mkdir -p "$tmp/zones"
{
    cat <<'EOF'
$ORIGIN example.com.
$TTL 3600
@ SOA ns1 hostmaster 1 7200 3600 1209600 300
@ NS ns1
@ NS ns2
@ A 192.0.2.1
@ MX 10 mail
ns1 A 192.0.2.53
ns2 A 192.0.2.54
mail A 192.0.2.25
www CNAME host1
*.wild A 192.0.2.99
sub NS ns.sub
ns.sub A 192.0.2.200
EOF
    awk 'BEGIN { for (i = 1; i <= 10000; i++)
        printf "host%d A 10.%d.%d.%d\n", i, int(i / 65536), int(i / 256) % 256, i % 256 }'
} >"$tmp/zones/example.com.zone"
tar cf "$tmp/zones.tar" -C "$tmp/zones" .
awk 'BEGIN { srand(1)
    for (i = 0; i < 2000; i++) {
        r = int(rand() * 10)
        if (r < 5) printf "host%d.example.com A\n", int(rand() * 10000) + 1
        else if (r == 5) print "example.com MX"
        else if (r == 6) printf "nx%d.example.com A\n", i
        else if (r == 7) print "www.example.com A"
        else if (r == 8) printf "x%d.wild.example.com A\n", i
        else print "a.sub.example.com A"
    } }' >"$tmp/queries"

# ---- namespaces ------------------------------------------------------------
ip netns add "$sns" && ip netns add "$rns" || die "cannot make namespaces"
ip -n "$sns" link set lo up
ip -n "$rns" link set lo up
ip -n "$rns" tuntap add dev tap0 mode tap
ip -n "$rns" addr add 10.0.0.1/24 dev tap0
ip -n "$rns" link set tap0 up
ip -n "$rns" link add veth0 type veth peer name veth1 netns "$sns"
ip -n "$rns" addr add 10.0.1.1/24 dev veth0
ip -n "$sns" addr add 10.0.1.2/24 dev veth1
ip -n "$rns" link set veth0 up
ip -n "$sns" link set veth1 up

cat >"$tmp/nsd.conf" <<EOF
server:
    ip-address: 10.0.1.2
    server-count: 1
    username: ""
    chroot: ""
    zonesdir: "$tmp/zones"
    database: ""
    zonelistfile: "$tmp/zone.list"
    xfrdfile: "$tmp/xfrd.state"
    pidfile: "$tmp/nsd.pid"
    logfile: "$tmp/nsd.log"
    rrl-ratelimit: 0
    minimal-responses: yes
remote-control:
    control-enable: no
zone:
    name: example.com
    zonefile: "example.com.zone"
EOF
ip netns exec "$sns" "$NSD" -d -c "$tmp/nsd.conf" >"$tmp/nsd.out" 2>&1 &
nsd=$!

# start_guest MEM: dns.spt on tap0 with --mem=MEM; its pid in $guest.
start_guest() {
    ip netns exec "$rns" "$B/bin/atoll-spt" --net:service=tap0 \
        --block:storage="$tmp/zones.tar" --mem="$1" "$B/examples/dns.spt" \
        --ipv4=10.0.0.2/24 --log=warn >"$tmp/guest.out" 2>&1 </dev/null &
    guest=$!
}
stop_guest() {
    kill "$guest" 2>/dev/null
    wait "$guest" 2>/dev/null
    guest=""
}
# answers ADDR: one query answered (dig, 0.2 s timeout).
answers() {
    ip netns exec "$rns" dig @"$1" +norec +time=1 +tries=1 host9999.example.com A \
        2>/dev/null | grep -q '10\.0\.39\.15'
}

start_guest 64
i=0
until answers 10.0.0.2 && answers 10.0.1.2; do
    i=$((i + 1))
    [ $i -lt 40 ] || die "servers not up: $(tail -n 3 "$tmp/guest.out" \
        "$tmp/nsd.log" "$tmp/nsd.out" 2>/dev/null)"
    sleep 0.25
done

# run ADDR OUTSTANDING PIDS: "qps avg_ms min_ms max_ms lost p50_ms p99_ms
# cpu_us" (the percentiles from dnsperf -v's line per answered query,
# "> RCODE NAME TYPE SECONDS"; cpu_us: the server processes' CPU time a
# query, from perf stat's task-clock over the run, "-" without perf)
run() {
    cpu=-
    if command -v perf >/dev/null; then
        perf stat -x, -e task-clock -p "$3" -o "$tmp/stat" -- \
            sleep "$secs" 2>/dev/null &
        pp=$!
    fi
    ip netns exec "$rns" dnsperf -s "$1" -d "$tmp/queries" -l "$secs" \
        -q "$2" -c 1 -v >"$tmp/perf" 2>&1
    if [ -n "${pp:-}" ]; then
        wait "$pp"
        cpu=$(awk -F, -v s="$secs" -v q="$(awk '/Queries per second:/ \
            { print $4 }' "$tmp/perf")" '/task-clock/ && q > 0 \
            { printf "%.1f", $1 * 1000 / (q * s) }' "$tmp/stat")
        [ -n "$cpu" ] || cpu=-
    fi
    grep '^> ' "$tmp/perf" | awk '$NF ~ /^[0-9.]+$/ { print $NF * 1000 }' |
        sort -n >"$tmp/lat"
    awk -v n="$(wc -l <"$tmp/lat")" 'NR == int(n * 0.5) + 1 { p50 = $1 }
        NR == int(n * 0.99) + 1 { p99 = $1 }
        END { printf "%.3f %.3f\n", p50, p99 }' "$tmp/lat" >"$tmp/pct"
    awk -v pct="$(cat "$tmp/pct")" '/Queries per second:/ { q = $4 }
        /Queries lost:/ { l = $3 }
        /Average Latency \(s\):/ { a = $4 * 1000; mn = $6; mx = $8
            gsub(/[(,]/, "", mn); gsub(/[),]/, "", mx)
            mn *= 1000; mx *= 1000 }
        END { printf "%.0f %.3f %.3f %.3f %s %s\n", q, a, mn, mx, l, pct }' \
        "$tmp/perf" | sed "s/\$/ $cpu/"
}

# Each round runs dns then NSD for SECONDS_EACH; on a loaded machine the
# rounds' ratios show the spread.
nsdpids=$(pgrep -d, -f "nsd -d -c $tmp/nsd.conf")
fmt='%-14s %-6s %10s %8s %8s %8s %6s %8s %8s %7s\n'
printf "$fmt" outstanding server qps avg_ms min_ms max_ms lost p50_ms p99_ms \
    cpu_us
for q in 10 100; do
    ratios=""
    r=0
    while [ $r -lt "$rounds" ]; do
        r=$((r + 1))
        a=$(run 10.0.0.2 $q "$guest")
        n=$(run 10.0.1.2 $q "$nsdpids")
        set -- $a
        printf "$fmt" "$q" dns "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8"
        aq=$1
        set -- $n
        printf "$fmt" "$q" nsd "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8"
        ratios="$ratios $(awk -v a="$aq" -v n="$1" \
            'BEGIN { if (n > 0) printf "%.2f", a / n; else print "-" }')"
    done
    echo "ratio dns/nsd at $q outstanding, each round:$ratios"
done
stop_guest

# ---- size, time to first answer, memory -----------------------------------------
strip -o "$tmp/dns.stripped" "$B/examples/dns.spt"
echo "dns.spt stripped: $(stat -c %s "$tmp/dns.stripped") bytes"

t0=$(date +%s%N)
start_guest 64
until answers 10.0.0.2; do
    kill -0 "$guest" 2>/dev/null || die "dns.spt stopped: $(tail -n 2 "$tmp/guest.out")"
done
t1=$(date +%s%N)
echo "start to first answer (10,012-record zone, polling with dig): $(((t1 - t0) / 1000000)) ms"
stop_guest

# The smallest --mem (MiB) that loads and answers, by bisection.
lo=1 hi=64
while [ $((hi - lo)) -gt 1 ]; do
    m=$(((lo + hi) / 2))
    start_guest "$m"
    ok=0
    for k in 1 2 3 4 5 6 7 8 9 10; do
        answers 10.0.0.2 && { ok=1; break; }
        kill -0 "$guest" 2>/dev/null || break
    done
    stop_guest
    if [ $ok = 1 ]; then hi=$m; else lo=$m; fi
done
echo "smallest --mem for the 10,012-record zone: $hi MiB"
