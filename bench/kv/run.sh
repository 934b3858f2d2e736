#!/bin/sh
# lib/kv beside LMDB, on demand (never in CI):
#
#   make bench-kv            (or: make bench-kv-programs; sh bench/kv/run.sh)
#
# For 100-byte and 4 KiB values: N1 puts with a commit each, N2 puts in
# commits of BATCH, G random gets. Atoll runs in a unikernel on spt with a
# file-backed block device (commit = fdatasync through the tender); LMDB
# runs in a Linux process on the same file system with its default
# durability (a synced commit). Prints operations per second and the ratio
# Atoll/LMDB (above 1: Atoll faster). Then the recovery time of a 1 GiB
# store: filled to most of its capacity with 4 KiB values, then with
# 100-byte values, each followed by small commits so that open has a log
# tail to replay; the figure is the open in the unikernel (checkpoint load
# plus replay), and atoll-kv check's full verification for comparison.
#
#   N1 N2 BATCH G   environment overrides (defaults 2000 20000 100 200000)
#   DIR             where the images go (default: a temporary folder on the
#                   file system of /var/tmp)
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
N1=${N1:-2000} N2=${N2:-20000} BATCH=${BATCH:-100} G=${G:-200000}
dir=$(mktemp -d "${DIR:-/var/tmp}/atoll-kvbench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
for f in "$B/bench/kv/lmdb-bench" "$B/bench/kv/kvbench.spt" \
    "$B/bin/atoll-kv" "$B/bin/atoll-spt"; do
    [ -x "$f" ] || [ -f "$f" ] || {
        echo "bench/kv: missing $f (make bench-kv-programs; LMDB needs" \
            "liblmdb-dev)" >&2
        exit 1
    }
done

# field NAME FILE: "COUNT NS" of the line NAME in FILE.
field() { awk -v n="$1" '$1 == n { print $2, $3 }' "$2"; }
ops() { echo "$1" | awk '{ printf "%.0f", $1 * 1e9 / $2 }'; }

echo "lib/kv (spt, file-backed device) vs LMDB $(dpkg-query -W -f='${Version}' liblmdb-dev 2>/dev/null) (Linux process), same durability"
echo "$(uname -r), $(df -T "$dir" | awk 'NR == 2 { print $2 }') at $(df "$dir" | awk 'NR == 2 { print $6 }')"
printf '%-26s %14s %14s %8s\n' "work" "atoll op/s" "lmdb op/s" "ratio"
for vs in 100 4096; do
    img=$dir/kv.img
    rm -f "$img"
    "$B/bin/atoll-kv" format "$img" 1G >/dev/null || exit 1
    "$B/bin/atoll-spt" --mem=1024 --block:storage="$img" \
        "$B/bench/kv/kvbench.spt" bench $vs "$N1" "$N2" "$BATCH" "$G" \
        >"$dir/atoll.out" 2>&1 || { cat "$dir/atoll.out"; exit 1; }
    rm -rf "$dir/lmdb"
    mkdir "$dir/lmdb"
    "$B/bench/kv/lmdb-bench" "$dir/lmdb" $vs "$N1" "$N2" "$BATCH" "$G" \
        >"$dir/lmdb.out" 2>&1 || { cat "$dir/lmdb.out"; exit 1; }
    if [ "$(field checksum "$dir/atoll.out")" != \
        "$(field checksum "$dir/lmdb.out")" ]; then
        echo "bench/kv: the two runs read different values" >&2
        exit 1
    fi
    for w in put-commit put-batch get; do
        a=$(ops "$(field $w "$dir/atoll.out")")
        l=$(ops "$(field $w "$dir/lmdb.out")")
        case $w in
        put-commit) label="put + commit, ${vs} B" ;;
        put-batch) label="puts, $BATCH per commit, ${vs} B" ;;
        get) label="random get, ${vs} B" ;;
        esac
        printf '%-26s %14s %14s %8s\n' "$label" "$a" "$l" \
            "$(echo "$a $l" | awk '{ printf "%.2f", $1 / $2 }')"
    done
done

echo
echo "recovery of a 1 GiB store (open in the unikernel on spt)"
for vs in 4096 100; do
    img=$dir/big.img
    rm -f "$img"
    "$B/bin/atoll-kv" format "$img" 1G >/dev/null || exit 1
    "$B/bin/atoll-spt" --mem=2048 --block:storage="$img" \
        "$B/bench/kv/kvbench.spt" fill 700000000 $vs 1000 >"$dir/fill.out" \
        2>&1 || { cat "$dir/fill.out"; exit 1; }
    # A log tail to replay: commits after the last checkpoint.
    "$B/bin/atoll-spt" --mem=2048 --block:storage="$img" \
        "$B/bench/kv/kvbench.spt" bench $vs 3000 0 1 0 >/dev/null 2>&1
    "$B/bin/atoll-spt" --mem=2048 --block:storage="$img" \
        "$B/bench/kv/kvbench.spt" open >"$dir/open.out" 2>&1 ||
        { cat "$dir/open.out"; exit 1; }
    set -- $(field open "$dir/open.out") $(awk '$1 == "open" { print $4, $5 }' "$dir/open.out")
    keys=$(awk '$1 == "stats" { print $3 }' "$dir/fill.out")
    live=$(awk '$1 == "stats" { print $5 }' "$dir/fill.out")
    start=$(date +%s%N)
    "$B/bin/atoll-kv" check -q "$img" >/dev/null || echo "check failed!"
    chk=$(( ($(date +%s%N) - start) / 1000000 ))
    printf '  %4s B values: %s keys, %s MiB live: open %s ms (checkpoint %s KiB, replayed %s KiB); full check %s ms\n' \
        $vs "$keys" $((live >> 20)) $(($1 / 1000000)) $(($4 >> 10)) \
        $(($3 >> 10)) "$chk"
done
