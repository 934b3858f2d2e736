#!/bin/sh
# Build the libFuzzer target with clang and run it for FUZZ_SECONDS
# (default 30), seeded with good and malformed images from
# tests/tender/mkbad. Prints PASS/FAIL (SKIP without clang's libFuzzer).
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
secs=${FUZZ_SECONDS:-30}
bin=$B/tests/fuzz/fuzz_tender
dir=$B/tests/fuzz
name="fuzz/tender ($secs s)"

if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
    echo "SKIP: $name: no clang"
    exit 0
fi
if ! make --no-print-directory -s "$bin" "$B/tests/tender/mkbad" \
    >"$dir.build.log" 2>&1; then
    if grep -q "libclang_rt.fuzzer\|fuzzer.*No such file" "$dir.build.log"; then
        echo "SKIP: $name: clang has no libFuzzer (libclang-rt-14-dev)"
        exit 0
    fi
    echo "FAIL: $name: build failed: $(grep -m1 -i error "$dir.build.log")"
    exit 1
fi

# Seeds: a fresh set each run; the working corpus grows across runs.
seeds=$dir/seeds
corpus=$dir/corpus
rm -rf "$seeds"
mkdir -p "$seeds" "$corpus"
for t in hvt spt; do
    good=$B/examples/hello.$t
    [ -f "$good" ] || good=
    "$B/tests/tender/mkbad" -o "$seeds" -t "$t" $good || {
        echo "FAIL: $name: mkbad failed"
        exit 1
    }
done
rm -f "$seeds/cases.txt"
# Inputs that once broke an invariant stay in the seeds for good.
cp tests/fuzz/regress/* "$seeds/"
printf -- '--mem=64\0--net:service=tap0\0--block:s=f\0k\0a' >"$seeds/args1"

log=$dir/fuzz.log
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$dir/" -print_final_stats=1 "$corpus" "$seeds" \
    >"$log" 2>&1
rc=$?
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" |
    grep -o '[0-9]*$')
if [ "$rc" -eq 0 ]; then
    echo "PASS: $name: ${runs:-?} inputs, no crash"
    exit 0
fi
echo "FAIL: $name: exit status $rc, see $log; crash input in $dir/"
grep -m3 -E 'ERROR|SUMMARY|runtime error' "$log" | sed 's/^/    /'
exit 1
