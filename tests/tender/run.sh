#!/bin/sh
# Feed malformed unikernel images to every tender in build/bin and check
# that each is refused cleanly: exit status 1..127 (no signal, no timeout),
# nothing on stdout, exactly one line on stderr that names the file and
# says what is wrong (a per-case keyword from tests/tender/mutate.c).
#
# The images come from tests/tender/mkbad, made from build/examples/hello.*
# and from a tiny image linked here with tests/tender/layout.lds (Solo5's
# layout). atoll-hvt runs with /dev/kvm replaced by /dev/null (when this
# script may do that): it must refuse a bad image before it touches KVM.
#
# One line per kind of damage and tender: "atoll-hvt refuses every
# seg-wx image" stands for the four images of that kind (hello and the
# layout image, each built for hvt and for spt); a FAIL names the image and
# what went wrong. A missing artefact (a tender, mkbad, hello.*) is a FAIL:
# under `make test` it is a build failure.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
mkbad=$B/tests/tender/mkbad
out=$B/tests/tender/images
tmp=$B/tests/tender/tmp
fails=0

if [ ! -x "$mkbad" ]; then
    echo "FAIL: tender/mkbad: $mkbad is not built (make B=$B test-programs)"
    exit 1
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
    # The example: accepted, then broken (from mkbad's own small image
    # when it is missing, so the other checks still run).
    good=$B/examples/hello.$t
    if [ -f "$good" ]; then
        gen "$good passes validation" -c -t "$t" "$good" &&
            echo "PASS: tender/$good passes validation"
    else
        echo "FAIL: tender/$good: not built (make B=$B all)"
        fails=$((fails + 1))
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

# verdict TENDER FILE KEYWORD: why the tender's answer to FILE is wrong in
# $why, empty if it refused FILE as it must.
verdict() {
    tender=$1 file=$2 kw=$3
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
}

# check NAME TENDER FILE KEYWORD: one line for one image
check() {
    verdict "$2" "$3" "$4"
    if [ -z "$why" ]; then
        echo "PASS: $1"
    else
        echo "FAIL: $1: $why"
        fails=$((fails + 1))
    fi
}

if [ ! -s "$out/cases.txt" ]; then
    echo "FAIL: tender/mkbad: made no malformed images (see above)"
    exit 1
fi
# The kinds of damage in cases.txt, in order: image names without the
# "layout-" prefix and the target.
kind_of() { sed -e 's/^layout-//' -e 's/^hvt-//' -e 's/^spt-//'; }
kinds=$(awk '{ print $1 }' "$out/cases.txt" | kind_of | awk '!seen[$0]++')
# Every mkbad run leaves one PREFIX-TARGET-good and one image per kind.
sets=$(find "$out" -maxdepth 1 -name '*-good' | wc -l)

# check_kind TENDER KIND: one line for every image of KIND; a FAIL names
# each image refused wrongly and why.
check_kind() {
    ct=$1 kind=$2
    n=0 bad="" nbad=0
    awk -v k="$kind" '{ n = $1; sub(/^layout-/, "", n);
        sub(/^(hvt|spt)-/, "", n); if (n == k) print }' \
        "$out/cases.txt" >"$tmp/kind"
    while read -r file target stage kw; do
        if [ "$target" = "$ct" ] || [ "$stage" = E ]; then
            want=$kw
        else
            want="built for $target"
        fi
        verdict "$ct" "$out/$file" "$want"
        n=$((n + 1))
        [ -z "$why" ] && continue
        nbad=$((nbad + 1))
        bad="$bad; $file: $why"
    done <"$tmp/kind"
    name="atoll-$ct refuses every $kind image"
    if [ "$nbad" -ne 0 ]; then
        echo "FAIL: $name: $nbad of $n wrong${bad}"
        fails=$((fails + 1))
    elif [ "$n" -ne "$sets" ]; then
        echo "FAIL: $name: $n images of this kind, want $sets (one per" \
            "mkbad run; a case that does not apply is skipped by mkbad)"
        fails=$((fails + 1))
    else
        echo "PASS: $name ($n images)"
    fi
}

