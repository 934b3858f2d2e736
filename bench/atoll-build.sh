#!/bin/sh
# Build figures for the atoll tool: median wall time of N runs (default 5)
# of, for examples/hello copied to a scratch folder,
#   clean      atoll configure -t T && atoll build   (no _build/ or dist/)
#   no change  atoll build                           (everything up to date)
# and the same two for the peer: make with a plain Makefile that compiles
# hello.c and links hello.T with atoll-cc (the same compiler and linker
# work, with make deciding what is out of date). Ratio = atoll / make.
#
#   make && sh bench/atoll-build.sh [N]
#
# Wall time is taken with bash's $EPOCHREALTIME around each run.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
N=${1:-5}
B=$top/build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in $B/bin/atoll $B/bin/atoll-cc $B/lib/rt.a; do
    [ -e "$f" ] || { echo "atoll-build.sh: missing $f (run make)" >&2; exit 1; }
done
command -v bash >/dev/null || { echo "atoll-build.sh: needs bash" >&2; exit 1; }

# median of the numbers on stdin, divided by $1, two decimals
median() {
    sort -n | awk -v d="$1" '{a[NR]=$1}
        END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m/d}'
}

# times_ms PREP CMD: median milliseconds of N runs of the shell command
# CMD, each after the (untimed) shell command PREP.
times_ms() {
    bash -c 'n=$1 prep=$2 cmd=$3; i=0
        while [ $i -lt $n ]; do
            sh -c "$prep" >/dev/null 2>&1 || exit 1
            s=${EPOCHREALTIME//[.,]/}
            sh -c "$cmd" >/dev/null 2>&1 </dev/null || exit 1
            e=${EPOCHREALTIME//[.,]/}; echo $((e - s)); i=$((i + 1))
        done' bench "$N" "$1" "$2" | median 1000
}

row() { printf '%-34s %10s %10s %7s\n' "$1" "$2" "$3" "$4"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }

cp -R examples/hello "$tmp/app"
rm -rf "$tmp/app/_build" "$tmp/app/dist"
mkdir -p "$tmp/peer"
cp examples/hello/hello.c "$tmp/peer/"

row "median of $N runs, ms" "atoll" "make" "ratio"
for t in spt hvt; do
    # The peer: the flags atoll build uses, the link atoll-cc does.
    cat >"$tmp/peer/Makefile" <<EOF
CC = $B/bin/atoll-cc
CFLAGS = --target=$t -O2 -g -Wall -Wextra -std=c11 -Werror
hello.$t: hello.o
	\$(CC) \$(CFLAGS) -o \$@ hello.o
EOF
    a_clean=$(times_ms "cd '$tmp/app' && rm -rf _build dist" \
        "cd '$tmp/app' && '$B/bin/atoll' configure -q -t $t &&
         '$B/bin/atoll' build -q") || { echo "atoll build failed" >&2; exit 1; }
    a_none=$(times_ms true "cd '$tmp/app' && '$B/bin/atoll' build -q")
    m_clean=$(times_ms "cd '$tmp/peer' && rm -f hello.o hello.$t" \
        "make -s -C '$tmp/peer'") || { echo "make build failed" >&2; exit 1; }
    m_none=$(times_ms true "make -s -C '$tmp/peer'")
    row "$t: configure + build from clean" "$a_clean" "$m_clean" \
        "$(ratio "$a_clean" "$m_clean")"
    row "$t: no-change rebuild" "$a_none" "$m_none" \
        "$(ratio "$a_none" "$m_none")"
done
