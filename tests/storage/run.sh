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

# ---- crash consistency ---------------------------------------------------

# The expected state after a round: STATE (lines "KEY SEQ", SEQ 0 for a
# deleted key) updated with the round's log LOG, given the store's "seq"
# SSTORE. Prints the new state, or "error: ..." when SSTORE is neither
# the last reported commit nor the one in flight.
next_state() { # STATE LOG SSTORE
    awk -v sstore="$3" -v statefile="$1" '
    function apply(s,   i, w) {
        for (i = 1; i <= nops[s]; i++) {
            split(ops[s, i], w, " ")
            st[w[2]] = w[1] == "put" ? s : 0
        }
        st["seq"] = s
    }
    BEGIN {
        while ((getline l < statefile) > 0) {
            split(l, a, " ")
            st[a[1]] = a[2]
        }
        last = ("seq" in st) ? st["seq"] : 0
    }
    $1 == "begin" {
        s = $2; nops[s] = 0; mode = ""
        for (i = 3; i <= NF; i++) {
            if ($i == "put" || $i == "del") { mode = $i; continue }
            ops[s, ++nops[s]] = mode " " $i
        }
    }
    $1 == "commit" { apply($2); last = $2 }
    END {
        if (sstore == last + 1 && (sstore in nops))
            apply(sstore)
        else if (sstore != last) {
            print "error: store at commit " sstore ", last reported " last
            exit
        }
        for (k in st) print k, st[k]
    }' "$2"
}

# want_value SEQ NN VMAX: the value commit SEQ gave key kNN.
want_value() {
    awk -v s="$1" -v n="$2" -v vmax="$3" 'BEGIN {
        u = sprintf("%d.k%02d;", s, n); len = (s * 131 + n * 31) % vmax
        out = ""
        while (length(out) < len) out = out u
        printf "%s", substr(out, 1, len)
    }'
}

crash_cases() {
    kills=${KILLS:-60} keys=24 vmax=6000
    img=$tmp/crash.img state=$tmp/state
    name="SIGKILL at random moments, $kills times: check clean, every reported commit present"
    if [ ! -x "$B/bin/atoll-spt" ] || [ ! -f "$B/examples/kv.spt" ]; then
        skip "$name" "atoll-spt or examples/kv.spt not built"
        return
    fi
    "$KV" format "$img" 4M || { fail "$name" "format failed"; return; }
    : >"$state"
    total=0 inflight=0 early=0
    for round in $(seq 1 "$kills"); do
        log=$tmp/round.log
        delay=$(awk -v r="$round" 'BEGIN { srand(r * 7919 + 1);
            printf "%.3f", 0.01 + rand() * 0.3 }')
        "$B/bin/atoll-spt" --block:storage="$img" "$B/examples/kv.spt" \
            --loop=-1 --keys=$keys --batch=4 --value-max=$vmax \
            --seed=$round >"$log" 2>&1 </dev/null &
        pid=$!
        pids="$pid"
        sleep "$delay"
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        pids=""
        if grep -q '^error' "$log"; then
            fail "$name" "round $round: the unikernel failed: $(grep -m1 \
                '^error' "$log")"
            return
        fi
        n=$(grep -c '^commit' "$log")
        total=$((total + n))
        [ "$n" -eq 0 ] && early=$((early + 1))
        if ! "$KV" check -q "$img" >"$tmp/check" 2>&1; then
            fail "$name" "round $round: check: $(tr '\n' '|' <"$tmp/check" |
                cut -c 1-300)"
            cp "$img" /tmp/atoll-crash-failed.img 2>/dev/null
            return
        fi
        sstore=$("$KV" get "$img" seq 2>/dev/null || echo 0)
        next_state "$state" "$log" "$sstore" >"$tmp/state.new"
        if grep -q '^error' "$tmp/state.new"; then
            fail "$name" "round $round: $(cat "$tmp/state.new")"
            return
        fi
        last=$(awk '$1 == "seq" { print $2 }' "$tmp/state.new")
        reported=$(grep '^commit' "$log" | tail -n 1 | cut -d' ' -f2)
        [ -n "$reported" ] && [ "$sstore" != "$reported" ] &&
            inflight=$((inflight + 1))
        mv "$tmp/state.new" "$state"
        # Every key: present with the value of its last commit, or absent.
        "$KV" ls "$img" >"$tmp/ls"
        i=0
        while [ "$i" -lt "$keys" ]; do
            k=$(printf 'k%02d' "$i")
            s=$(awk -v k="$k" '$1 == k { print $2 }' "$state")
            if [ -z "$s" ] || [ "$s" = 0 ]; then
                if grep -q "^$k	" "$tmp/ls"; then
                    fail "$name" "round $round: $k should be absent"
                    return
                fi
            else
                want_value "$s" "$i" "$vmax" >"$tmp/want"
                if ! "$KV" get "$img" "$k" >"$tmp/got" 2>"$tmp/err" ||
                    ! cmp -s "$tmp/got" "$tmp/want"; then
                    fail "$name" "round $round: $k is not commit $s's value" \
                        "($(head -c 100 "$tmp/err"))"
                    return
                fi
            fi
            i=$((i + 1))
        done
    done
    pass "$name ($total commits reported, last at $last; $inflight in-flight commits found durable; $early kills before the first commit)"
}

