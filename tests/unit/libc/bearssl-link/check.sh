#!/bin/sh
# Does Debian's libbearssl.a link against Atoll's libc? lib/libc/module.mk
# turns this template into $(B)/tests/unit/libc-bearssl-link, filling in
# the @...@ paths. Three cases:
#   entry-points   refs.o (a guest object calling a broad set of BearSSL
#                  functions) linked with libbearssl.a and libc.a (ld -r):
#                  nothing left undefined but what others provide
#   whole-archive  the same for every object of libbearssl.a
#   full-link      a static executable from refs.o, libbearssl.a and
#                  libc.a, with placeholder addresses for those others
# The others: the heap and __stack_chk_fail (lib/rt), __stack_chk_guard
# (the bindings), the platform ABI (include/atoll/platform.h) and
# _GLOBAL_OFFSET_TABLE_ (the linker). Any other undefined symbol is a
# FAIL line naming it and an archive member that uses it. That the linked
# code also runs (its SSE code paths included) is tests/guest/bearssl.c's.
set -u

LD='@LD@'
NM='@NM@'
LDFLAGS='@LDFLAGS@'
LIBC='@LIBC@'
REFS='@REFS@'
BEARSSL='@BEARSSL@'
PLATFORM_H='@PLATFORM_H@'
name=libc/bearssl-link

if [ -z "$BEARSSL" ] || [ ! -f "$BEARSSL" ] || [ ! -f "$REFS" ]; then
    echo "SKIP: $name: libbearssl.a (Debian package libbearssl-dev) was" \
        "not found when this was built; install it and run make again"
    exit 0
fi
for f in "$LIBC" "$PLATFORM_H"; do
    if [ ! -f "$f" ]; then
        echo "FAIL: $name: $f is missing"
        exit 1
    fi
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0

# Names others provide, one per line.
{
    printf '%s\n' malloc free calloc realloc aligned_alloc posix_memalign \
        __stack_chk_fail __stack_chk_guard _GLOBAL_OFFSET_TABLE_
    sed -n 's/^[A-Za-z_][A-Za-z_0-9 ]*[ *]\(atoll_[a-z_0-9]*\)(.*/\1/p' \
        "$PLATFORM_H"
} | sort -u >"$tmp/provided"
if ! grep -q '^atoll_console_write$' "$tmp/provided"; then
    echo "FAIL: $name: no platform functions found in $PLATFORM_H"
    exit 1
fi

# Which member of libbearssl.a or libc.a refers to symbol $1 (or "?").
user_of() {
    "$NM" -A "$BEARSSL" "$LIBC" 2>/dev/null |
        awk -v s="$1" 'NF >= 2 && $(NF-1) == "U" && $NF == s {
            sub(/:$/, "", $1); print $1; exit }' |
        sed 's|.*/||; s|:\(.*\)|(\1)|'
}

# $1: case name; $2: relocatable object. PASS, or one FAIL per symbol.
check_undefined() {
    "$NM" -u "$2" | awk '{ print $NF }' | sort -u >"$tmp/undef"
    comm -23 "$tmp/undef" "$tmp/provided" >"$tmp/missing"
    if [ ! -s "$tmp/missing" ]; then
        echo "PASS: $name/$1"
        return
    fi
    while read -r sym; do
        case $sym in
        br_*) why="not defined by $BEARSSL" ;;
        *) why="used by $(user_of "$sym"), defined nowhere" ;;
        esac
        echo "FAIL: $name/$1: undefined symbol $sym ($why)"
    done <"$tmp/missing"
    failed=1
}

if "$LD" -r -o "$tmp/refs-all.o" "$REFS" --start-group "$BEARSSL" \
    "$LIBC" --end-group 2>"$tmp/ld.err"; then
    check_undefined entry-points "$tmp/refs-all.o"
else
    echo "FAIL: $name/entry-points: ld -r: $(head -n 1 "$tmp/ld.err")"
    failed=1
fi

if "$LD" -r -o "$tmp/whole.o" --whole-archive "$BEARSSL" \
    --no-whole-archive "$LIBC" 2>"$tmp/ld.err"; then
    check_undefined whole-archive "$tmp/whole.o"
else
    echo "FAIL: $name/whole-archive: ld -r: $(head -n 1 "$tmp/ld.err")"
    failed=1
fi

# The others' symbols get address 0: enough for the linker to lay out
# and relocate everything else (the result is never run).
defsyms=$(sed 's/.*/--defsym=&=0/' "$tmp/provided" | grep -v GLOBAL_OFFSET)
# shellcheck disable=SC2086 # LDFLAGS and defsyms are word lists
if "$LD" $LDFLAGS -e bearssl_link_main -o "$tmp/image" $defsyms "$REFS" \
    --start-group "$BEARSSL" "$LIBC" --end-group 2>"$tmp/ld.err"; then
    echo "PASS: $name/full-link"
else
    sed -n '1,8s/^/    /p' "$tmp/ld.err"
    echo "FAIL: $name/full-link: $(grep -m 1 -E \
        'undefined reference|multiple definition|relocation|error' \
        "$tmp/ld.err" | cut -c 1-200)"
    failed=1
fi

exit $failed
