#!/bin/sh
# Build lib/dns's libFuzzer targets with clang and run each for
# FUZZ_SECONDS (default 3) from its seeds (tests/fuzz-dns/seeds.c) and a
# corpus kept in the build folder between runs. One PASS/FAIL line per
# target (SKIP without clang's libFuzzer). Crash inputs are left in
# $B/tests/fuzz-dns/NAME/.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
secs=${FUZZ_SECONDS:-3}
dir=$B/tests/fuzz-dns
mkdir -p "$dir"

if ! command -v "${FUZZ_DNS_CC:-clang}" >/dev/null 2>&1; then
    echo "SKIP: fuzz-dns: no clang"
    exit 0
fi
if ! make --no-print-directory -s B="$B" fuzz-dns-targets >"$dir/build.log" 2>&1
then
    if grep -q "libclang_rt.fuzzer\|fuzzer.*No such file" "$dir/build.log"
    then
        echo "SKIP: fuzz-dns: clang has no libFuzzer (libclang-rt-14-dev)"
        exit 0
    fi
    echo "FAIL: fuzz-dns: build failed: $(grep -m1 -i error "$dir/build.log")"
    exit 1
fi
rm -rf "$dir/seeds"
mkdir -p "$dir/seeds"
if ! "$dir/fuzz-dns-seeds" "$dir/seeds" >/dev/null; then
    echo "FAIL: fuzz-dns: seed generation failed"
    exit 1
fi

fails=0
ran=0
for bin in "$dir"/fuzz_*; do
    [ -x "$bin" ] || continue
    ran=$((ran + 1))
    t=${bin##*/fuzz_}
    name="fuzz-dns/$t ($secs s)"
    work=$dir/$t
    mkdir -p "$work/corpus"
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len=16384 -artifact_prefix="$work/" -print_final_stats=1 \
        "$work/corpus" "$dir/seeds/$t" >"$work/fuzz.log" 2>&1
    rc=$?
    runs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' \
        "$work/fuzz.log" | tail -n 1 | grep -o '[0-9]*$')
    if [ $rc -eq 0 ]; then
        echo "PASS: $name: ${runs:-?} inputs, no finding"
    else
        echo "FAIL: $name: exit status $rc, see $work/fuzz.log"
        grep -a -m3 -E 'ERROR|SUMMARY|runtime error|fuzz-dns:' \
            "$work/fuzz.log" | sed 's/^/    /'
        fails=$((fails + 1))
    fi
done
if [ "$ran" -eq 0 ]; then
    echo "FAIL: fuzz-dns: no fuzz_* target in $dir after the build"
    fails=1
fi
[ $fails -eq 0 ]
