#!/bin/sh
# Boot figures for the foundation: image sizes (stripped), median wall time
# of N runs of a hello image on spt (and hvt when /dev/kvm is usable), and
# the tenders' peak RSS. With SOLO5=DIR (a Solo5 build tree, built next to
# Atoll, never into it) the same figures for Solo5's test_hello, the ratios
# Atoll/Solo5, and the cross runs.
#
#   sh bench/boot.sh [N]        N defaults to 20
set -u
cd "$(dirname "$0")/.."
N=${1:-20}
B=build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

stripped_size() { strip -o "$tmp/s" "$1" && stat -c %s "$tmp/s"; }

# median wall-clock milliseconds of N runs of a command
median_ms() {
    i=0
    while [ $i -lt "$N" ]; do
        s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
        echo $(( (e - s) / 1000 ))
        i=$((i + 1))
    done | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m/1000}'
}

peak_rss_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }

row() { printf '%-34s %12s %12s %10s\n' "$1" "$2" "$3" "$4"; }

kvm=no; sh tests/lib/kvm-usable.sh && kvm=yes
row "figure" "Atoll" "Solo5" "ratio"
ratio() { [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }

S=${SOLO5:-}
for t in spt hvt; do
    a=$(stripped_size $B/examples/hello.$t)
    s=""; [ -n "$S" ] && s=$(stripped_size "$S/tests/test_hello/test_hello.$t")
    row "image size $t (bytes, stripped)" "$a" "$s" "$(ratio "$a" "$s")"
done
a=$(median_ms $B/bin/atoll-spt $B/examples/hello.spt)
s=""; [ -n "$S" ] && s=$(median_ms "$S/tenders/spt/solo5-spt" "$S/tests/test_hello/test_hello.spt")
row "spt hello wall ms (median of $N)" "$a" "$s" "$(ratio "$a" "$s")"
if [ $kvm = yes ]; then
    a=$(median_ms $B/bin/atoll-hvt --mem=32 $B/examples/hello.hvt)
    s=""; [ -n "$S" ] && s=$(median_ms "$S/tenders/hvt/solo5-hvt" --mem=32 "$S/tests/test_hello/test_hello.hvt")
    row "hvt hello wall ms (median of $N)" "$a" "$s" "$(ratio "$a" "$s")"
fi
a=$(peak_rss_kb $B/bin/atoll-spt $B/examples/hello.spt)
s=""; [ -n "$S" ] && s=$(peak_rss_kb "$S/tenders/spt/solo5-spt" "$S/tests/test_hello/test_hello.spt")
row "spt tender peak RSS (KiB)" "$a" "$s" "$(ratio "$a" "$s")"
if [ $kvm = yes ]; then
    a=$(peak_rss_kb $B/bin/atoll-hvt --mem=32 $B/examples/hello.hvt)
    s=""; [ -n "$S" ] && s=$(peak_rss_kb "$S/tenders/hvt/solo5-hvt" --mem=32 "$S/tests/test_hello/test_hello.hvt")
    row "hvt tender peak RSS (KiB)" "$a" "$s" "$(ratio "$a" "$s")"
fi

if [ -n "$S" ]; then
    echo
    echo "cross runs (exit status):"
    cross() { "$@" >"$tmp/out" 2>&1; echo "  $* -> $?"; tail -n 2 "$tmp/out" | sed 's/^/      /'; }
    cross $B/bin/atoll-spt "$S/tests/test_hello/test_hello.spt" Hello_Solo5
    cross "$S/tenders/spt/solo5-spt" $B/examples/hello.spt
    if [ $kvm = yes ]; then
        cross $B/bin/atoll-hvt --mem=32 "$S/tests/test_hello/test_hello.hvt" Hello_Solo5
        cross "$S/tenders/hvt/solo5-hvt" --mem=32 $B/examples/hello.hvt
    fi
fi
