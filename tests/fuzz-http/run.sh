#!/bin/sh
# Build lib/http's libFuzzer targets with clang and run each for
# FUZZ_SECONDS (default 3) from seeds written here and a corpus kept in
# the build folder between runs. One PASS/FAIL line per target (SKIP
# without clang's libFuzzer). Crash inputs are left in
# $B/tests/fuzz-http/NAME/.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/fuzz.sh
B=${B:-build}
secs=${FUZZ_SECONDS:-3}
dir=$B/tests/fuzz-http
FUZZ_CLANG=${FUZZ_HTTP_CC:-clang}

fuzz_build fuzz-http "$dir/build.log" fuzz-http-targets
rm -rf "$dir/seeds"
mkdir -p "$dir/seeds/split" "$dir/seeds/path"
# fuzz_split: 4 bytes (limits, cut seed), then a connection's bytes.
k=0
for req in \
    'GET /a?b HTTP/1.1\r\nHost: h\r\nA: 1\r\n\r\n' \
    'POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\nbodyGET / HTTP/1.1\r\nHost: h\r\n\r\n' \
    'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: 1\r\n\r\n' \
    'GET http://x/y HTTP/1.0\nConnection: keep-alive\n\nOPTIONS * HTTP/1.1\nHost: h\nConnection: close\n\n' \
    'GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: gzip, chunked\r\n\r\n'; do
    for pre in '\000\001\002\003' '\007\021\042\063'; do
        k=$((k + 1))
        printf "$pre$req" >"$dir/seeds/split/seed$k"
    done
done
# fuzz_server: 4 bytes (limits and answer kind, seed), then a
# connection's bytes: bodies to read, files to serve.
mkdir -p "$dir/seeds/server"
k=0
for req in \
    'POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: t\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: h\r\nRange: bytes=10-99\r\n\r\n' \
    'PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\nhello worldGET /d/ HTTP/1.1\r\nHost: h\r\nIf-None-Match: "a"\r\n\r\n' \
    'GET /a.txt HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip;q=1, br\r\nRange: bytes=-5\r\n\r\nHEAD /d HTTP/1.0\r\n\r\n' \
    'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nfff\r\nabc' \
    'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\r\n1\r\nx\r\n0\r\n\r\n'; do
    for pre in '\000\001\002\003' '\003\021\042\063' '\002\005\006\007'; do
        k=$((k + 1))
        printf "$pre$req" >"$dir/seeds/server/seed$k"
    done
done
k=0
for p in / /a/b/../c /a/%2e%2E/b '/a%2fb' '/%e2%82%ac/./x/' '/a/..' '/q?x=/..'; do
    k=$((k + 1))
    printf '%s' "$p" >"$dir/seeds/path/seed$k"
done

fuzz_each fuzz-http "$dir" "$secs" 4096
