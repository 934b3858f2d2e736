#!/bin/sh
# Feed malformed unikernel images to every tender in build/bin and check
# that each is refused cleanly: exit status 1..127 (no signal, no timeout),
# nothing on stdout, exactly one line on stderr that names the file and
# says what is wrong (a per-case keyword from tests/tender/mutate.c).
#
# The images come from tests/tender/mkbad, made from build/examples/hello.*
# when they exist (else from small images it builds itself) and from a tiny
# image linked here with tests/tender/layout.lds (Solo5's layout). atoll-hvt runs
# with /dev/kvm replaced by /dev/null (when this script may do that): it
# must refuse a bad image before it touches KVM.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
mkbad=$B/tests/tender/mkbad
out=$B/tests/tender/images
tmp=$B/tests/tender/tmp
fails=0

if [ ! -x "$mkbad" ]; then
    make --no-print-directory -s "$mkbad" >/dev/null 2>&1 || {
        echo "FAIL: tender/mkbad: cannot build $mkbad"
        exit 1
    }
fi
rm -rf "$out" "$tmp"
mkdir -p "$out" "$tmp"
# gen NAME ARGS...: run mkbad, FAIL on error
gen() {
    gname=$1
    shift
    if ! "$mkbad" "$@" >"$tmp/mkbad.out" 2>&1; then
        echo "FAIL: tender/$gname: $(head -n 1 "$tmp/mkbad.out")"
        fails=$((fails + 1))
        return 1
    fi
}

# layout IMAGE TARGETNUM: link the scratch-layout image with the real linker
layout() {
    ${CC:-cc} -std=c11 -O2 -ffreestanding -fno-pie -fno-pic -nostdinc \
        -isystem include/libc -Iinclude -DTARGET="$2" \
        -c tests/tender/layout_img.c -o "$1.o" &&
        ${LD:-ld} -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
            --build-id=none -T tests/tender/layout.lds -o "$1" "$1.o"
}

for t in hvt spt; do
    num=1
    [ "$t" = spt ] && num=2
    # A good image from the real linker, laid out like Solo5's: accepted,
    # then broken in every way.
    if layout "$out/layout.$t" "$num" 2>"$tmp/ld.err"; then
        if gen "layout image accepted for $t" -c -t "$t" "$out/layout.$t"; then
            echo "PASS: tender/layout image accepted for $t"
            gen "mkbad layout $t" -o "$out" -t "$t" -p layout- "$out/layout.$t"
        fi
    else
        echo "FAIL: tender/layout $t: cannot link: $(head -n 1 "$tmp/ld.err")"
        fails=$((fails + 1))
    fi
    # The example, when it is built: accepted, then broken.
    good=$B/examples/hello.$t
    if [ -f "$good" ]; then
        gen "$good passes validation" -c -t "$t" "$good" &&
            echo "PASS: tender/$good passes validation"
    else
        good=
    fi
    gen "mkbad $t" -o "$out" -t "$t" $good
done

# Hide /dev/kvm from atoll-hvt, if we can make a private mount namespace.
nokvm=""
if [ -e /dev/kvm ] && command -v unshare >/dev/null 2>&1 &&
    unshare -m sh -c 'mount --bind /dev/null /dev/kvm' 2>/dev/null; then
    nokvm=yes
fi

# run TENDER FILE: stdout, stderr and status into $tmp
run() {
    if [ "$1" = hvt ] && [ -n "$nokvm" ]; then
        timeout 20 unshare -m sh -c 'mount --bind /dev/null /dev/kvm &&
            exec "$0" "$@"' "$B/bin/atoll-$1" "$2" \
            >"$tmp/out" 2>"$tmp/err" </dev/null
    else
        timeout 20 "$B/bin/atoll-$1" "$2" >"$tmp/out" 2>"$tmp/err" </dev/null
    fi
    echo $? >"$tmp/rc"
}

# check NAME TENDER FILE KEYWORD
check() {
    name=$1 tender=$2 file=$3 kw=$4
    run "$tender" "$file"
    rc=$(cat "$tmp/rc")
    lines=$(wc -l <"$tmp/err")
    line=$(head -n 1 "$tmp/err")
    why=""
    if [ "$rc" -eq 0 ]; then
        why="accepted (exit status 0)"
    elif [ "$rc" -eq 124 ]; then
        why="still running after 20 s"
    elif [ "$rc" -ge 128 ]; then
        why="exit status $rc (a signal or a guest status)"
    elif [ -s "$tmp/out" ]; then
        why="wrote to stdout: $(head -c 100 "$tmp/out")"
    elif [ "$lines" -ne 1 ]; then
        why="$lines lines on stderr: $(head -c 200 "$tmp/err" | tr '\n' '|')"
    else
        case "$line" in
        *"$file"*) ;;
        *) why="message does not name $file: $line" ;;
        esac
        if [ -z "$why" ]; then
            case "$line" in
            *"$kw"*) ;;
            *) why="message lacks '$kw': $line" ;;
            esac
        fi
    fi
    if [ -z "$why" ]; then
        echo "PASS: $name"
    else
        echo "FAIL: $name: $why"
        fails=$((fails + 1))
    fi
}

tenders=""
for t in hvt spt; do
    if [ -x "$B/bin/atoll-$t" ]; then
        tenders="$tenders $t"
    else
        echo "SKIP: tender/atoll-$t: $B/bin/atoll-$t is not built"
    fi
done

for t in $tenders; do
    while read -r file target stage kw; do
        if [ "$target" = "$t" ] || [ "$stage" = E ]; then
            want=$kw
        else
            want="built for $target"
        fi
        check "atoll-$t refuses $file" "$t" "$out/$file" "$want"
    done <"$out/cases.txt"
    for other in hvt spt; do
        [ "$other" = "$t" ] && continue
        for g in "$other-good" "layout-$other-good"; do
            [ -f "$out/$g" ] || continue
            check "atoll-$t refuses $g" "$t" "$out/$g" "built for $other"
        done
    done
    check "atoll-$t refuses a missing file" "$t" "$out/no-such-image" \
        "No such file"
    check "atoll-$t refuses a directory" "$t" "$out" "not a regular file"
done
[ -n "$nokvm" ] || [ ! -e /dev/kvm ] ||
    echo "SKIP: tender/no-kvm: cannot hide /dev/kvm (needs root and unshare)"

rm -rf "$tmp"
[ "$fails" -eq 0 ]