# One small run under hvt (guests are emulated there: slow).
hvt_case() {
    name="kv unikernel on hvt: commit, then read on the host"
    if ! sh tests/lib/kvm-usable.sh; then
        skip "$name" "/dev/kvm not usable"
        return
    fi
    img=$tmp/hvt.img
    "$KV" format "$img" 1M >/dev/null
    timeout 120 "$B/bin/atoll-hvt" --block:storage="$img" \
        "$B/examples/kv.hvt" -- put greeting hvt-says-hi commit get greeting \
        >"$tmp/hvt.out" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ] || ! grep -q 'get greeting: hvt-says-hi' "$tmp/hvt.out"
    then
        fail "$name" "exit $rc: $(tail -n 3 "$tmp/hvt.out" | tr '\n' '|')"
    elif [ "$("$KV" get "$img" greeting)" != hvt-says-hi ]; then
        fail "$name" "the host does not see the value"
    elif ! "$KV" check -q "$img" >/dev/null; then
        fail "$name" "check failed"
    else
        pass "$name"
    fi
}

# ---- lib/tarkv against GNU tar --------------------------------------------

# A tree with nested folders, long names (over 100, over 255 bytes, a path
# over 1000), odd sizes, links and an empty folder.
make_tree() { # DIR
    d=$1
    mkdir -p "$d/a/b/c/d/e/f" "$d/empty dir" "$d/naïve/ünïcode"
    printf 'hello\n' >"$d/index.html"
    : >"$d/zero"
    head -c 1 /dev/urandom >"$d/a/one"
    head -c 511 /dev/urandom >"$d/a/b/511"
    head -c 512 /dev/urandom >"$d/a/b/512"
    head -c 513 /dev/urandom >"$d/a/b/c/513"
    head -c 1048579 /dev/urandom >"$d/a/b/c/d/e/f/big.bin"
    printf 'x' >"$d/naïve/ünïcode/file with spaces.txt"
    n150=$(printf '%0150d' 0 | tr 0 n)
    n250=$(printf '%0250d' 0 | tr 0 m)
    printf '150\n' >"$d/a/$n150"
    printf '250\n' >"$d/a/b/$n250"
    p=$d/long
    for i in 1 2 3 4 5; do
        p=$p/$(printf "%0200d" "$i" | tr 0 "$(echo abcde | cut -c "$i")")
    done
    mkdir -p "$p"
    head -c 3000 /dev/urandom >"$p/deep.bin"
    ln -s ../index.html "$d/a/link-to-index"
    ln -s "$n250" "$d/a/b/long-symlink"
    ln "$d/a/b/512" "$d/a/hard-512"
}

# The sorted names of everything under DIR, as tarkv names them.
tree_names() { (cd "$1" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort); }

