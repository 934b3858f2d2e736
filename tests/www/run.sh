#!/bin/sh
# End-to-end tests of lib/http: examples/www on atoll-spt in a network
# namespace of this script's own (TAP device tap0), serving the archive
# `atoll www pack` makes of a generated tree (binary files, a 50 MB file,
# .gz siblings made by the pack), with curl and nc from inside the
# namespace; then a tree with long names archived by plain GNU tar, and
# --redirect-https. Files are compared byte for byte with the originals.
# tests/www/pack.sh checks atoll www pack itself on the host first. One
# PASS:/FAIL:/SKIP: line per case.
#
# Needs root, iproute2, ping, curl and nc (netcat-openbsd), GNU tar, gzip.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
. tests/lib/check.sh
scratch www stop_guest
. tests/lib/net-cases.sh

GUEST=10.0.0.2
HOST=10.0.0.1
MAC=02:00:00:00:00:02
URL=http://$GUEST
GUEST_IMAGE=www

for p in curl nc tar gzip; do
    if ! command -v $p >/dev/null 2>&1; then
        skip "www" "$p missing (tests/lib/deps.sh test)"
        exit 0
    fi
done
[ -x "$B/bin/atoll" ] || { fail "www: $B/bin/atoll" "not built"; exit 1; }
. tests/www/pack.sh
if [ "$(id -u)" != 0 ] || ! make_ns www 2>"$tmp/ns.err"; then
    skip "www" "no network namespace (root?): $(head -c 120 "$tmp/ns.err")"
    exit 0
fi
for f in "$B/examples/www.spt" "$B/bin/atoll-spt"; do
    [ -x "$f" ] || { fail "www: $f" "not built"; exit 1; }
done

# ---- the site ----------------------------------------------------------
site=$tmp/site
mkdir -p "$site/docs" "$site/bin"
printf '<!doctype html>\n<title>atoll</title>\n' >"$site/index.html"
printf 'docs index\n' >"$site/docs/index.html"
seq 1 2000 >"$site/docs/numbers.txt"
touch -d '2021-03-04 05:06:07 UTC' "$site/docs/numbers.txt"
printf 'deep\n' >"$site/docs/file with spaces.txt"
head -c 300000 /dev/urandom >"$site/bin/random.bin"
head -c 52428800 /dev/urandom >"$site/bin/big.bin"
printf 'x' >"$site/bin/one"
: >"$site/bin/empty"
if ! "$B/bin/atoll" www pack "$site" -o "$tmp/site.tar" -q >"$tmp/out" 2>&1 ||
    ! tar tf "$tmp/site.tar" | grep -qx docs/numbers.txt.gz; then
    fail "www: atoll www pack of the site" "$(out_tail)"
    exit 1
fi

TENDER_OPTS="--block:storage=$tmp/site.tar --mem=128"
start_guest spt --ipv4=$GUEST/24 --log=info --request-timeout=3 \
    --max-body=64 --stats=1
if ! wait_up 20; then
    fail "www: boot" "$(guest_tail)"
    exit 1
fi
pass "www: boots and answers ping"

c() { in_ns curl -s --max-time 20 "$@"; }

# ---- status, keep-alive, HEAD -------------------------------------------
code() { # NAME WANT CURL-ARGS...
    n=$1 want=$2
    shift 2
    got=$(c -o /dev/null -w '%{http_code}' "$@")
    if [ "$got" = "$want" ]; then pass "$n"; else fail "$n" "got $got, want $want"; fi
}

c -D "$tmp/h" -o "$tmp/b" $URL/
if grep -q '^HTTP/1.1 200 OK' "$tmp/h" && cmp -s "$tmp/b" "$site/index.html" &&
    grep -qi '^Content-Type: text/html' "$tmp/h" &&
    grep -qi '^Date: ' "$tmp/h" && grep -qi '^Server: atoll' "$tmp/h"; then
    pass "www: GET / is index.html with Date, Server, Content-Type"
