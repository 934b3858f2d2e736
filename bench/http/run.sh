#!/bin/sh
# bench/http: examples/www on atoll-spt against nginx (worker_processes 1,
# sendfile on, keep-alive), same files, measured with wrk in the same run.
# Not part of `make test`; run `make bench-http` (root; Debian's wrk and
# nginx-light).
#
# Two network namespaces made here: "router" holds tap0 (10.0.0.1/24)
# with examples/www behind it (10.0.0.2) and a veth pair to "server"
# (10.0.1.2) where nginx runs; wrk runs in "router", so each server is one
# virtual link away. Both links carry GSO packets: atoll-spt gives www
# the TAP's offloads (virtio-net headers, "offload both ways"), the veth
# pair has the kernel's defaults; OFFLOAD=0 takes them from both
# (ATOLL_SPT_NET_OFFLOAD=0, gso_max_segs 1 on the veth pair).
#
# For a 612-byte page and a 1 MB file, with 1 and 100 connections, over
# HTTP and HTTPS: req/s, latency percentiles (50/90/99) and the ratio
# www/nginx (above 1: www is faster). HTTPS: TLS 1.2 with
# ECDHE-ECDSA-AES128-GCM-SHA256 (x25519) on both, the same self-signed
# P-256 certificate (in the archive by atoll www pack --tls): lib/tls's
# first choice (it enforces its own order), printed first for both
# servers; wrk keeps its
# connections, so a run holds one handshake per connection. wrk's
# timeout is 30 s, so slow 1 MB answers over 100 connections count in
# the latency instead of as errors.
#   SECONDS_EACH  length of each wrk run (default 5)
#   SCHEMES       "http https" (default) or one of them
#   OFFLOAD       1 (default) or 0: segmentation offloads on both links or on neither
#   IMAGE         the www image [$B/examples/www.spt] (to compare two builds)
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
IMAGE=${IMAGE:-$B/examples/www.spt}
secs=${SECONDS_EACH:-5}
sns=atoll-bh-s$$
rns=atoll-bh-r$$
tmp=$(mktemp -d /tmp/atoll-bench-http.XXXXXX)
guest=""
nginx=""

cleanup() {
    [ -n "$guest" ] && kill "$guest" 2>/dev/null && wait "$guest" 2>/dev/null
    [ -n "$nginx" ] && kill "$nginx" 2>/dev/null
    ip netns del "$sns" 2>/dev/null
    ip netns del "$rns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

die() {
    echo "bench/http: $*" >&2
    exit 1
}

[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
for f in "$B/bin/atoll-spt" "$IMAGE" "$B/bin/atoll"; do
    [ -x "$f" ] || die "missing $f (make bench-http builds it)"
done
command -v wrk >/dev/null || die "needs wrk (apt-get install wrk)"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || die "needs nginx (apt-get install nginx-light)"

# The files: a 612-byte page (the size in the Unikraft paper's nginx
# comparison) and 1 MB of random bytes.
mkdir -p "$tmp/site"
head -c 612 /dev/zero | tr '\0' 'a' >"$tmp/site/index.html"
head -c 1048576 /dev/urandom >"$tmp/site/1m.bin"
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/ec.key" \
    2>/dev/null &&
    openssl req -x509 -new -key "$tmp/ec.key" -subj /CN=bench.test -days 2 \
        -out "$tmp/ec.crt" 2>/dev/null || die "openssl: no test certificate"
"$B/bin/atoll" www pack "$tmp/site" -o "$tmp/site.tar" -q --gzip-min 100000000 \
    --tls "bench=$tmp/ec.crt,$tmp/ec.key" || die "atoll www pack failed"

ip netns add "$sns" && ip netns add "$rns" || die "cannot make namespaces"
ip -n "$sns" link set lo up
ip -n "$rns" link set lo up
ip -n "$rns" tuntap add dev tap0 mode tap
ip -n "$rns" addr add 10.0.0.1/24 dev tap0
ip -n "$rns" link set tap0 gso_max_segs 1
ip -n "$rns" link set tap0 up
ip -n "$rns" link add veth0 type veth peer name veth1 netns "$sns"
ip -n "$rns" addr add 10.0.1.1/24 dev veth0
ip -n "$sns" addr add 10.0.1.2/24 dev veth1
if [ "${OFFLOAD:-1}" = 0 ]; then
    ip -n "$rns" link set veth0 gso_max_segs 1
    ip -n "$sns" link set veth1 gso_max_segs 1
    export ATOLL_SPT_NET_OFFLOAD=0
fi
ip -n "$rns" link set veth0 up
ip -n "$sns" link set veth1 up

cat >"$tmp/nginx.conf" <<NGX
user root;
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx.err;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    types { text/html html; application/octet-stream bin; }
    server {
        listen 10.0.1.2:80;
        listen 10.0.1.2:443 ssl;
        ssl_certificate $tmp/ec.crt;
        ssl_certificate_key $tmp/ec.key;
        ssl_protocols TLSv1.2;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256;
        ssl_ecdh_curve X25519;
        ssl_session_cache shared:bench:1m;
        root $tmp/site;
    }
}
NGX
ip netns exec "$sns" "$NGINX" -c "$tmp/nginx.conf" >"$tmp/nginx.out" 2>&1 &
nginx=$!
ip netns exec "$rns" "$B/bin/atoll-spt" --net:service=tap0 \
    --block:storage="$tmp/site.tar" --mem=256 "$IMAGE" \
    --ipv4=10.0.0.2/24 --log=warn --tls=bench >"$tmp/guest.out" 2>&1 \
    </dev/null &
guest=$!
i=0
until ip netns exec "$rns" curl -s -o /dev/null http://10.0.0.2/ &&
    ip netns exec "$rns" curl -s -o /dev/null http://10.0.1.2/ &&
    ip netns exec "$rns" curl -k -s -o /dev/null https://10.0.0.2/ &&
    ip netns exec "$rns" curl -k -s -o /dev/null https://10.0.1.2/; do
    i=$((i + 1))
    [ $i -lt 40 ] || die "servers not up: $(tail -n 3 "$tmp/guest.out" \
        "$tmp/nginx.err" 2>/dev/null)"
    sleep 0.25
done

echo "segmentation offloads: $([ "${OFFLOAD:-1}" = 0 ] && echo none ||
    echo 'www: the TAP, both ways; nginx: veth defaults')"
