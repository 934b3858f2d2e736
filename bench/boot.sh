#!/bin/sh
# Boot figures for the foundation: image sizes (stripped copies), median wall
# time of N runs of the hello image on spt and on hvt (--mem=32 and the
# default memory; hvt only when /dev/kvm is usable), and the tenders' median
# peak RSS. With SOLO5=DIR (a Solo5 build or source tree, built next to
# Atoll, never into it: DIR/tenders/{spt,hvt}/solo5-{spt,hvt} and
# DIR/tests/test_X/test_X.{spt,hvt}) the same figures for Solo5's test_hello,
# the ratios Atoll/Solo5, and the cross runs: Solo5's test programs on
# Atoll's tenders and Atoll's hello on Solo5's tenders.
#
#   sh bench/boot.sh [N]        N defaults to 20
#
# Wall time is taken with bash's $EPOCHREALTIME around each run, so no timer
# process is counted; the "spawn floor" row is the same measure of
# /bin/true, the part of every figure that is fork and exec alone.
set -u
cd "$(dirname "$0")/.."
N=${1:-20}
B=build
S=${SOLO5:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in $B/bin/atoll-spt $B/bin/atoll-hvt $B/examples/hello.spt \
    $B/examples/hello.hvt /usr/bin/time; do
    [ -e "$f" ] || { echo "boot.sh: missing $f (run make)" >&2; exit 1; }
done
command -v bash >/dev/null || { echo "boot.sh: needs bash" >&2; exit 1; }

stripped_size() { strip -o "$tmp/s" "$1" && stat -c %s "$tmp/s"; }

# median of the numbers on stdin, divided by $1, two decimals
median() {
    sort -n | awk -v d="$1" '{a[NR]=$1}
        END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m/d}'
}

# median wall-clock milliseconds of N runs of a command
median_ms() {
    bash -c 'n=$1; shift; i=0
        while [ $i -lt $n ]; do
            s=${EPOCHREALTIME//[.,]/}; "$@" >/dev/null 2>&1 </dev/null
            e=${EPOCHREALTIME//[.,]/}; echo $((e - s)); i=$((i + 1))
        done' boot "$N" "$@" | median 1000
}

# median peak RSS in MiB of N runs
median_rss() {
    i=0
    while [ $i -lt "$N" ]; do
        /usr/bin/time -f %M "$@" 2>&1 >/dev/null </dev/null | tail -n 1
        i=$((i + 1))
    done | median 1024
}

row() { printf '%-40s %10s %10s %7s\n' "$1" "$2" "$3" "$4"; }
ratio() {
    [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'
}

kvm=no; sh tests/lib/kvm-usable.sh && kvm=yes
SH=$S/tests/test_hello/test_hello
ST=$S/tenders

row "figure (Atoll hello, Solo5 test_hello)" "Atoll" "Solo5" "ratio"
for t in spt hvt; do
    a=$(stripped_size $B/examples/hello.$t)
    s=""; [ -n "$S" ] && s=$(stripped_size "$SH.$t")
    row "image size $t (bytes, stripped)" "$a" "$s" "$(ratio "$a" "$s")"
done
row "spawn floor /bin/true (ms, median $N)" "$(median_ms /bin/true)" "" ""

a=$(median_ms $B/bin/atoll-spt $B/examples/hello.spt)
s=""; [ -n "$S" ] && s=$(median_ms "$ST/spt/solo5-spt" "$SH.spt")
row "spt wall (ms, median $N)" "$a" "$s" "$(ratio "$a" "$s")"
if [ $kvm = yes ]; then
    a=$(median_ms $B/bin/atoll-hvt --mem=32 $B/examples/hello.hvt)
    s=""; [ -n "$S" ] && s=$(median_ms "$ST/hvt/solo5-hvt" --mem=32 "$SH.hvt")
    row "hvt --mem=32 wall (ms, median $N)" "$a" "$s" "$(ratio "$a" "$s")"
    a=$(median_ms $B/bin/atoll-hvt $B/examples/hello.hvt)
    s=""; [ -n "$S" ] && s=$(median_ms "$ST/hvt/solo5-hvt" "$SH.hvt")
    row "hvt default mem wall (ms, median $N)" "$a" "$s" "$(ratio "$a" "$s")"
fi
# The tenders alone: Solo5's test_hello on each tender.
if [ -n "$S" ]; then
    a=$(median_ms $B/bin/atoll-spt "$SH.spt")
    s=$(median_ms "$ST/spt/solo5-spt" "$SH.spt")
    row "spt test_hello on each (ms, median $N)" "$a" "$s" "$(ratio "$a" "$s")"
    if [ $kvm = yes ]; then
        a=$(median_ms $B/bin/atoll-hvt "$SH.hvt")
        s=$(median_ms "$ST/hvt/solo5-hvt" "$SH.hvt")
        row "hvt test_hello on each (ms, median $N)" "$a" "$s" "$(ratio "$a" "$s")"
    fi
fi
# Instructions KVM emulated for the guest (needs perf and the kvm trace
# events). A KVM with hardware virtualization emulates few; one without
# emulates every guest instruction, and then this counts the guest's boot,
# with the exits to the tender (hypercalls, kvm_pio) and the guest
# page-table entries KVM read to translate addresses (kvm_mmu_paging_element:
# 4 per access in 4 KiB pages, 3 in 2 MiB ones).
# count EVENT COMMAND...: how many times EVENT fired while COMMAND ran
count() {
    ev=$1; shift
    perf stat -x, -e "$ev" "$@" 2>&1 >/dev/null </dev/null |
        awk -F, -v ev="$ev" '$3 == ev {print $1}'
}
for ev in kvm:kvm_emulate_insn kvm:kvm_pio kvmmmu:kvm_mmu_paging_element; do
    [ $kvm = yes ] && perf stat -e $ev true >/dev/null 2>&1 || continue
    case $ev in
    kvm:kvm_emulate_insn) what="hvt instructions KVM emulated" ;;
    kvm:kvm_pio) what="hvt exits to the tender (port I/O)" ;;
    *) what="hvt page-table entries KVM read" ;;
    esac
    a=$(count $ev $B/bin/atoll-hvt $B/examples/hello.hvt)
    s=""; [ -n "$S" ] && s=$(count $ev "$ST/hvt/solo5-hvt" "$SH.hvt")
    row "$what" "$a" "$s" "$(ratio "$a" "$s")"