else
    fail "www: GET /" "$(head -c 200 "$tmp/h" | tr '\r\n' '  ')"
fi

c -v -o /dev/null -o /dev/null $URL/ $URL/docs/ 2>"$tmp/v"
if grep -q 'Re-using existing connection' "$tmp/v" ||
    grep -q 'Reusing existing' "$tmp/v"; then
    pass "www: keep-alive (curl reuses the connection)"
else
    fail "www: keep-alive" "$(grep -i -m2 'connect' "$tmp/v" | tr '\n' ' ')"
fi

c -I -o "$tmp/h" $URL/bin/random.bin
if grep -qi '^Content-Length: 300000' "$tmp/h"; then
    pass "www: HEAD has the Content-Length and no body"
else
    fail "www: HEAD" "$(tr '\r\n' '  ' <"$tmp/h" | head -c 200)"
fi

code "www: 404" 404 $URL/nope
code "www: 405 for POST" 405 -d x $URL/
c -D "$tmp/h" -o /dev/null -X DELETE $URL/
if grep -qi '^Allow: GET, HEAD' "$tmp/h"; then pass "www: 405 has Allow"; else fail "www: 405 Allow" "none"; fi
code "www: 301 for a directory" 301 $URL/docs
code "www: 414 for a long URI" 414 "$URL/$(printf 'a%.0s' $(seq 1 9000))"
code "www: 431 for a huge header" 431 -H "X-Big: $(printf 'b%.0s' $(seq 1 9000))" $URL/
code "www: 413 for a chunked body over --max-body" 413 -H 'Transfer-Encoding: chunked' \
    --data-binary @"$site/bin/random.bin" $URL/ -X GET
code "www: 400 for %2f" 400 --path-as-is "$URL/docs%2findex.html"
code "www: 400 for .." 400 --path-as-is "$URL/../etc/passwd"
code "www: 400 for %00" 400 --path-as-is "$URL/index.html%00"
code "www: 400 for %2e%2e" 400 --path-as-is "$URL/%2e%2e/%2e%2e/etc/passwd"

# ---- validators, ranges, gzip ---------------------------------------------
c -D "$tmp/h" -o /dev/null $URL/docs/numbers.txt
etag=$(sed -n 's/^[Ee][Tt]ag: \(.*\)\r$/\1/p' "$tmp/h")
lm=$(sed -n 's/^[Ll]ast-[Mm]odified: \(.*\)\r$/\1/p' "$tmp/h")
if [ "$lm" = "Thu, 04 Mar 2021 05:06:07 GMT" ]; then
    pass "www: Last-Modified is the file's mtime, kept by atoll www pack"
else
    fail "www: Last-Modified" "got '$lm'"
fi
code "www: If-None-Match -> 304" 304 -H "If-None-Match: $etag" $URL/docs/numbers.txt
code "www: If-Modified-Since -> 304" 304 -H "If-Modified-Since: $lm" $URL/docs/numbers.txt
code "www: other ETag -> 200" 200 -H 'If-None-Match: "0-0"' $URL/docs/numbers.txt
c -o "$tmp/b" -r 1000-1999 $URL/bin/random.bin
if tail -c +1001 "$site/bin/random.bin" | head -c 1000 | cmp -s - "$tmp/b"; then
    pass "www: Range 1000-1999 is those bytes (206)"
else
    fail "www: Range" "$(wc -c <"$tmp/b") bytes"
fi
code "www: Range status 206" 206 -r 0-0 $URL/bin/one
code "www: unsatisfiable Range -> 416" 416 -r 5-9 $URL/bin/one
c --compressed -D "$tmp/h" -o "$tmp/b" $URL/docs/numbers.txt
if grep -qi '^Content-Encoding: gzip' "$tmp/h" && grep -qi '^Vary: Accept-Encoding' "$tmp/h" &&
    cmp -s "$tmp/b" "$site/docs/numbers.txt"; then
    pass "www: .gz sibling made by atoll www pack, sent for Accept-Encoding: gzip (Vary), decodes to the file"
