#!/bin/sh
# Build the storage libFuzzer targets with clang and run each for
# FUZZ_SECONDS (default 5) from fresh seeds — kv images from
# fuzz-storage-seeds, tar archives made here with GNU tar in four formats —
# plus regress/NAME/* (inputs that once found a bug) and a corpus kept in
# the build folder between runs. One PASS/FAIL line per target (SKIP
# without clang's libFuzzer). Crash inputs are left in $B/tests/fuzz-storage/NAME/.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
secs=${FUZZ_SECONDS:-5}
dir=$B/tests/fuzz-storage
mkdir -p "$dir"

if ! command -v "${FUZZ_ST_CC:-clang}" >/dev/null 2>&1; then
    echo "SKIP: fuzz-storage: no clang"
    exit 0
fi
if ! make --no-print-directory -s B="$B" fuzz-storage-targets >"$dir/build.log" 2>&1
then
    if grep -q "libclang_rt.fuzzer\|fuzzer.*No such file" "$dir/build.log"
    then
        echo "SKIP: fuzz-storage: clang has no libFuzzer (libclang-rt-14-dev)"
        exit 0
    fi
    echo "FAIL: fuzz-storage: build failed: $(grep -m1 -i error "$dir/build.log")"
    exit 1
fi

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
    bin=$dir/fuzz_$t
    name="fuzz-storage/$t ($secs s)"
    work=$dir/$t
    mkdir -p "$work/corpus"
    regress=""
    [ -d tests/fuzz-storage/regress/$t ] && regress=tests/fuzz-storage/regress/$t
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len=524288 -artifact_prefix="$work/" -print_final_stats=1 \
        "$work/corpus" "$seeds/$t" $regress >"$work/fuzz.log" 2>&1
    rc=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' \
        "$work/fuzz.log" | grep -o '[0-9]*$')
    if [ $rc -eq 0 ]; then
        echo "PASS: $name: ${runs:-?} inputs, no finding"
    else
        echo "FAIL: $name: exit status $rc, see $work/fuzz.log"
        grep -m3 -E 'ERROR|SUMMARY|runtime error' "$work/fuzz.log" |
            sed 's/^/    /'
        fails=$((fails + 1))
    fi
done
[ $fails -eq 0 ]
