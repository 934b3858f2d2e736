#!/bin/sh
# End-to-end: existing C code built as unikernels with the ordinary tools.
#
# tests/e2e/rpn is a small C program with a plain Makefile ($(CC),
# $(CFLAGS), nothing Atoll-specific). It is built for this machine with
# the host compiler, and as a unikernel with
#   make CC=atoll-cc CFLAGS=--target=spt
# and both must print the same for the same arguments and exit alike.
# One PASS:/FAIL:/SKIP: line per case; exit status 1 if anything failed.
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.."
top=$(pwd)
B=${B:-build}
case $B in /*) ;; *) B=$top/$B ;; esac
tmp=$(mktemp -d /tmp/atoll-e2e.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
. tests/lib/check.sh

kvm=no
kvm_why=$(sh tests/lib/kvm-usable.sh --why) && kvm=yes

for f in atoll-cc atoll-spt atoll-hvt; do
    if [ ! -x "$B/bin/$f" ]; then
        fail "e2e" "$B/bin/$f is not built (make B=$B all)"
        exit 1
    fi
done

# build NAME DIR MAKE-ARGS...: a fresh copy of the project in DIR, built;
# make's status first, then the program it must have made.
build() {
    name=$1 dir=$2
    shift 2
    rm -rf "$dir"
    cp -R tests/e2e/rpn "$dir"
    if make --no-print-directory -C "$dir" "$@" >"$dir.log" 2>&1 &&
        [ -x "$dir/rpn" ]; then
        pass "$name"
        return 0
    fi
    fail "$name" "$(tail -n 3 "$dir.log" | tr '\n' '|' | cut -c 1-240)"
    return 1
}

build "rpn builds for the host" "$tmp/host" || exit 1
built_spt=no built_hvt=no
build "rpn builds as an spt unikernel with CC=atoll-cc" "$tmp/spt" \
    CC="$B/bin/atoll-cc" CFLAGS=--target=spt && built_spt=yes
build "rpn builds as an hvt unikernel with CC=atoll-cc" "$tmp/hvt" \
    CC="$B/bin/atoll-cc" CFLAGS="--target=hvt -O2 -Wall -Wextra -Werror" &&
    built_hvt=yes

# Its own compile lines went through atoll-cc with the project's flags (a
# build that failed proves nothing).
name="the project's own rules ran atoll-cc"
if [ "$built_spt" != yes ]; then
    fail "$name" "the spt build failed (above)"
elif grep -q "atoll-cc --target=spt *-c -o main.o main.c" "$tmp/spt.log"; then
    pass "$name"
else
    fail "$name" "$(head -n 2 "$tmp/spt.log")"
fi

# same NAME TARGET ARGS...: the unikernel prints and exits as the host
# program does.
same() {
    name=$1 t=$2
    shift 2
    if [ "$(eval echo \$built_$t)" != yes ]; then
        fail "$name" "the $t build failed (above)"
        return
    fi
    "$tmp/host/rpn" "$@" >"$tmp/want" 2>&1
    want_rc=$?
    timeout 60 "$B/bin/atoll-$t" "$tmp/$t/rpn" "$@" >"$tmp/got" 2>&1 \
        </dev/null
    got_rc=$?
    if [ "$got_rc" -eq "$want_rc" ] && cmp -s "$tmp/want" "$tmp/got"; then
        pass "$name"
    else
        fail "$name" "status $got_rc (host $want_rc), printed '$(tr '\n' \
            '|' <"$tmp/got" | cut -c 1-120)' (host '$(tr '\n' '|' \
            <"$tmp/want" | cut -c 1-120)')"
    fi
}

same "spt rpn: arithmetic" spt 3 4 + 2 x 100 7 % 5 1 9 sort
same "spt rpn: sum of many (heap growth)" spt $(seq 1 200) sum
same "spt rpn: hexadecimal and negative numbers" spt 0x10 -3 - 7 /
same "spt rpn: division by zero fails" spt 1 0 /
same "spt rpn: bad word fails" spt 1 two +
hvt_args="3 4 + 2 x 100 7 % 5 1 9 sort"
rm -f "$B/tests/e2e/rpn.hvt"
if [ "$kvm" = yes ]; then
    # shellcheck disable=SC2086
    same "hvt rpn: arithmetic" hvt $hvt_args
elif [ "$built_hvt" = yes ]; then
    # Handed to the hvt group, which boots it in its VM (tests/hvt runs
    # after this group in tests/run.sh): the image, its arguments and what
    # the host program printed and returned.
    mkdir -p "$B/tests/e2e"
    # shellcheck disable=SC2086
    "$tmp/host/rpn" $hvt_args >"$B/tests/e2e/rpn.want" 2>&1
    echo $? >"$B/tests/e2e/rpn.rc"
    echo "$hvt_args" >"$B/tests/e2e/rpn.args"
    cp "$tmp/hvt/rpn" "$B/tests/e2e/rpn.hvt"
else
    fail "hvt rpn: arithmetic" "the hvt build failed (above)"
fi

# Sources handed straight to the link, and a manifest from a conf file:
# atoll-cc must succeed, then the tender must refuse to boot the image
# without the net device it declares (status 1, naming it).
name="atoll-cc --manifest declares the devices"
printf 'net service\n' >"$tmp/devices.conf"
"$B/bin/atoll-cc" --target=spt --manifest="$tmp/devices.conf" \
    -o "$tmp/direct.spt" tests/e2e/rpn/main.c tests/e2e/rpn/stack.c \
    tests/e2e/rpn/ops.c >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] || [ ! -f "$tmp/direct.spt" ]; then
    fail "$name" "atoll-cc: status $rc: $(head -n 2 "$tmp/out" | tr '\n' '|')"
else
    timeout 60 "$B/bin/atoll-spt" "$tmp/direct.spt" 1 2 + >"$tmp/out" 2>&1 \
        </dev/null
    rc=$?
    if [ "$rc" -eq 0 ]; then
        fail "$name" "booted without --net"
    elif [ "$rc" -eq 1 ] &&
        grep -q "device 'service' (net) declared by the image" "$tmp/out"
    then
        pass "$name"
    else
        fail "$name" "status $rc (want 1): $(head -n 2 "$tmp/out" |
            tr '\n' '|')"
    fi
fi

[ "$fails" -eq 0 ]