done

a=$(median_rss $B/bin/atoll-spt $B/examples/hello.spt)
s=""; [ -n "$S" ] && s=$(median_rss "$ST/spt/solo5-spt" "$SH.spt")
row "spt peak RSS (MiB, median $N)" "$a" "$s" "$(ratio "$a" "$s")"
if [ $kvm = yes ]; then
    a=$(median_rss $B/bin/atoll-hvt --mem=32 $B/examples/hello.hvt)
    s=""; [ -n "$S" ] && s=$(median_rss "$ST/hvt/solo5-hvt" --mem=32 "$SH.hvt")
    row "hvt --mem=32 peak RSS (MiB, median $N)" "$a" "$s" "$(ratio "$a" "$s")"
    a=$(median_rss $B/bin/atoll-hvt $B/examples/hello.hvt)
    s=""; [ -n "$S" ] && s=$(median_rss "$ST/hvt/solo5-hvt" "$SH.hvt")
    row "hvt default peak RSS (MiB, median $N)" "$a" "$s" "$(ratio "$a" "$s")"
fi
[ -n "$S" ] || exit 0

# Cross runs. The expectations are those of Solo5's tests/tests.bats:
# success is status 0 with SUCCESS printed, abort is status 255 with an
# ABORT line; test_exception on spt is a fault: both tenders die of
# SIGSEGV (139), Atoll's after its one-line report.
echo
echo "cross runs (default memory, 60 s limit each):"
dd if=/dev/zero of="$tmp/storage.img" bs=4k count=1024 status=none
cross() {
    want=$1 pat=$2; shift 2
    timeout 60 "$@" >"$tmp/out" 2>&1 </dev/null
    rc=$?
    tr -d '\000' <"$tmp/out" >"$tmp/txt"
    ok=no
    case "$want,$rc" in
    0,0|255,255|fault,139) grep -q -- "$pat" "$tmp/txt" && ok=yes ;;
    esac
    if [ $ok = yes ]; then
        echo "  ok    status $rc: $*"
    else
        echo "  FAIL  status $rc (want $want, /$pat/): $*"
        grep -v '^Solo5:   \|^Solo5: Memory map\|^ *|\|^  __|\|^\\__\|^____' \
            "$tmp/txt" | tail -n 4 | sed 's/^/          /'
    fi
}
for t in spt hvt; do
    [ $t = hvt ] && [ $kvm = no ] && { echo "  (hvt: /dev/kvm not usable)"; continue; }
    for ten in $B/bin/atoll-$t "$ST/$t/solo5-$t"; do
        T=$S/tests
        cross 0 SUCCESS $ten "$T/test_hello/test_hello.$t" Hello_Solo5
        cross 0 SUCCESS $ten "$T/test_globals/test_globals.$t"
        cross 255 ABORT $ten "$T/test_ssp/test_ssp.$t"
        if [ $t = spt ]; then
            cross fault 'test_exception' $ten "$T/test_exception/test_exception.spt"
        else
            cross 255 ABORT $ten "$T/test_exception/test_exception.hvt"
        fi
        cross 0 SUCCESS $ten "$T/test_time/test_time.$t"
        cross 0 SUCCESS $ten --block:storage="$tmp/storage.img" \
            "$T/test_blk/test_blk.$t"
        cross 0 SUCCESS $ten "$T/test_fpu/test_fpu.$t"
    done
    cross 0 'Hello from Atoll' "$ST/$t/solo5-$t" $B/examples/hello.$t
    cross 0 'Hello from Atoll' $B/bin/atoll-$t $B/examples/hello.$t
done