else
    fail "www: gzip" "$(tr '\r\n' '  ' <"$tmp/h" | head -c 200)"
fi
c -D "$tmp/h" -o "$tmp/b" $URL/docs/numbers.txt
if ! grep -qi '^Content-Encoding' "$tmp/h" && cmp -s "$tmp/b" "$site/docs/numbers.txt"; then
    pass "www: no gzip without Accept-Encoding"
else
    fail "www: identity" "$(tr '\r\n' '  ' <"$tmp/h" | head -c 200)"
fi

# ---- byte for byte ------------------------------------------------------
ok=1 bad=""
for f in index.html docs/index.html bin/random.bin bin/one bin/empty \
    "docs/file with spaces.txt" bin/big.bin; do
    u=$(printf '%s' "$f" | sed 's/ /%20/g')
    c --max-time 60 -o "$tmp/b" "$URL/$u"
    cmp -s "$tmp/b" "$site/$f" || { ok=0; bad="$bad $f"; }
done
if [ $ok = 1 ]; then
    pass "www: 7 files byte for byte (spaces, binary, empty, 50 MB)"
else
    fail "www: byte for byte" "differ:$bad"
fi

# ---- pipelining, malformed requests ---------------------------------------
printf 'GET /bin/one HTTP/1.1\r\nHost: a\r\n\r\nGET /bin/one HTTP/1.1\r\nHost: a\r\n\r\nGET /bin/one HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' |
    in_ns timeout 5 nc -N $GUEST 80 >"$tmp/p"
if [ "$(grep -o 'HTTP/1.1 200' "$tmp/p" | wc -l)" = 3 ]; then
    pass "www: 3 pipelined requests, 3 answers"
else
    fail "www: pipelining" "$(grep -o 'HTTP/1.1 [0-9]*' "$tmp/p" | wc -l) answers"
fi
for req in 'GET / HTTP/1.1\r\nHost: a\r\nbad header\r\n\r\n' \
    'GET / HTTP/9.9\r\nHost: a\r\n\r\n' '\0\1\2\3\r\n\r\n' \
    'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n' \
    'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'; do
    # -N: a FIN after the request, so nc ends when the server closes
    printf "$req" | in_ns timeout 5 nc -N $GUEST 80 >/dev/null 2>&1
done
code "www: still answers after malformed requests" 200 $URL/bin/one

# ---- slowloris ------------------------------------------------------------
slow_pids=""
i=0
while [ $i -lt 40 ]; do
    (for b in G E T ' ' / ' ' H T T P; do printf '%s' "$b"; sleep 1; done) |
        in_ns timeout 15 nc -q 1 $GUEST 80 >/dev/null 2>&1 &
    slow_pids="$slow_pids $!"
    i=$((i + 1))
done
sleep 1
worst=0 fails=0
for k in 1 2 3 4 5; do
    t=$(c -o /dev/null -w '%{time_total}' --max-time 3 $URL/index.html)
    case $t in ''|0.000000) fails=$((fails + 1)); continue ;; esac
    worst=$(echo "$t $worst" | awk '{ print ($1 > $2) ? $1 : $2 }')
    sleep 0.5
done
if [ $fails = 0 ] && awk "BEGIN { exit !($worst < 1.0) }"; then
    pass "www: 40 slowloris connections, a normal client answered within ${worst}s"
else
    fail "www: slowloris" "worst ${worst}s, $fails failed"
fi
# The 408s are due 3 s after the connections opened; waited for (at most
# 10 s more) rather than a fixed 3 s that a loaded machine can outlast.
i=0
while [ $i -lt 100 ] && ! grep -q '" 408 ' "$tmp/guest.out"; do
    sleep 0.1
    i=$((i + 1))
done
if grep -q '" 408 ' "$tmp/guest.out" || grep -q '"-" 408 ' "$tmp/guest.out"; then
    pass "www: slow heads get 408 after --request-timeout"
else
    fail "www: 408" "no 408 in the access log"
