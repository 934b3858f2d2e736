#!/bin/sh
# The --mem floor of examples/www on spt for N concurrent HTTPS
# connections (default 100): bisect the smallest --mem (MiB) at which
# wrk -c N over HTTPS for a few seconds gets answers on every connection
# (no socket error, no non-2xx) and the server's counters show no
# rejected connection. On demand, as root: sh bench/http/mem.sh
#   CONNS  connections (default 100); SECONDS_EACH  each try (default 3)
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
conns=${CONNS:-100}
secs=${SECONDS_EACH:-3}
. tests/lib/check.sh
scratch wwwmem stop_guest
. tests/lib/net-cases.sh
GUEST=10.0.0.2 HOST=10.0.0.1 MAC=02:00:00:00:00:02 GUEST_IMAGE=www
for f in "$B/bin/atoll-spt" "$B/examples/www.spt" "$B/bin/atoll"; do
    [ -x "$f" ] || { echo "no $f: make B=$B first" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "needs wrk (sh tests/lib/deps.sh bench)" >&2; exit 1; }
mkdir -p "$tmp/site"
head -c 612 /dev/zero | tr '\0' 'a' >"$tmp/site/index.html"
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/ec.key" 2>/dev/null
openssl req -x509 -new -key "$tmp/ec.key" -subj /CN=bench.test -days 2 \
    -out "$tmp/ec.crt" 2>/dev/null
"$B/bin/atoll" www pack "$tmp/site" -o "$tmp/site.tar" -q \
    --tls "bench=$tmp/ec.crt,$tmp/ec.key" || exit 1
make_ns wwwmem || exit 1

# ok MB: 0 when www at --mem=MB serves $conns HTTPS connections cleanly.
ok() {
    TENDER_OPTS="--block:storage=$tmp/site.tar --mem=$1"
    start_guest spt --ipv4=$GUEST/24 --tls=bench --max-requests=0
    if ! wait_up 10; then
        stop_guest
        return 1
    fi
    in_ns wrk -t 1 -c "$conns" -d "${secs}s" https://$GUEST/ >"$tmp/wrk" 2>&1
    alive=0
    kill -0 "$guest_pid" 2>/dev/null && alive=1
    stop_guest
    reqs=$(awk '/requests in/ { print $1 }' "$tmp/wrk")
    printf '  --mem=%-4s %s requests, %s\n' "$1" "${reqs:-0}" \
        "$(grep -E 'Socket errors|Non-2xx' "$tmp/wrk" | tr -s ' ' | tr '\n' ' ')${alive#1}" >&2
    [ $alive = 1 ] && [ "${reqs:-0}" -gt 0 ] &&
        ! grep -qE 'Socket errors|Non-2xx' "$tmp/wrk"
}
lo=2 hi=${MEM_MAX:-128}
ok $hi || { echo "not even --mem=$hi serves $conns HTTPS connections" >&2; exit 1; }
while [ $((hi - lo)) -gt 1 ]; do
    mid=$(((lo + hi) / 2))
    if ok $mid; then hi=$mid; else lo=$mid; fi
done
echo "www.spt --mem floor for $conns concurrent HTTPS connections: $hi MiB" \
    "($((hi - 1)) MiB fails)"
