#!/bin/sh
# Full TLS 1.2 handshakes per second (no resumption: openssl s_time -new,
# one client connection at a time) against tests/tls/tlsecho on atoll-spt
# and against `openssl s_server` in the same network namespace, with an
# ECDSA P-256 and an RSA-2048 certificate (ECDHE x25519 both). The client
# runs in the namespace on the same 2 cores, so the figures include its
# share of each handshake. On demand: sh bench/tls/handshakes.sh
#   SECONDS_EACH  length of each run (default 5)
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
secs=${SECONDS_EACH:-5}
. tests/lib/check.sh
s_pid=""
stop_all() {
    stop_guest
    [ -n "$s_pid" ] && kill "$s_pid" 2>/dev/null
}
scratch tlsbench stop_all
. tests/lib/net-cases.sh
GUEST=10.0.0.2 HOST=10.0.0.1 MAC=02:00:00:00:00:02
IMG=$B/tests/tls/tlsecho.spt
[ -x "$IMG" ] || { echo "no $IMG: make B=$B first" >&2; exit 1; }
c=$tmp
openssl ecparam -name prime256v1 -genkey -noout -out "$c/ec.key" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out "$c/rsa.key" 2>/dev/null
for k in ec rsa; do
    openssl req -x509 -new -key "$c/$k.key" -subj /CN=bench.test -days 2 \
        -out "$c/$k.crt" 2>/dev/null
done
(cd "$c" && tar cf "$tmp/certs.tar" ec.crt ec.key rsa.crt rsa.key)
make_ns tlsbench || exit 1

rate() { # ADDR:PORT CIPHER: connections made in $secs seconds
    in_ns openssl s_time -connect "$1" -new -time "$secs" -cipher "$2" \
        2>/dev/null | sed -n 's/.*connections in \([0-9]*\) real seconds.*/\1/p;
        s/^\([0-9]*\) connections in [0-9.]*s; \([0-9.]*\) connections\/user sec.*/\1/p' |
        head -n 1
}
printf '%-8s %-32s %10s %10s\n' cert cipher atoll-spt s_server
for k in ec rsa; do
    cipher=ECDHE-ECDSA-AES128-GCM-SHA256
    [ $k = rsa ] && cipher=ECDHE-RSA-AES128-GCM-SHA256
    "$IP" netns exec "$ns" "$B/bin/atoll-spt" --net:service=tap0 \
        --net-mac:service=$MAC --block:storage="$tmp/certs.tar" "$IMG" \
        --ipv4=$GUEST/24 --certs=$k --cache=0 >"$tmp/guest.out" 2>&1 \
        </dev/null &
    guest_pid=$!
    wait_up 10 || { echo "tlsecho did not boot" >&2; exit 1; }
    a=$(rate $GUEST:443 $cipher)
    stop_guest
    # s_server stops at the end of its standard input: a sleep feeds it.
    sleep $((secs + 10)) | "$IP" netns exec "$ns" openssl s_server -quiet \
        -accept 4433 -cert "$c/$k.crt" -key "$c/$k.key" -tls1_2 -no_cache \
        >/dev/null 2>&1 &
    s_pid=$!
    sleep 0.5
    o=$(rate $HOST:4433 $cipher)
    kill $s_pid; s_pid=""
    printf '%-8s %-32s %10s %10s\n' $k $cipher \
        "$(echo "$a" | awk -v s="$secs" '{ printf "%.0f/s", $1 / s }')" \
        "$(echo "$o" | awk -v s="$secs" '{ printf "%.0f/s", $1 / s }')"
done