fi
for p in $slow_pids; do kill "$p" 2>/dev/null; done
wait $slow_pids 2>/dev/null

# ---- access log -------------------------------------------------------------
if grep -qE ' 10\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8} \+0000\] "GET /bin/one HTTP/1\.1" 200 1$' "$tmp/guest.out"; then
    pass "www: access log in the common log format"
else
    fail "www: access log" "$(grep -m1 'GET /bin/one' "$tmp/guest.out")"
fi
if kill -0 "$guest_pid" 2>/dev/null; then
    pass "www: the server is still running"
else
    fail "www: server" "exited: $(guest_tail)"
fi
# Errors answered before the request's end (413, 414, 431, the malformed
# requests, the 408s) close lingering: a FIN, then the client drained, so
# that no reset destroys the answer. The stats line comes every second.
settle_stats 'www: stats:' 50
lc=$(grep 'www: stats:' "$tmp/guest.out" | tail -n 1 |
    sed -n 's/.* lingering_closes=\([0-9]*\) .*/\1/p')
if [ "${lc:-0}" -ge 3 ]; then
    pass "www: errors before the request's end close lingering ($lc connections drained)"
else
    fail "www: lingering close" "lingering_closes=${lc:-none}"
fi
stop_guest

# ---- a plain GNU tar archive with long names --------------------------------
long=$(printf 'n%.0s' $(seq 1 120))
gsite=$tmp/gnu
mkdir -p "$gsite/$long/$long"
printf 'deep\n' >"$gsite/$long/$long/file with spaces.txt"
printf 'gnu index\n' >"$gsite/index.html"
tar cf "$tmp/gnu.tar" --format=gnu -C "$gsite" .
TENDER_OPTS="--block:storage=$tmp/gnu.tar --mem=64"
start_guest spt --ipv4=$GUEST/24
if wait_up 20; then
    c -o "$tmp/b1" "$URL/$long/$long/file%20with%20spaces.txt"
    c -o "$tmp/b2" "$URL/"
    if cmp -s "$tmp/b1" "$gsite/$long/$long/file with spaces.txt" &&
        cmp -s "$tmp/b2" "$gsite/index.html"; then
        pass "www: a GNU tar archive (tar cf) works too: 263-byte path and / byte for byte"
    else
        fail "www: GNU tar archive" "$(head -c 80 "$tmp/b1")"
    fi
else
    fail "www: boot on a GNU tar archive" "$(guest_tail)"
fi
stop_guest

# ---- --redirect-https ------------------------------------------------------
TENDER_OPTS="--block:storage=$tmp/gnu.tar --mem=64"
start_guest spt --ipv4=$GUEST/24 --redirect-https --https-port=8443
if wait_up 20; then
    c -D "$tmp/h" -o /dev/null -H 'Host: site.test:80' \
        "$URL/docs/a%20b.html?x=1&y=/z"
    if grep -q '^HTTP/1.1 301 ' "$tmp/h" && grep -qi \
        '^Location: https://site.test:8443/docs/a%20b.html?x=1&y=/z'"$(printf '\r')"'$' "$tmp/h"
    then
        pass "www: --redirect-https answers 301 to https://HOST:PORT with the path and query"
    else
        fail "www: --redirect-https" "$(tr '\r\n' '  ' <"$tmp/h" | head -c 200)"
    fi
    printf 'GET / HTTP/1.0\r\n\r\n' | in_ns timeout 5 nc -q 2 $GUEST 80 >"$tmp/p"
    if grep -q '^HTTP/1.1 400 ' "$tmp/p"; then
        pass "www: --redirect-https without a Host is 400"
    else
        fail "www: --redirect-https without Host" "$(head -n 1 "$tmp/p")"
    fi
else
    fail "www: boot with --redirect-https" "$(guest_tail)"
fi
stop_guest
# The same image built for virtio, under QEMU TCG (its own namespace).
sh tests/www/virtio.sh || fails=$((fails + 1))
exit $((fails > 0))
