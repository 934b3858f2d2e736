#!/bin/sh
# Build lib/dns's libFuzzer targets with clang and run each for
# FUZZ_SECONDS (default 3) from its seeds (tests/fuzz-dns/seeds.c) and a
# corpus kept in the build folder between runs. One PASS/FAIL line per
# target (SKIP without clang's libFuzzer). Crash inputs are left in
# $B/tests/fuzz-dns/NAME/.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/fuzz.sh
B=${B:-build}
secs=${FUZZ_SECONDS:-3}
dir=$B/tests/fuzz-dns
FUZZ_CLANG=${FUZZ_DNS_CC:-clang}

fuzz_build fuzz-dns "$dir/build.log" fuzz-dns-targets
rm -rf "$dir/seeds"
mkdir -p "$dir/seeds"
if ! "$dir/fuzz-dns-seeds" "$dir/seeds" >/dev/null; then
    echo "FAIL: fuzz-dns: seed generation failed"
    exit 1
fi

fuzz_each fuzz-dns "$dir" "$secs" 16384
