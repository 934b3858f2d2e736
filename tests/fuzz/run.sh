#!/bin/sh
# Build the libFuzzer targets with clang and run them: fuzz_tender for
# FUZZ_SECONDS (default 30), seeded with good and malformed images from
# tests/tender/mkbad; fuzz_param (lib/rt's boot parameters) for
# FUZZ_PARAM_SECONDS (default 3), seeded with a few command lines. Prints
# PASS/FAIL per target (SKIP without clang's libFuzzer).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/fuzz.sh
B=${B:-build}
secs=${FUZZ_SECONDS:-30}
psecs=${FUZZ_PARAM_SECONDS:-3}
bin=$B/tests/fuzz/fuzz_tender
pbin=$B/tests/fuzz/fuzz_param
dir=$B/tests/fuzz
name="fuzz/tender ($secs s)"

FUZZ_CLANG=${FUZZ_CC:-clang}
fuzz_build "$name" "$dir.build.log" "$bin" "$pbin" "$B/tests/tender/mkbad"

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

fuzz_run "$name" "$bin" "$secs" "$dir/fuzz.log" "$dir/" "$corpus" "$seeds" ||
    fails=1

# Command lines for fuzz_param: byte 0 picks the argv size (>= 0x80: the
# size lib/rt/start.c uses), then the line.
pseeds=$dir/param-seeds
rm -rf "$pseeds"
mkdir -p "$pseeds" "$dir/param-corpus"
printf '\200one --num=0x10 two\t--flag --pick=bb --word=x=y' >"$pseeds/1"
printf '\003a b c d -- --num=1 --help' >"$pseeds/2"
printf '\200--num=-6 --flag=maybe --pick --help' >"$pseeds/3"
printf '\200--word=--\tx\t--num=+1000000 --flag=off y' >"$pseeds/4"
fuzz_run "fuzz/param ($psecs s)" "$pbin" "$psecs" "$dir/fuzz_param.log" \
    "$dir/" -max_len=8192 "$dir/param-corpus" "$pseeds" || fails=1
[ "$fails" -eq 0 ]
