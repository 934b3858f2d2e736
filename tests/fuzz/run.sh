#!/bin/sh
# Build the libFuzzer targets with clang and run them: fuzz_tender for
# FUZZ_SECONDS (default 30), seeded with good and malformed images from
# tests/tender/mkbad; fuzz_param (lib/rt's boot parameters) for
# FUZZ_PARAM_SECONDS (default 3), seeded with a few command lines. Prints
# PASS/FAIL per target (SKIP without clang's libFuzzer).
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
secs=${FUZZ_SECONDS:-30}
psecs=${FUZZ_PARAM_SECONDS:-3}
bin=$B/tests/fuzz/fuzz_tender
pbin=$B/tests/fuzz/fuzz_param
dir=$B/tests/fuzz
name="fuzz/tender ($secs s)"

if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
    echo "SKIP: $name: no clang"
    exit 0
fi
if ! make --no-print-directory -s B="$B" "$bin" "$pbin" \
    "$B/tests/tender/mkbad" >"$dir.build.log" 2>&1; then
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
# The examples are seeds: a missing one is a FAIL (a build failure under
# `make test`), and mkbad's own small image stands in for it.
fails=0
for t in hvt spt; do
    good=$B/examples/hello.$t
    if [ ! -f "$good" ]; then
        echo "FAIL: fuzz/tender seeds: $good is not built (make B=$B all)"
        fails=1
        good=
    fi
    "$B/tests/tender/mkbad" -o "$seeds" -t "$t" $good || {
        echo "FAIL: $name: mkbad failed"
        exit 1
    }
done
rm -f "$seeds/cases.txt"
# Inputs that once broke an invariant stay in the seeds for good.
cp tests/fuzz/regress/* "$seeds/"
printf -- '--mem=64\0--net:service=tap0\0--block:s=f\0k\0a' >"$seeds/args1"

# fuzz NAME BIN SECONDS LOG CORPUS SEEDS [FLAGS...]: one PASS/FAIL line;
# status 1 on a finding.
fuzz() {
    fname=$1 fbin=$2 fsecs=$3 log=$4 fcorpus=$5 fseeds=$6
    shift 6
    "$fbin" -max_total_time="$fsecs" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$dir/" -print_final_stats=1 "$@" \
        "$fcorpus" "$fseeds" >"$log" 2>&1
    rc=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" |
        grep -o '[0-9]*$')
    if [ "$rc" -eq 0 ]; then
        echo "PASS: $fname: ${runs:-?} inputs, no crash"
        return 0
    fi
    echo "FAIL: $fname: exit status $rc, see $log; crash input in $dir/"
    grep -m3 -E 'ERROR|SUMMARY|runtime error' "$log" | sed 's/^/    /'
    return 1
}

fuzz "$name" "$bin" "$secs" "$dir/fuzz.log" "$corpus" "$seeds" || fails=1

# Command lines for fuzz_param: byte 0 picks the argv size (>= 0x80: the
# size lib/rt/start.c uses), then the line.
pseeds=$dir/param-seeds
rm -rf "$pseeds"
mkdir -p "$pseeds" "$dir/param-corpus"
printf '\200one --num=0x10 two\t--flag --pick=bb --word=x=y' >"$pseeds/1"
printf '\003a b c d -- --num=1 --help' >"$pseeds/2"
printf '\200--num=-6 --flag=maybe --pick --help' >"$pseeds/3"
printf '\200--word=--\tx\t--num=+1000000 --flag=off y' >"$pseeds/4"
fuzz "fuzz/param ($psecs s)" "$pbin" "$psecs" "$dir/fuzz_param.log" \
    "$dir/param-corpus" "$pseeds" -max_len=8192 || fails=1
[ "$fails" -eq 0 ]
