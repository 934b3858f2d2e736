#!/bin/sh
# Build lib/net's libFuzzer targets with clang and run each for
# FUZZ_SECONDS (default 3) from its seeds (tests/fuzz-net/seeds.c) and a
# corpus kept in the build folder between runs. One PASS/FAIL line per
# target (SKIP without clang's libFuzzer). Crash inputs are left in
# $B/tests/fuzz-net/NAME/.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/fuzz.sh
B=${B:-build}
secs=${FUZZ_SECONDS:-3}
dir=$B/tests/fuzz-net
FUZZ_CLANG=${FUZZ_NET_CC:-clang}

fuzz_build fuzz-net "$dir/build.log" fuzz-net-targets
rm -rf "$dir/seeds"
mkdir -p "$dir/seeds"
if ! "$dir/fuzz-net-seeds" "$dir/seeds" >/dev/null; then
    echo "FAIL: fuzz-net: seed generation failed"
    exit 1
fi

fuzz_each fuzz-net "$dir" "$secs" 16384