# The suite each server settles on with wrk's (OpenSSL's) offer.
for a in 10.0.0.2 10.0.1.2; do
    printf 'https %s: %s\n' $a "$(ip netns exec "$rns" openssl s_client \
        -connect $a:443 </dev/null 2>/dev/null | sed -n \
        's/^New, \(TLSv[0-9.]*\), Cipher is \(.*\)/\1 \2/p;
         s/^Server Temp Key: \([A-Za-z0-9]*\).*/\1/p' | tr '\n' ' ')"
done

# run ADDR PATH CONNS [SCHEME]: "req/s p50 p90 p99" (latencies in ms).
run() {
    ip netns exec "$rns" wrk -t 1 -c "$3" -d "${secs}s" --timeout 30s --latency \
        "${4:-http}://$1$2" >"$tmp/wrk" 2>&1
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$tmp/wrk")
    lat() {
        awk -v p="$1" '$1 == p {
            v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
            if (u == "us") v /= 1000; else if (u == "s") v *= 1000;
            printf "%.2f", v }' "$tmp/wrk"
    }
    errs=$(awk '/Non-2xx|Socket errors/' "$tmp/wrk" | tr -s ' ' | tr '\n' ' ')
    echo "${rps:-0} $(lat 50%) $(lat 90%) $(lat 99%) $errs"
}

printf '%-22s %-6s %10s %8s %8s %8s\n' test server req/s p50ms p90ms p99ms
for scheme in ${SCHEMES:-http https}; do
for f in /index.html /1m.bin; do
    for c in 1 100; do
        a=$(run 10.0.0.2 $f $c $scheme)
        n=$(run 10.0.1.2 $f $c $scheme)
        set -- $a
        printf '%-22s %-6s %10s %8s %8s %8s %s\n' "$scheme $f c=$c" www "$1" "$2" "$3" "$4" "$(echo "$a" | cut -d' ' -f5-)"
        ar=$1
        set -- $n
        printf '%-22s %-6s %10s %8s %8s %8s %s\n' "" nginx "$1" "$2" "$3" "$4" "$(echo "$n" | cut -d' ' -f5-)"
        awk -v a="$ar" -v b="$1" 'BEGIN { if (b > 0) printf "%-22s %-6s %10.2f\n", "", "ratio", a / b }'
    done
done
done
