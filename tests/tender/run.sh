#!/bin/sh
# Feed malformed unikernel images to every tender in build/bin and check
# that each is refused cleanly: exit status 1..127 (no signal, no timeout),
# nothing on stdout, exactly one line on stderr that names the file and
# says what is wrong (a per-case keyword from tests/tender/mutate.c).
#
# The images come from tests/tender/mkbad, made from build/examples/hello.*
# when they exist, else from small images it builds itself. atoll-hvt runs
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
for t in hvt spt; do
    good=$B/examples/hello.$t
    [ -f "$good" ] || good=
    if ! "$mkbad" -o "$out" -t "$t" $good 2>"$tmp/mkbad.err"; then
        echo "FAIL: tender/mkbad $t: $(head -n 1 "$tmp/mkbad.err")"
        fails=$((fails + 1))
    fi
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
        [ -f "$out/$other-good" ] || continue
        check "atoll-$t refuses a good $other image" "$t" \
            "$out/$other-good" "built for $other"
    done
    check "atoll-$t refuses a missing file" "$t" "$out/no-such-image" \
        "No such file"
    check "atoll-$t refuses a directory" "$t" "$out" "not a regular file"
done
[ -n "$nokvm" ] || [ ! -e /dev/kvm ] ||
    echo "SKIP: tender/no-kvm: cannot hide /dev/kvm (needs root and unshare)"

rm -rf "$tmp"
[ "$fails" -eq 0 ]
