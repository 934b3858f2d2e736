#!/bin/sh
# Build the storage libFuzzer targets with clang and run each for
# FUZZ_SECONDS (default 5) from fresh seeds — kv images from
# fuzz-storage-seeds, tar archives made here with GNU tar in four formats —
# plus regress/NAME/* (inputs that once found a bug) and a corpus kept in
# the build folder between runs. One PASS/FAIL line per target (SKIP
# without clang's libFuzzer). Crash inputs are left in $B/tests/fuzz-storage/NAME/.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/fuzz.sh
B=${B:-build}
secs=${FUZZ_SECONDS:-5}
dir=$B/tests/fuzz-storage
FUZZ_CLANG=${FUZZ_ST_CC:-clang}

fuzz_build fuzz-storage "$dir/build.log" fuzz-storage-targets

seeds=$dir/seeds
rm -rf "$seeds"
mkdir -p "$seeds/tar"
if ! "$dir/fuzz-storage-seeds" "$seeds" >"$dir/seeds.log" 2>&1; then
    echo "FAIL: fuzz-storage: seed generation failed: $(head -n 1 "$dir/seeds.log")"
    exit 1
fi
if command -v tar >/dev/null 2>&1; then
    t=$dir/seedtree
    rm -rf "$t"
    long=$(printf '%0150d' 0 | tr 0 l)
    mkdir -p "$t/d/$long/e"
    printf 'hello\n' >"$t/index.html"
    head -c 1500 /dev/zero | tr '\0' x >"$t/d/$long/e/f"
    ln -s ../index.html "$t/d/link"
    ln "$t/index.html" "$t/d/hard"
    for f in gnu pax ustar v7; do
        tar --format=$f -cf "$seeds/tar/$f.tar" -C "$t" . 2>/dev/null
    done
    # Trimmed to the headers and small data; the fuzzer works on the
    # bytes that matter.
    for f in gnu pax; do
        head -c 8192 "$seeds/tar/$f.tar" >"$seeds/tar/$f-head.tar"
    done
fi

fails=0
for t in tar kv; do
    work=$dir/$t
    mkdir -p "$work/corpus"
    regress=""
    [ -d tests/fuzz-storage/regress/$t ] && regress=tests/fuzz-storage/regress/$t
    fuzz_run "fuzz-storage/$t ($secs s)" "$dir/fuzz_$t" "$secs" \
        "$work/fuzz.log" "$work/" -max_len=524288 \
        "$work/corpus" "$seeds/$t" $regress || fails=$((fails + 1))
done
[ $fails -eq 0 ]