tenders=""
for t in hvt spt; do
    if [ -x "$B/bin/atoll-$t" ]; then
        tenders="$tenders $t"
    else
        echo "FAIL: tender/atoll-$t: $B/bin/atoll-$t is not built (make B=$B all)"
        fails=$((fails + 1))
    fi
done

for t in $tenders; do
    for k in $kinds; do
        check_kind "$t" "$k"
    done
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

# A guest fault names the function from the image's symbols: the NULL read
# of tests/guest's fault image is reported at main+OFF, where the symbol
# table's main plus OFF is the rip printed. A stripped image, and one
# whose section headers are damaged, still run and give the bare rip.
fault=$B/tests/guest/fault.spt
fault_line() { # IMAGE: atoll-spt's stderr line for "null" in $tmp/fault
    timeout 60 "$B/bin/atoll-spt" "$1" null >/dev/null 2>"$tmp/fault" \
        </dev/null
    fault_rc=$?
}
if [ ! -f "$fault" ]; then
    echo "FAIL: tender/fault symbol: $fault is not built (make B=$B test-programs)"
    fails=$((fails + 1))
else
    fault_line "$fault"
    rip=$(sed -n 's/.* at rip=\(0x[0-9a-f]*\) <main+\(0x[0-9a-f]*\)>[ ,].*/\1 \2/p' \
        "$tmp/fault")
    main=$(nm "$fault" | sed -n 's/^\([0-9a-f]*\) T main$/\1/p')
    if [ "$fault_rc" -eq 139 ] && [ -n "$rip" ] && [ -n "$main" ] &&
        [ $((${rip% *})) -eq $((0x$main + ${rip#* })) ]; then
        echo "PASS: tender/atoll-spt names the faulting function (<main+OFF>, main + OFF = rip)"
    else
        echo "FAIL: tender/atoll-spt names the faulting function: status $fault_rc, main 0x$main, stderr: $(head -c 200 "$tmp/fault")"
        fails=$((fails + 1))
    fi
    # ... and the source line from its DWARF line table, as addr2line
    # reads it (which prints the compilation directory in front).
    src=$(sed -n 's/.* at rip=0x[0-9a-f]* <[^>]*> (\([^)]*\)), .*/\1/p' \
        "$tmp/fault")
    want=$(addr2line -e "$fault" "${rip% *}" 2>/dev/null)
    case "$want" in
    */"$src" | "$src") ok=${src:+yes} ;;
    *) ok= ;;
    esac
    if [ "$fault_rc" -eq 139 ] && [ -n "$ok" ] && [ "${src#*fault.c:}" != "$src" ]; then
        echo "PASS: tender/atoll-spt names the faulting source line ($src, addr2line: $want)"
    else
        echo "FAIL: tender/atoll-spt names the faulting source line: '$src', addr2line '$want', stderr: $(head -c 200 "$tmp/fault")"
        fails=$((fails + 1))
    fi
    strip -o "$tmp/stripped.spt" "$fault"
    cp "$fault" "$tmp/badsh.spt"
    # e_shentsize (offset 58) 16: the section headers cannot be read
    printf '\020\000' | dd of="$tmp/badsh.spt" bs=1 seek=58 conv=notrunc \
        2>/dev/null
    for img in stripped badsh; do
        fault_line "$tmp/$img.spt"
        if [ "$fault_rc" -eq 139 ] &&
            grep -q "guest fault: SIGSEGV (read from unmapped memory) at rip=0x[0-9a-f]*, address 0x0$" "$tmp/fault"; then
            echo "PASS: tender/atoll-spt: a $img image faults with the bare rip"
        else
            echo "FAIL: tender/atoll-spt: a $img image faults with the bare rip: status $fault_rc, stderr: $(head -c 200 "$tmp/fault")"
            fails=$((fails + 1))
        fi
    done
fi

# The DWARF line reader (tenders/common/dwarf_line.c) against addr2line on
# real images: the fault image, an example, and a host program built by
# gcc and clang with DWARF 4 and 5. Every address spread over the text
# gets the line addr2line prints (less its directory), or none when
# addr2line has none. Then the line sections of three of them are mutated
# at random (2000 times in all) under ASan: every load returns, every row
# is looked up.
lines=$B/tests/tender/dwarf_lines
lines_cmp() { # NAME IMAGE
    "$lines" -p "$2" >"$tmp/ours" 2>&1 &&
        cut -d' ' -f1 "$tmp/ours" | addr2line -e "$2" |
        sed 's/ (discriminator [0-9]*)$//' >"$tmp/theirs"
    res=$(paste -d'|' "$tmp/ours" "$tmp/theirs" | awk -F'|' '
        { split($1, a, " "); o = a[2]; t = $2; n++
          if (t ~ /:[?0]$/) ok = (o == "-")
          else ok = (o != "-" && (t == o ||
                substr(t, length(t) - length(o)) == "/" o))
          if (ok && o != "-") named++
          if (!ok && bad++ == 0) first = $0 }
        END { printf "%d %d %d %s\n", n, named, bad, first }')
    set -- "$1" $res
    if [ "${2:-0}" -gt 100 ] && [ "$3" -gt 0 ] && [ "$4" -eq 0 ]; then
        echo "PASS: tender/dwarf line: $1: $3 of $2 addresses named as addr2line names them, the others unnamed by both"
    else
        echo "FAIL: tender/dwarf line: $1: $4 of ${2:-0} addresses differ from addr2line (first: $5 $6), $(head -c 200 "$tmp/ours")"
        fails=$((fails + 1))
    fi
}
if [ ! -x "$lines" ]; then
    echo "FAIL: tender/dwarf line: $lines is not built (make B=$B test-programs)"
    fails=$((fails + 1))
else
    cat >"$tmp/prog.c" <<'PROG'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int f(int x)
{
    int s = 0;
    for (int i = 0; i < x; i++)
        s += i * 3;
    return s;
}
int g(const char *s) { return (int)strlen(s) + f(3); }
static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}
int main(int argc, char **argv)
{
    qsort(argv, (size_t)argc, sizeof *argv, cmp);
    printf("%d\n", g(argv[0]) + f(argc));
    return 0;
}
PROG
    lines_cmp "fault.spt (gcc, DWARF 5)" "$fault"
    lines_cmp "echo.spt" "$B/examples/echo.spt"
    lines_cmp "hello.hvt" "$B/examples/hello.hvt"
    for cc in gcc clang; do
        for v in 4 5; do
            if ! command -v $cc >/dev/null; then
                echo "SKIP: tender/dwarf line: no $cc"
                continue
            fi
            if $cc -g -gdwarf-$v -O2 -o "$tmp/prog-$cc-$v" "$tmp/prog.c" \
                2>"$tmp/cc.err"; then
                lines_cmp "host program ($cc -O2, DWARF $v)" "$tmp/prog-$cc-$v"
            else
                echo "FAIL: tender/dwarf line: $cc -gdwarf-$v: $(head -c 200 "$tmp/cc.err")"
                fails=$((fails + 1))
            fi
        done
    done
    for m in "1000 1 $fault" "500 2 $tmp/prog-gcc-4" "500 3 $tmp/prog-clang-5"; do
        set -- $m
        [ -f "$3" ] || continue
        if out=$("$lines" -m $m 2>&1) && [ "${out%% rows intact*}" -gt 0 ]; then
            echo "PASS: tender/dwarf line: $1 mutations of $(basename "$3")'s line sections under ASan ($out)"
        else
            echo "FAIL: tender/dwarf line: $1 mutations of $(basename "$3"): $(printf '%s' "$out" | head -c 300)"
            fails=$((fails + 1))
        fi
    done
fi

rm -rf "$tmp"
[ "$fails" -eq 0 ]