tar_cases() {
    tc=$B/tests/storage/tarcat
    if ! command -v tar >/dev/null 2>&1; then
        skip "tar view" "no GNU tar"
        return
    fi
    if [ ! -x "$tc" ]; then
        fail "tar view" "$tc not built"
        return
    fi
    site=$tmp/site
    make_tree "$site"
    tree_names "$site" >"$tmp/names.want"
    for fmt in gnu pax; do
        ar=$tmp/site-$fmt.tar
        name="GNU tar --format=$fmt: long names, nested folders, byte for byte"
        if ! tar --format=$fmt -cf "$ar" -C "$site" . 2>"$tmp/err"; then
            fail "$name" "tar failed: $(head -c 200 "$tmp/err")"
            continue
        fi
        "$tc" "$ar" >"$tmp/list" 2>"$tmp/err" ||
            { fail "$name" "mount: $(cat "$tmp/err")"; continue; }
        cut -d' ' -f4- "$tmp/list" | sed 's/ -> .*//' | LC_ALL=C sort \
            >"$tmp/names.got"
        if ! cmp -s "$tmp/names.want" "$tmp/names.got"; then
            fail "$name" "names differ: $(diff "$tmp/names.want" \
                "$tmp/names.got" | head -n 4 | tr '\n' '|')"
            continue
        fi
        rm -rf "$tmp/out"
        mkdir "$tmp/out"
        if ! "$tc" -x "$ar" "$tmp/out" 2>"$tmp/err"; then
            fail "$name" "extract: $(cat "$tmp/err")"
        elif ! diff -r --no-dereference "$site" "$tmp/out" >"$tmp/diff" 2>&1
        then
            fail "$name" "$(head -n 3 "$tmp/diff" | tr '\n' '|')"
        else
            pass "$name"
        fi
    done
    # ustar: names up to 255 bytes through the prefix field.
    us=$tmp/us
    ud=$us/$(printf '%090d' 0 | tr 0 p)/$(printf '%060d' 0 | tr 0 q)
    mkdir -p "$ud"
    head -c 5000 /dev/urandom >"$ud/$(printf '%040d' 0 | tr 0 r)"
    name="GNU tar --format=ustar: prefix field, byte for byte"
    if tar --format=ustar -cf "$tmp/us.tar" -C "$us" . 2>"$tmp/err" &&
        rm -rf "$tmp/out" && mkdir "$tmp/out" &&
        "$tc" -x "$tmp/us.tar" "$tmp/out" 2>>"$tmp/err" &&
        diff -r "$us" "$tmp/out" >/dev/null 2>&1; then
        pass "$name"
    else
        fail "$name" "$(head -c 200 "$tmp/err")"
    fi
    # 4096-byte device blocks: data no longer block aligned.
    name="archive on a device with 4096-byte blocks"
    if tar -b 8 -cf "$tmp/b8.tar" -C "$site" . && rm -rf "$tmp/out" &&
        mkdir "$tmp/out" && "$tc" -b 4096 -x "$tmp/b8.tar" "$tmp/out" \
        2>"$tmp/err" && diff -r --no-dereference "$site" "$tmp/out" \
        >/dev/null 2>&1; then
        pass "$name"
    else
        fail "$name" "$(head -c 200 "$tmp/err")"
    fi
    # Refused at mount with a reason.
    ar=$tmp/site-gnu.tar
    size=$(stat -c %s "$ar")
    head -c $((size / 2 / 512 * 512)) "$ar" >"$tmp/cut.tar"
    "$tc" "$tmp/cut.tar" >/dev/null 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 1 ] && grep -q "truncated" "$tmp/err" &&
        pass "a truncated archive is refused" ||
        fail "a truncated archive is refused" "exit $rc: $(cat "$tmp/err")"
    cp "$ar" "$tmp/flip.tar"
    printf 'Z' | dd of="$tmp/flip.tar" bs=1 seek=1545 conv=notrunc \
        2>/dev/null
    "$tc" "$tmp/flip.tar" >/dev/null 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 1 ] && grep -q "bad header checksum at byte 1536" \
        "$tmp/err" && pass "a damaged header is refused" ||
        fail "a damaged header is refused" "exit $rc: $(cat "$tmp/err")"
    head -c 20000 /dev/urandom >"$tmp/noise.tar"
    "$tc" "$tmp/noise.tar" >/dev/null 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 1 ] && grep -q "not a tar archive" "$tmp/err" &&
        pass "random bytes are refused" ||
        fail "random bytes are refused" "exit $rc: $(cat "$tmp/err")"

    # The same archive served inside a unikernel on spt.
    name="tar view in a unikernel (spt): every file's cksum matches"
    img=$B/tests/storage/tarserve.spt
    if [ ! -f "$img" ]; then
        fail "$name" "$img not built"
        return
    fi
    timeout 60 "$B/bin/atoll-spt" --block:archive="$tmp/site-pax.tar" \
        "$img" index.html nosuch >"$tmp/serve" 2>&1
    rc=$?
    grep '^file ' "$tmp/serve" | cut -d' ' -f2- | LC_ALL=C sort \
        >"$tmp/sums.got"
    (cd "$site" && find . -type f | sed 's|^\./||' | while IFS= read -r f
    do cksum "$f"; done) | LC_ALL=C sort >"$tmp/sums.want"
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit $rc: $(tail -n 2 "$tmp/serve" | tr '\n' '|')"
    elif ! cmp -s "$tmp/sums.want" "$tmp/sums.got"; then
        fail "$name" "$(diff "$tmp/sums.want" "$tmp/sums.got" | head -n 3 |
            tr '\n' '|')"
    elif ! grep -q 'lookup index.html: 6' "$tmp/serve" ||
        ! grep -q 'lookup nosuch: none' "$tmp/serve"; then
        fail "$name" "lookups: $(grep lookup "$tmp/serve" | tr '\n' '|')"
    else
        pass "$name ($(wc -l <"$tmp/sums.got") files)"
    fi
    head -c 20480 /dev/urandom >"$tmp/noise.tar"
    timeout 60 "$B/bin/atoll-spt" --block:archive="$tmp/noise.tar" "$img" \
        >"$tmp/serve" 2>&1
    rc=$?
    [ "$rc" -eq 1 ] && grep -q '^mount: .*not a tar archive' "$tmp/serve" &&
        pass "the unikernel refuses a non-archive with the reason" ||
        fail "the unikernel refuses a non-archive with the reason" \
            "exit $rc: $(head -n 2 "$tmp/serve" | tr '\n' '|')"
}

if [ -x "$KV" ]; then
    tool_cases
    crash_cases
    hvt_case
else
    fail "atoll-kv" "$KV not built"
fi
tar_cases

[ "$fails" -eq 0 ]
