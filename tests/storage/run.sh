#!/bin/sh
# Storage tests from the host side: the atoll-kv command, damaged images,
# crash consistency of examples/kv under SIGKILL on spt, examples/kv
# serving its store over TCP on spt (its hvt run is in tests/hvt), and
# lib/tarkv serving a tree made by GNU tar. One PASS:/FAIL:/SKIP: line per
# case; exit status 1 if anything failed.
#
# examples/kv declares a net device, so every run of it, even one that
# does not serve, needs a TAP: the script makes a network namespace with
# one (root and iproute2 needed, else those cases are skipped), runs the
# unikernel and the clients (nc, tests/storage/kvclient) inside it, and
# deletes it on exit.
#
#   KILLS=N   kill/check rounds of the crash test (default 60)
#   CASES="tool crash flush lock tcp full slow tar"   only these groups
#
# A missing artefact (atoll-kv, a tender, kv.spt, kvclient) is a FAIL: under
# `make test` it is a build failure. SKIP is left for what a machine may
# lack: root and namespaces, a usable /dev/kvm.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
KV=$B/bin/atoll-kv
KVC=$B/tests/storage/kvclient
tmp=$(mktemp -d /tmp/atoll-storage.XXXXXX)
pids=""
ns=""
tap=kvt$$
GUEST=10.0.0.2
HOST=10.0.0.1
PORT=7070
cleanup() {
    for p in $pids; do kill -9 "$p" 2>/dev/null; done
    [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
. tests/lib/check.sh
# expect looks at atoll-kv's errors too (kv below).
check_out="$tmp/out $tmp/err"

# kv ARGS...: run atoll-kv; output in $tmp/out, errors in $tmp/err,
# status in $rc.
kv() {
    "$KV" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
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
    expect "format 32M, saying what it made" 0 \
        "an empty kv store of 33554432 bytes (blocks of 512 bytes, values up to 1048576 bytes)" &&
        [ "$(stat -c %s "$img")" = 33554432 ] || fail "format size" \
        "image is $(stat -c %s "$img") bytes"
    kv format "$img" 32M
    expect "format refuses to wipe a store" 1 "already holds a kv store"
    # Not a store: say what the file holds and how to make one.
    head -c 1048576 /dev/zero >"$tmp/zero.img"
    kv ls "$tmp/zero.img"
    expect "ls of a zeroed image names it and the format command" 1 \
        "zero bytes in its first 64 KiB (never formatted); make a kv store there with: atoll kv format $tmp/zero.img SIZE"
    kv check "$tmp/zero.img"
    expect "check of a zeroed image says how to make a store" 1 \
        "make a kv store there with: atoll kv format"
    kv get "$B/examples/hello.spt" k
    expect "get from a unikernel image says it is an ELF file" 1 \
        "holds an ELF file"
    tar cf "$tmp/t.tar" -C "$tmp" zero.img
    kv ls "$tmp/t.tar"
    expect "ls of a tar archive says so" 1 "holds a tar archive"
    { printf 'ATOLLKV1\002\000\000\000'; head -c 65536 /dev/zero; } \
        >"$tmp/v2.img"
    kv ls "$tmp/v2.img"
    expect "a store of another format version is named, not to format" 1 \
        "holds an Atoll kv store of format version 2 (this atoll-kv reads version 1): use the atoll that made it"
    : >"$tmp/empty.img"
    kv ls "$tmp/empty.img"
    expect "ls of an empty file says so" 1 "holds an empty file (0 bytes)"
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

# ---- the namespace examples/kv runs in ------------------------------------

# make_ns: the namespace with the TAP $tap (HOST/24); no_ns says why not.
no_ns=""
make_ns() {
    if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null 2>&1; then
        no_ns="needs root and iproute2 for the TAP of the image's net device"
        return
    fi
    if ! ip netns add atoll-storage-$$ 2>"$tmp/ns.err"; then
        no_ns="namespace: $(head -n 1 "$tmp/ns.err")"
        return
    fi
    ns=atoll-storage-$$
    if ! { ip -n "$ns" link set lo up &&
        ip -n "$ns" tuntap add dev "$tap" mode tap &&
        ip -n "$ns" addr add $HOST/24 dev "$tap" &&
        ip -n "$ns" link set "$tap" up; } 2>"$tmp/ns.err"; then
        no_ns="namespace: $(head -n 1 "$tmp/ns.err")"
    fi
}

in_ns() { ip netns exec "$ns" "$@"; }

# start_kv TARGET IMAGE ARGS...: boot examples/kv serving IMAGE in the
# namespace; output in $tmp/guest.out, its pid in $guest (ip netns exec
# execs the tender, so that is the tender itself).
guest=""
start_kv() {
    t=$1 img=$2
    shift 2
    ip netns exec "$ns" "$B/bin/atoll-$t" --net:service="$tap" \
        --block:storage="$img" "$B/examples/kv.$t" "$@" \
        >"$tmp/guest.out" 2>&1 </dev/null &
    guest=$!
    pids="$guest"
}

# SIGKILL: committed data must survive anything.
stop_kv() {
    if [ -n "$guest" ]; then
        kill -9 "$guest" 2>/dev/null
        wait "$guest" 2>/dev/null
        guest="" pids=""
    fi
}

# Wait until the server answers PING (at most $1 seconds).
wait_kv() {
    i=0
    while [ $i -lt $(($1 * 5)) ]; do
        printf 'PING\n' | in_ns nc -N -w 1 $GUEST $PORT 2>/dev/null |
            grep -q '^PONG$' && return 0
        kill -0 "$guest" 2>/dev/null || return 1
        sleep 0.2
        i=$((i + 1))
    done
    return 1
}

guest_tail() { tail -n 3 "$tmp/guest.out" | tr '\n' '|' | cut -c 1-200; }

# ask NAME: send standard input on one connection; the replies (until the
# server closes) in $tmp/got.
ask() { in_ns nc -N -w 10 $GUEST $PORT >"$tmp/got" 2>"$tmp/nc.err"; }

# got_is NAME TEXT: the replies were exactly TEXT (printf format).
got_is() {
    printf "$2" >"$tmp/want"
    if cmp -s "$tmp/got" "$tmp/want"; then
        pass "$1"
    else
        fail "$1" "got '$(head -c 160 "$tmp/got" | tr '\n' '|')'," \
            "want '$(head -c 160 "$tmp/want" | tr '\n' '|')'"
    fi
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
        fail "$name" "atoll-spt or examples/kv.spt not built"
        return
    fi
    if [ -n "$no_ns" ]; then
        skip "$name" "$no_ns"
        return
    fi
    "$KV" format "$img" 4M >/dev/null ||
        { fail "$name" "format failed"; return; }
    : >"$state"
    total=0 inflight=0 early=0
    for round in $(seq 1 "$kills"); do
        log=$tmp/round.log
        delay=$(awk -v r="$round" 'BEGIN { srand(r * 7919 + 1);
            printf "%.3f", 0.01 + rand() * 0.3 }')
        # ip netns exec execs the tender: $! is the process to kill.
        ip netns exec "$ns" "$B/bin/atoll-spt" --net:service="$tap" \
            --block:storage="$img" "$B/examples/kv.spt" --mode=script \
            --loop=-1 --keys=$keys --batch=4 --value-max=$vmax \
            --seed=$round >"$log" 2>&1 </dev/null &
        pid=$!
        pids="$pid"
        # Round 1 must show the store opened (later rounds may die while
        # opening: recovery is killed too): the random pause starts after
        # its open line, which a loaded machine can delay past the pause.
        i=0
        while [ "$round" -eq 1 ] && [ $i -lt 100 ] &&
            ! grep -q '^open: ' "$log" 2>/dev/null; do
            sleep 0.1
            i=$((i + 1))
        done
        sleep "$delay"
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        st=$?
        pids=""
        # The workload runs until killed: any other end is a failure (a
        # guest that stopped, or refused to boot, proves nothing).
        if [ "$st" -ne 137 ]; then
            fail "$name" "round $round: the tender ended with status $st," \
                "not by the SIGKILL: $(tail -n 2 "$log" | tr '\n' '|' |
                cut -c 1-200)"
            return
        fi
        if grep -q '^error' "$log"; then
            fail "$name" "round $round: the unikernel failed: $(grep -m1 \
                '^error' "$log")"
            return
        fi
        n=$(grep -c '^commit' "$log")
        total=$((total + n))
        [ "$n" -eq 0 ] && early=$((early + 1))
        if [ "$round" -eq 1 ] && ! grep -q '^open: ' "$log"; then
            fail "$name" "round 1: the store was not opened: $(head -n 2 \
                "$log" | tr '\n' '|' | cut -c 1-200)"
            return
        fi
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
    # A test of crash consistency must have crashed a working store: most
    # kills after some commits, and many commits in all.
    after=$((kills - early))
    if [ "$after" -lt $((kills / 2)) ] || [ "$total" -lt $((kills * 5)) ]
    then
        fail "$name" "too little work to prove anything: $total commits," \
            "$after of $kills kills after the first commit (want at least" \
            "$((kills * 5)) and $((kills / 2)))"
        return
    fi
    pass "$name ($total commits reported, last at $last; $after kills after the first commit, $early before; $inflight in-flight commits found durable)"
}

# ---- a commit reaches the disk -------------------------------------------

# A process kill keeps the host's page cache, so the crash test cannot see
# a missing flush. Here strace watches the real tender: every commit the
# guest acknowledges ("commit N" on its console) must come after an
# fdatasync (or fsync) of the image's descriptor that follows every write
# to it since the commit began.
flush_case() {
    n=200
    name="strace of atoll-spt: each of $n acknowledged commits flushed the image after its writes, before the acknowledgement"
    if ! command -v strace >/dev/null 2>&1; then
        fail "$name" "no strace (tests/lib/deps.sh installs it)"
        return
    fi
    [ -n "$no_ns" ] && { skip "$name" "$no_ns"; return; }
    img=$tmp/flush.img
    "$KV" format "$img" 4M >/dev/null
    in_ns strace -f -o "$tmp/strace" -e signal=none -e trace=openat,write,pwrite64,pwritev,pwritev2,fdatasync,fsync,sync_file_range \
        "$B/bin/atoll-spt" --net:service="$tap" --block:storage="$img" \
        "$B/examples/kv.spt" --mode=script --loop=$n --keys=24 --batch=4 \
        --value-max=6000 >"$tmp/flush.out" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit status $rc: $(tail -n 2 "$tmp/flush.out" |
            tr '\n' '|' | cut -c 1-200)"
        return
    fi
    awk -v img="\"$img\"" -v want=$n '
    function fdof(call,   a) { split(call, a, /[(,)]/); return a[2] }
    $2 ~ /^openat\(/ && index($0, img) { fd = $NF }
    fd == "" { next }
    $2 ~ /^pwrite/ && fdof($2) == fd { dirty = 1; writes++ }
    $2 ~ /^(fdatasync|fsync)\(/ && fdof($2) == fd {
        if (dirty) flushed = 1
        dirty = 0; flushes++
    }
    $2 ~ /^write\(1,/ && $3 ~ /^"begin/ { flushed = 0 }
    $2 ~ /^write\(1,/ && $3 ~ /^"commit/ {
        acks++
        seq = $4
        gsub(/[^0-9]/, "", seq)
        if (dirty || !flushed) {
            print "commit " seq " acknowledged " (dirty ? "with unflushed writes" : "without a flush of its writes")
            bad = 1; exit
        }
    }
    END {
        if (bad) exit 1
        if (fd == "") { print "the image was never opened"; exit 1 }
        if (acks != want) { print acks " commits acknowledged, want " want; exit 1 }
        printf "%d writes, %d flushes of descriptor %s\n", writes, flushes, fd
    }' "$tmp/strace" >"$tmp/flush.check"
    if [ $? -eq 0 ]; then
        pass "$name ($(cat "$tmp/flush.check"))"
    else
        fail "$name" "$(head -n 1 "$tmp/flush.check")"
    fi
}

# ---- the image lock -------------------------------------------------------

# expect_refused NAME FILE PATTERN: the last command ($rc) exited 1 with one
# line in FILE matching PATTERN (grep -E).
expect_refused() {
    if [ "$rc" -ne 1 ]; then
        fail "$1" "exit status $rc, want 1: $(head -c 200 "$2")"
    elif [ "$(wc -l <"$2")" -ne 1 ] || ! grep -qE -- "$3" "$2"; then
        fail "$1" "got '$(head -c 300 "$2" | tr '\n' '|')'"
    else
        pass "$1"
    fi
}

# A tender holds an exclusive lock on its image for the guest's life;
# atoll-kv reads under a shared lock and writes under an exclusive one.
# Tenders that should be refused run under timeout: one that is not would
# serve forever.
lock_cases() {
    name="image lock"
    [ -n "$no_ns" ] && { skip "$name" "$no_ns"; return; }
    img=$tmp/lock.img
    tap2=${tap}b
    ip -n "$ns" tuntap add dev "$tap2" mode tap && ip -n "$ns" link set \
        "$tap2" up || { fail "$name" "second TAP"; return; }
    "$KV" format "$img" 4M >/dev/null
    "$KV" put "$img" before 1
    start_kv spt "$img" --ipv4=$GUEST/24
    if ! wait_kv 20; then
        fail "$name" "no PONG in 20 s: $(guest_tail)"
        stop_kv
        return
    fi
    held="in use, locked by pid $guest \(atoll-spt\)"
    kv put "$img" k v
    expect_refused "atoll kv put on the image of a running unikernel is refused, naming it" "$tmp/err" "$held: not changed"
    kv rm "$img" before
    expect_refused "atoll kv rm on a running unikernel's image is refused" "$tmp/err" "$held: not changed"
    kv format --force "$img" 4M
    expect_refused "atoll kv format --force on a running unikernel's image is refused" "$tmp/err" "$held: not changed"
    kv get "$img" before
    expect_refused "atoll kv get is refused too (the tender's lock is exclusive; the message says so)" "$tmp/err" "$held: not read \(a running unikernel holds it exclusively"
    kv check "$img"
    expect_refused "atoll kv check is refused while it runs" "$tmp/err" "$held: not read"
    for t in spt hvt; do
        in_ns timeout 10 "$B/bin/atoll-$t" --net:service="$tap2" --block:storage="$img" \
            "$B/examples/kv.$t" --ipv4=$GUEST/24 >"$tmp/t2.out" 2>&1 </dev/null
        rc=$?
        expect_refused "a second tender (atoll-$t) on the same image is refused" "$tmp/t2.out" "^atoll-$t: block file '$img' is in use: locked by pid $guest \(atoll-spt\)$"
    done
    printf 'PUT during 3\nyes\nQUIT\n' | ask
    stop_kv
    kv get "$img" during
    [ "$rc" -eq 0 ] && [ "$(cat "$tmp/out")" = yes ] &&
        "$KV" put "$img" after 2 && "$KV" check -q "$img" >/dev/null &&
        pass "once the unikernel is gone the lock is too: atoll kv reads what it wrote, and writes" ||
        fail "once the unikernel is gone the lock is too" "get: $rc $(head -c 100 "$tmp/err")"

    # atoll kv holding the lock: a put waiting for its value on standard
    # input holds it exclusively.
    mkfifo "$tmp/fifo"
    "$KV" put "$img" slow <"$tmp/fifo" >"$tmp/slow.out" 2>&1 &
    kvpid=$!
    pids="$kvpid"
    exec 7>"$tmp/fifo"
    i=0
    while [ $i -lt 50 ] && ! grep -q "FLOCK .* WRITE $kvpid " /proc/locks; do
        sleep 0.1
        i=$((i + 1))
    done
    for t in spt hvt; do
        in_ns timeout 10 "$B/bin/atoll-$t" --net:service="$tap2" --block:storage="$img" \
            "$B/examples/kv.$t" --ipv4=$GUEST/24 >"$tmp/t2.out" 2>&1 </dev/null
        rc=$?
        expect_refused "atoll-$t refuses an image atoll kv is changing, naming it" "$tmp/t2.out" "^atoll-$t: block file '$img' is in use: locked by pid $kvpid \(atoll-kv\)$"
    done
    kv get "$img" before
    expect_refused "atoll kv get refused while another atoll kv writes" "$tmp/err" "in use, locked by pid $kvpid \(atoll-kv\): not read"
    printf 'v' >&7
    exec 7>&-
    wait "$kvpid"
    rc=$?
    pids=""
    [ "$rc" -eq 0 ] && [ "$("$KV" get "$img" slow)" = v ] &&
        pass "the waiting atoll kv put then completes" ||
        fail "the waiting atoll kv put then completes" "status $rc: $(cat "$tmp/slow.out")"

    # Readers share: flock(1) holding a shared lock, as a reader would.
    flock -s "$img" sleep 30 &
    fpid=$!
    pids="$fpid"
    sleep 0.3
    kv get "$img" after
    expect "atoll kv get shares the lock with another reader" 0 2
    kv put "$img" k v
    expect_refused "atoll kv put is refused while a reader holds the lock" "$tmp/err" "in use, locked by pid [0-9]+ \((flock|sleep)\): not changed"
    in_ns timeout 10 "$B/bin/atoll-spt" --net:service="$tap2" --block:storage="$img" \
        "$B/examples/kv.spt" --ipv4=$GUEST/24 >"$tmp/t2.out" 2>&1 </dev/null
    rc=$?
    expect_refused "atoll-spt refuses an image held by flock(1) (shared)" "$tmp/t2.out" "^atoll-spt: block file '$img' is in use: locked by pid"
    kill "$fpid" 2>/dev/null
    wait "$fpid" 2>/dev/null
    pids=""
}

# ---- slow clients ------------------------------------------------------------

# 100 clients announce 1 MiB values, send a few bytes and go silent: with
# buffers for two values they must hold next to nothing, a normal PUT and
# GET beside them finish within a second, and they are cut off after the
# body deadline.
slow_case() {
    name="100 slow clients hold partial 1 MiB PUTs (--buffers=1): a 1 MiB PUT and GET beside them each within 1 s; cut off after --body-timeout=3"
    [ -n "$no_ns" ] && { skip "$name" "$no_ns"; return; }
    img=$tmp/slow.img
    "$KV" format "$img" 16M >/dev/null
    start_kv spt "$img" --ipv4=$GUEST/24 --buffers=1 --body-timeout=3
    if ! wait_kv 20; then
        fail "$name" "no PONG in 20 s: $(guest_tail)"
        stop_kv
        return
    fi
    if (ulimit -n 4096 && in_ns "$KVC" slow $GUEST $PORT 100 1048576 3) \
        >"$tmp/slow.out" 2>&1; then
        pass "$name ($(sed 's/^ok: 100 slow PUTs held; //' "$tmp/slow.out"))"
    else
        fail "$name" "$(tail -n 1 "$tmp/slow.out"); guest: $(guest_tail)"
    fi
    { printf 'PUT x 1\n'; sleep 6; } | in_ns nc -w 10 $GUEST $PORT \
        >"$tmp/got" 2>"$tmp/nc.err"
    got_is "a value that does not come: ERR after --body-timeout, then closed" \
        'ERR the value did not arrive within 3 s\n'
    stop_kv
    in_ns "$B/bin/atoll-spt" --net:service="$tap" --block:storage="$img" \
        "$B/examples/kv.spt" --help >"$tmp/help" 2>&1
    grep -q -- '--body-timeout=INT .*(default: 10,' "$tmp/help" &&
        pass "--body-timeout defaults to 10 s" ||
        fail "--body-timeout defaults to 10 s" "$(grep -- --body "$tmp/help")"
}

# ---- examples/kv over TCP (spt) ------------------------------------------

# want_file: the exact replies expected, from standard input.
want_file() { cat >"$tmp/want"; }

# got_want NAME: the replies were $tmp/want byte for byte.
got_want() {
    if cmp -s "$tmp/got" "$tmp/want"; then
        pass "$1"
    else
        fail "$1" "got '$(head -c 200 "$tmp/got" | tr '\n' '|')'," \
            "want '$(head -c 200 "$tmp/want" | tr '\n' '|')'"
    fi
}

tcp_cases() {
    img=$tmp/tcp.img
    name="kv serves over TCP (spt)"
    if [ -n "$no_ns" ]; then
        skip "$name" "$no_ns"
        return
    fi
    if ! command -v nc >/dev/null 2>&1; then
        fail "$name" "no nc (netcat-openbsd; tests/lib/deps.sh installs it)"
        return
    fi
    if [ ! -f "$B/examples/kv.spt" ] || [ ! -x "$KVC" ]; then
        fail "$name" "examples/kv.spt or $KVC not built"
        return
    fi
    "$KV" format "$img" 64M >/dev/null
    start_kv spt "$img" --ipv4=$GUEST/24
    if ! wait_kv 20; then
        fail "$name" "no PONG in 20 s: $(guest_tail)"
        stop_kv
        return
    fi

    printf 'PUT greeting 12\nhello, world\nGET greeting\nQUIT\n' | ask
    got_is "PUT then GET with nc" 'OK\nVALUE 12\nhello, world\nBYE\n'
    printf 'PUT gone 1\nx\nDEL gone\nGET gone\nDEL gone\n' | ask
    got_is "DEL, then GET and DEL of the deleted key" \
        'OK\nOK\nNOTFOUND\nNOTFOUND\n'
    printf 'put dos 2\r\nab\r\nget dos\r\nlist do\r\n' | ask
    got_is "CR LF line ends, lower-case commands" \
        'OK\nVALUE 2\nab\nKEY dos 2\nEND 1\n'

    # The store's largest value, random bytes, under a key with a space,
    # a NUL, a % and a newline in it (%XX escapes).
    k='big%20one%00%25%0A'
    head -c 1048576 /dev/urandom >"$tmp/big"
    { printf 'PUT %s 1048576\n' "$k"; cat "$tmp/big"
      printf '\nGET %s\nLIST big\n' "$k"; } | ask
    { printf 'OK\nVALUE 1048576\n'; cat "$tmp/big"
      printf '\nKEY %s 1048576\nEND 1\n' "$k"; } | want_file
    got_want "1 MiB of random bytes under an escaped key: PUT, GET byte for byte, LIST"

    printf 'BEGIN\nPUT b1 2\nv1\nPUT b2 2\nv2\nDEL gone\nGET b1\nCOMMIT\nGET b2
BEGIN\nPUT b3 1\nx\nROLLBACK\nGET b3\n' | ask
    got_is "BEGIN ... COMMIT applies a batch at COMMIT; ROLLBACK drops one" \
        'OK\nQUEUED\nQUEUED\nQUEUED\nNOTFOUND\nOK 3\nVALUE 2\nv2\nOK\nQUEUED\nOK\nNOTFOUND\n'

    # Bad requests: an error line each, the connection carries on.
    long=$(printf '%0256d' 0)
    printf 'FROB x\nGET\nGET a b\nGET bad\001key\nGET %%zz\nGET %s
LIST a b\nCOMMIT\nROLLBACK\nBEGIN\nBEGIN\nPING\n' "$long" | ask
    want_file <<EOF
ERR unknown command 'FROB' (GET PUT DEL LIST BEGIN COMMIT ROLLBACK STATS PING QUIT)
ERR usage: GET KEY
ERR usage: GET KEY
ERR bad key 'bad%01key': bytes other than printable ASCII must be written %XX
ERR bad key '%25zz': '%' must be followed by two hex digits
ERR bad key '$(printf '%040d' 0)...': longer than 255 bytes
ERR usage: LIST [PREFIX]
ERR no batch to commit (BEGIN starts one)
ERR no batch to roll back
OK
ERR already in a batch
PONG
EOF
    got_want "bad commands, arguments and keys get an error line each"

    # Lost framing: an error line, then the server closes the connection.
    { printf 'PUT big2 2097152\n'; head -c 2097152 /dev/urandom
      printf '\nPING\n'; } | ask
    got_is "a 2 MiB value: an error line, then closed" \
        'ERR value too large: 2097152 bytes, the most is 1048576\n'
    head -c 100000 /dev/zero | tr '\0' a | ask
    got_is "an overlong line: an error line, then closed" \
        'ERR line too long (the most is 1024 bytes)\n'
    printf 'PUT k 5\nabcdefg\nPING\n' | ask
    got_is "a value not followed by a newline: an error line, then closed" \
        'ERR the 5 bytes of the value must be followed by a newline\n'
    printf 'PUT k five\nabcde\nPING\n' | ask
    got_is "a bad value length: an error line, then closed" \
        "ERR bad value length 'five'\n"
    head -c 300000 /dev/urandom | ask
    if [ -s "$tmp/got" ] && ! grep -qav '^ERR ' "$tmp/got"; then
        pass "300 kB of random bytes: error lines only ($(wc -l \
            <"$tmp/got") of them)"
    else
        fail "300 kB of random bytes: error lines only" \
            "$(grep -av '^ERR ' "$tmp/got" | head -c 100)"
    fi
    printf 'GET big2\nGET k\nPING\n' | ask
    got_is "after the bad input the server answers, nothing was stored" \
        'NOTFOUND\nNOTFOUND\nPONG\n'

    name="20 concurrent clients: puts, gets, dels and batches, every value checked"
    if in_ns "$KVC" load $GUEST $PORT 20 300 "$tmp/load" >"$tmp/load.out" \
        2>&1; then
        pass "$name ($(sed 's/^ok: 20 clients, //' "$tmp/load.out"))"
    else
        fail "$name" "$(tail -n 1 "$tmp/load.out"); guest: $(guest_tail)"
    fi

    name="1500 connections at once (--max-conns 1024): PONG or an error line each"
    if (ulimit -n 8192 && in_ns "$KVC" flood $GUEST $PORT 1500) \
        >"$tmp/flood.out" 2>&1; then
        pong=$(sed -n 's/.*: \([0-9]*\) PONG.*/\1/p' "$tmp/flood.out")
        if [ "${pong:-0}" -ge 1 ] && [ "$pong" -le 1024 ] && wait_kv 5; then
            pass "$name ($(sed 's/^ok: 1500 connections: //' \
                "$tmp/flood.out"))"
        else
            fail "$name" "$(cat "$tmp/flood.out"); guest: $(guest_tail)"
        fi
    else
        fail "$name" "$(tail -n 1 "$tmp/flood.out"); guest: $(guest_tail)"
    fi
    stop_kv

    name="atoll-kv on the image afterwards agrees with what the clients wrote"
    if ! "$KV" check -q "$img" >"$tmp/check" 2>&1; then
        fail "$name" "check: $(tr '\n' '|' <"$tmp/check" | cut -c 1-200)"
    elif [ ! -f "$tmp/load/ls" ]; then
        fail "$name" "the clients failed"
    elif ! "$KV" ls "$img" c >"$tmp/ls" 2>&1 ||
        ! cmp -s "$tmp/ls" "$tmp/load/ls"; then
        fail "$name" "ls differs: $(diff "$tmp/load/ls" "$tmp/ls" |
            head -n 3 | tr '\n' '|')"
    else
        bad=""
        while IFS='	' read -r key file; do
            "$KV" get "$img" "$key" >"$tmp/v" 2>&1 &&
                cmp -s "$tmp/v" "$file" || bad="$bad $key"
        done <"$tmp/load/gets"
        if [ -n "$bad" ]; then
            fail "$name" "values differ:$(echo "$bad" | cut -c 1-100)"
        else
            pass "$name (check clean, $(wc -l <"$tmp/ls") keys, every value)"
        fi
    fi

    # Killed with SIGKILL above; the same image again, with room for two
    # values in flight.
    name="after SIGKILL, a restart on the same image serves the committed data"
    start_kv spt "$img" --ipv4=$GUEST/24 --idle=2 --buffers=1
    if ! wait_kv 20; then
        fail "$name" "no PONG in 20 s: $(guest_tail)"
        stop_kv
        return
    fi
    printf 'GET greeting\nGET %s\nGET b1\nGET gone\n' "$k" | ask
    { printf 'VALUE 12\nhello, world\nVALUE 1048576\n'; cat "$tmp/big"
      printf '\nVALUE 2\nv1\nNOTFOUND\n'; } | want_file
    got_want "$name"

    name="8 clients PUT and GET 1 MiB values at once with buffers for two (--buffers=1)"
    if in_ns "$KVC" bench $GUEST $PORT 8 1 1048576 >"$tmp/bench.out" 2>&1
    then
        printf 'STATS\n' | ask
        if ! grep -q ' buffer_waits=[1-9]' "$tmp/got"; then
            fail "$name" "no request waited for a buffer: $(cat "$tmp/got")"
        else
            pass "$name ($(sed 's/^ok: 8 connections, 1048576-byte values: //' \
                "$tmp/bench.out"), $(grep -o 'buffer_waits=[0-9]*' \
                "$tmp/got"))"
        fi
    else
        fail "$name" "$(tail -n 1 "$tmp/bench.out"); guest: $(guest_tail)"
    fi

    name="an idle connection is closed after --idle=2 seconds"
    t0=$(date +%s)
    in_ns nc -d -w 30 $GUEST $PORT </dev/null >/dev/null 2>&1
    t=$(($(date +%s) - t0))
    if [ "$t" -ge 1 ] && [ "$t" -le 5 ]; then
        pass "$name (after ${t} s)"
    else
        fail "$name" "closed after $t s"
    fi
    stop_kv
    if grep -qa 'panic' "$tmp/guest.out"; then
        fail "kv server output" "$(grep -a -m1 panic "$tmp/guest.out")"
    fi
}

# A store too small for what the clients send: ERR no space, nothing
# damaged, the server carries on.
full_case() {
    name="a full store answers ERR no space; what was answered OK stays, check clean"
    [ -n "$no_ns" ] && return # tcp_cases said why
    img=$tmp/full.img
    "$KV" format "$img" 12M >/dev/null
    start_kv spt "$img" --ipv4=$GUEST/24
    if ! wait_kv 20; then
        fail "$name" "no PONG in 20 s: $(guest_tail)"
        stop_kv
        return
    fi
    head -c 1048576 /dev/urandom >"$tmp/v1m"
    { for i in $(seq 10 29); do
          printf 'PUT f%s 1048576\n' "$i"; cat "$tmp/v1m"; printf '\n'
      done
      printf 'PING\n'; } | ask
    cp "$tmp/got" "$tmp/full.got"
    ok=$(grep -c '^OK$' "$tmp/full.got")
    full=$(grep -c '^ERR no space: the store is full$' "$tmp/full.got")
    printf 'GET f10\n' | ask
    { printf 'VALUE 1048576\n'; cat "$tmp/v1m"; printf '\n'; } | want_file
    stop_kv
    if [ "$ok" -lt 1 ] || [ "$full" -lt 1 ] || [ $((ok + full)) -ne 20 ] ||
        [ "$(tail -n 1 "$tmp/full.got")" != PONG ]; then
        fail "$name" "$ok OK, $full no space of 20: $(sort "$tmp/full.got" |
            uniq -c | tr '\n' '|' | cut -c 1-200)"
    elif ! cmp -s "$tmp/got" "$tmp/want"; then
        fail "$name" "GET f10 after the store filled: $(head -c 80 \
            "$tmp/got" | tr '\n' '|')"
    elif ! "$KV" check -q "$img" >"$tmp/check" 2>&1; then
        fail "$name" "check: $(tr '\n' '|' <"$tmp/check" | cut -c 1-200)"
    elif [ "$("$KV" ls "$img" | wc -l)" -ne "$ok" ]; then
        fail "$name" "$ok answered OK, $("$KV" ls "$img" | wc -l) keys"
    else
        pass "$name ($ok OK, then $full ERR)"
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
        fail "tar view" "no GNU tar (Debian's tar package)"
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

# CASES="tool lock ..." runs only those groups (all by default).
want() {
    [ -z "${CASES:-}" ] && return 0
    case " $CASES " in *" $1 "*) return 0 ;; esac
    return 1
}

make_ns
if [ ! -x "$KV" ]; then
    fail "atoll-kv" "$KV not built"
elif [ -z "$no_ns" ] && { [ ! -x "$B/bin/atoll-spt" ] ||
    [ ! -x "$B/bin/atoll-hvt" ] || [ ! -f "$B/examples/kv.spt" ] ||
    [ ! -f "$B/examples/kv.hvt" ] || [ ! -x "$KVC" ]; }; then
    fail "kv unikernel cases" "a tender, examples/kv.spt or .hvt or $KVC not built"
    want tool && tool_cases
else
    want tool && tool_cases
    want crash && crash_cases
    want flush && flush_case
    want lock && lock_cases
    want tcp && tcp_cases
    want full && full_case
    want slow && slow_case
fi
want tar && tar_cases

[ "$fails" -eq 0 ]
