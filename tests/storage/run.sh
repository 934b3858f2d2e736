#!/bin/sh
# Storage tests from the host side: the atoll-kv command, damaged images,
# crash consistency of examples/kv under SIGKILL on spt (and one small
# hvt run), and lib/tarkv serving a tree made by GNU tar. One PASS:/FAIL:/
# SKIP: line per case; exit status 1 if anything failed.
#
#   KILLS=N   kill/check rounds of the crash test (default 60)
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
KV=$B/bin/atoll-kv
tmp=$(mktemp -d /tmp/atoll-storage.XXXXXX)
pids=""
cleanup() {
    for p in $pids; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
fails=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; fails=$((fails + 1)); }
skip() { echo "SKIP: $1: $2"; }

# kv ARGS...: run atoll-kv; output in $tmp/out, errors in $tmp/err,
# status in $rc.
kv() {
    "$KV" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# expect NAME STATUS [TEXT]: the last kv run exited with STATUS and its
# output or errors contain TEXT.
expect() {
    if [ "$rc" -ne "$2" ]; then
        fail "$1" "exit status $rc, want $2: $(head -c 200 "$tmp/err")"
        return 1
    fi
    if [ $# -ge 3 ] && ! grep -qF -- "$3" "$tmp/out" "$tmp/err"; then
        fail "$1" "no '$3' in: $(head -c 200 "$tmp/out" "$tmp/err" |
            tr '\n' '|')"
        return 1
    fi
    pass "$1"
}

# ---- atoll-kv -----------------------------------------------------------

tool_cases() {
    img=$tmp/t.img
    kv --help
    expect "atoll-kv --help" 0 "format IMAGE SIZE"
    kv
    expect "atoll-kv without a command is a usage error" 2 "no command"
    kv frob "$img"
    expect "atoll-kv refuses an unknown command" 2 "unknown command 'frob'"
    kv format "$img" 12Q
    expect "format refuses a bad size" 2 "bad SIZE"
    kv format "$img" 16K
    expect "format refuses a size too small" 1 "cannot format"
    kv format "$img" 32M
    expect "format 32M" 0 &&
        [ "$(stat -c %s "$img")" = 33554432 ] || fail "format size" \
        "image is $(stat -c %s "$img") bytes"
    kv format "$img" 32M
    expect "format refuses to wipe a store" 1 "already holds a kv store"
    kv ls "$img"
    expect "ls of an empty store" 0 && [ ! -s "$tmp/out" ] ||
        fail "ls of an empty store" "printed $(head -c 80 "$tmp/out")"
    kv put "$img" greeting "hello, world"
    expect "put VALUE" 0
    kv get "$img" greeting
    expect "get" 0 && [ "$(cat "$tmp/out")" = "hello, world" ] ||
        fail "get returns the value" "got '$(head -c 80 "$tmp/out")'"
    head -c 1048576 /dev/urandom >"$tmp/big"
    kv put --file="$tmp/big" "$img" 'dir/big\x00bin'
    expect "put 1 MiB from a file, key with a NUL byte" 0
    kv get "$img" 'dir/big\x00bin' -o "$tmp/big2"
    expect "get 1 MiB to a file" 0
    cmp -s "$tmp/big" "$tmp/big2" && pass "1 MiB value byte for byte" ||
        fail "1 MiB value byte for byte" "differs"
    head -c 1048577 /dev/urandom >"$tmp/big3"
    kv put -f "$tmp/big3" "$img" toobig
    expect "put refuses a value over the limit" 1 "larger than this store"
    printf 'from stdin' | "$KV" put "$img" dir/in >"$tmp/out" 2>"$tmp/err"
    rc=$?
    expect "put from standard input" 0
    for k in b a dir/z c dir/a; do "$KV" put "$img" "$k" "v$k"; done
    kv ls "$img"
    printf 'a\t2\nb\t2\nc\t2\ndir/a\t6\ndir/big\\x00bin\t1048576\ndir/in\t10\ndir/z\t6\ngreeting\t12\n' \
        >"$tmp/want"
    cmp -s "$tmp/out" "$tmp/want" && pass "ls in byte order with sizes" ||
        fail "ls in byte order with sizes" "$(tr '\n\t' '| ' <"$tmp/out")"
    kv ls "$img" dir/
    [ "$(cut -f1 "$tmp/out" | tr '\n' ' ')" = 'dir/a dir/big\x00bin dir/in dir/z ' ] &&
        pass "ls PREFIX" || fail "ls PREFIX" "$(tr '\n\t' '| ' <"$tmp/out")"
    kv get "$img" nosuch
    expect "get of a missing key fails" 1 "no such key"
    kv rm "$img" a nosuch
    expect "rm with a missing key fails" 1 "nothing removed"
    kv get "$img" a
    expect "a failed rm removes nothing" 0
    kv rm "$img" a b
    expect "rm two keys" 0
    kv get "$img" b
    expect "removed key is gone" 1 "no such key"
    kv rm --force "$img" a c
    expect "rm --force ignores missing keys" 0
    kv get "$img" ''
    expect "empty key refused" 2 "bad key"
    kv check "$img"
    expect "check of a good store" 0 "clean: 5 keys"
    kv check "$tmp/nonexistent"
    expect "check of a missing file" 1 "No such file"
    head -c 4194304 /dev/urandom >"$tmp/random.img"
    kv check "$tmp/random.img"
    expect "check of random bytes" 1 "not an Atoll kv store"
    kv ls "$tmp/random.img"
    expect "ls of random bytes" 1 "no Atoll kv store"
    head -c 16777216 "$img" >"$tmp/trunc.img"
    kv ls "$tmp/trunc.img"
    expect "a truncated image is refused" 1 "truncated"
    # Damage in the big value's record: get and check report it.
    cp "$img" "$tmp/bad.img"
    printf 'XXXXXXXX' | dd of="$tmp/bad.img" bs=1 seek=600000 conv=notrunc \
        2>/dev/null
    kv get "$tmp/bad.img" 'dir/big\x00bin'
    expect "get of a damaged value fails" 1 "damaged"
    kv check "$tmp/bad.img"
    expect "check reports the damaged record" 1 "DAMAGED"
    kv get "$tmp/bad.img" greeting
    expect "other keys stay readable" 0 "reading around the damage"
    # Garbage over the superblock slot 0: slot 1 carries on.
    cp "$img" "$tmp/slot.img"
    head -c 512 /dev/urandom | dd of="$tmp/slot.img" conv=notrunc \
        2>/dev/null
    kv get "$tmp/slot.img" greeting
    expect "a damaged superblock slot is survived" 0
    kv check "$tmp/slot.img"
    expect "check warns about the slot" 0 "warning: superblock slot 0"
}

if [ -x "$KV" ]; then
    tool_cases
else
    fail "atoll-kv" "$KV not built"
fi

[ "$fails" -eq 0 ]
