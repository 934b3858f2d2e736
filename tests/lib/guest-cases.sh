# Cases on the guest test programs (tests/guest/*.c), for any target:
# tests/guest runs them on spt, tests/hvt on hvt (on /dev/kvm, or inside
# its busybox VM). Sourced after check.sh; POSIX sh that busybox sh runs.
#
# Needs B (the build), G (the images, $G/NAME.TARGET) and tmp (a scratch
# folder). The programs used are by path where busybox would otherwise
# run an applet lacking an option (tests/hvt sets these to the host's):
#   TIME (GNU time), TIMEOUT, DATE (date +%N)

: "${TIME:=/usr/bin/time}" "${TIMEOUT:=timeout}" "${DATE:=date}"

# run TARGET [TENDER OPTIONS] IMAGE [ARGS]: output in $tmp/out, status in
# $rc, wall and CPU seconds (user + system) in $wall and $cpu.
run() {
    t=$1
    shift
    "$TIME" -f '%e %U %S' -o "$tmp/time" \
        "$TIMEOUT" 120 "$B/bin/atoll-$t" "$@" >"$tmp/out" 2>&1 </dev/null
    rc=$?
    set -- $(tail -n 1 "$tmp/time")
    wall=${1:-0}
    cpu=$(echo "${2:-0} ${3:-0}" | awk '{ print $1 + $2 }')
}

first_line() { head -n 1 "$tmp/out" | cut -c 1-160; }
now_ns() { "$DATE" +%s%N; }

# fault_text TARGET SPT-DETAIL: what the tender says of a guest fault.
# atoll-spt names the signal and the access ("atoll-spt: guest fault:
# SIGSEGV (write to read-only memory)"), as solo5-spt does; atoll-hvt the
# exception and address, so only its prefix is checked.
fault_text() {
    case $1 in
    spt) echo "atoll-spt: guest fault: $2" ;;
    *) echo "guest fault:" ;;
    esac
}

basic_cases() { # TARGET: boot, command line, exit status
    t=$1
    run "$t" "$G/hello.$t" one two three
    expect "hello ($t)" 0 "hello from $t" "argv: one two three"
    expect "canary at %fs:0x28 for default-ABI code ($t)" 0 "tls canary: ok"
    run "$t" "$G/hello.$t" exit 7 x
    expect "exit status 7 passes through ($t)" 7 "argv: exit 7 x"
    run "$t" "$G/hello.$t" exit 0
    expect "exit status 0 passes through ($t)" 0
    run "$t" "$G/hello.$t" abort
    expect "abort gives 255 ($t)" 255 "argv: abort"
}

clock_cases() { # TARGET READS
    t=$1
    before=$(now_ns)
    run "$t" "$G/clock.$t" "$2"
    after=$(now_ns)
    if expect "monotonic clock never goes backwards ($t)" 0 \
        "mono: $2 reads" "0 backwards"; then
        # The bindings never return the same value twice.
        if out_has " 0 equal"; then
            pass "monotonic clock strictly increasing ($t)"
        else
            fail "monotonic clock strictly increasing ($t)" \
                "$(grep '^mono:' "$tmp/out")"
        fi
    fi
    w=$(sed -n 's/^wall_ns=\([0-9]*\).*/\1/p' "$tmp/out")
    if [ -z "$w" ]; then
        fail "wall clock ($t)" "no wall_ns line"
    elif [ "$(echo "$w $before $after" | awk '{ print ($1 >= $2 - 1e9 &&
            $1 <= $3 + 1e9) }')" = 1 ]; then
        pass "wall clock within 1 s of the host ($t)"
    else
        fail "wall clock ($t)" "guest $w, host $before..$after"
    fi
}

# yield_case TARGET MS MAX_EXTRA_MS MAX_CPU_S [slow-boot]: the guest sleeps
# MS ms, at most MAX_EXTRA_MS more, using at most MAX_CPU_S of CPU; with
# slow-boot (nested KVM under TCG) also passing when the CPU was no more
# than the time the guest was not asleep, with 0.25 s to spare.
yield_case() {
    t=$1 ms=$2
    name="yield sleeps ${ms} ms without spinning ($t)"
    run "$t" "$G/yield.$t" "$ms"
    slept=$(sed -n 's/^slept_ns=\([0-9]*\).*/\1/p' "$tmp/out")
    if [ "$rc" -ne 0 ] || [ -z "$slept" ]; then
        fail "$name" "exit status $rc: $(tail -n 1 "$tmp/out")"
        return
    fi
    slow=0
    [ "${5:-}" = slow-boot ] && slow=1
    ok=$(echo "$slept $ms $3 $cpu $4 $wall $slow" | awk '{ d = $1 / 1e6;
        print (d >= $2 && d <= $2 + $3 &&
            ($4 <= $5 || ($7 && $4 <= $6 - d / 1e3 + 0.25))) }')
    detail="slept $((slept / 1000000)) ms, tender CPU $cpu s of $wall s"
    if [ "$ok" = 1 ]; then
        pass "$name ($detail)"
    else
        fail "$name" "$detail (limits: +$3 ms, $4 s CPU)"
    fi
}

fault_cases() { # TARGET
    t=$1
    # The runtime's own messages (lib/rt/panic.c, lib/rt/heap.c), not the
    # line the test program prints before the attack: any other abort
    # would also exit 255.
    run "$t" "$G/fault.$t" smash AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
    if expect "stack smashing caught by the canary ($t)" 255 \
        "panic: stack smashing detected"
    then
        out_has "survived" && fail "stack smashing ($t)" "survived"
    fi
    run "$t" "$G/fault.$t" text
    expect "write to text faults, SIGSEGV ($t)" 139 \
        "$(fault_text "$t" "SIGSEGV (write to read-only memory)")"
    run "$t" "$G/fault.$t" rodata
    expect "write to rodata faults, SIGSEGV ($t)" 139 \
        "$(fault_text "$t" "SIGSEGV (write to read-only memory)")"
    run "$t" "$G/fault.$t" heapexec
    expect "executing from the heap faults, SIGSEGV ($t)" 139 \
        "$(fault_text "$t" "SIGSEGV (execute from non-executable memory)")"
    run "$t" "$G/fault.$t" null
    expect "NULL dereference faults, SIGSEGV ($t)" 139 \
        "$(fault_text "$t" "SIGSEGV (read from unmapped memory)")"
    run "$t" "$G/fault.$t" heap
    if expect "heap overflow caught on free ($t)" 255 \
        "panic: heap: buffer overflow detected at 0x" \
        "chunk canary overwritten"
    then
        out_has "survived" && fail "heap overflow ($t)" "survived"
    fi
}

# The guest's console is stdout; stderr carries only the tender's lines: none
# for a clean run, the one-line report for a fault (the shell running this
# may add its own "Segmentation fault" line there).
streams_case() { # TARGET
    t=$1 name="console on stdout, only the tender's report on stderr ($1)"
    "$TIMEOUT" 60 "$B/bin/atoll-$t" "$G/hello.$t" one >"$tmp/o1" \
        2>"$tmp/o2" </dev/null
    rc1=$?
    "$TIMEOUT" 60 "$B/bin/atoll-$t" "$G/fault.$t" null >"$tmp/o3" \
        2>"$tmp/o4" </dev/null
    rc2=$?
    if [ $rc1 -ne 0 ] || ! grep -q "^hello from $t" "$tmp/o1" ||
        [ -s "$tmp/o2" ]; then
        fail "$name" "hello: status $rc1, stderr: $(head -c 200 "$tmp/o2")"
    elif [ $rc2 -ne 139 ] || ! grep -qx "fault: null" "$tmp/o3" ||
        grep -q "atoll-$t" "$tmp/o3" ||
        [ "$(grep -c "^atoll-$t: guest fault: " "$tmp/o4")" -ne 1 ] ||
        grep -q "fault: null" "$tmp/o4"; then
        fail "$name" "fault: status $rc2, stderr: $(head -c 200 "$tmp/o4" |
            tr '\n' '|')"
    else
        pass "$name"
    fi
}

param_case() { # TARGET
    t=$1
    run "$t" "$G/hello.$t" --no-such-parameter=1
    if [ "$rc" -eq 2 ] && out_has "no-such-parameter"; then
        pass "bad boot parameter refused ($t)"
    else
        fail "bad boot parameter refused ($t)" "exit status $rc, want 2" \
            "and a message naming it; output: $(first_line)"
    fi
    # A ported program's own option before the "--" that ends the boot
    # parameters: refused, saying where it goes; after "--" it is argv.
    run "$t" "$G/hello.$t" --n 3
    if [ "$rc" -eq 2 ] && out_has "unknown boot parameter '--n'" &&
        out_has "the program's own arguments go after --"; then
        pass "program option before -- gets a hint ($t)"
    else
        fail "program option before -- gets a hint ($t)" \
            "exit status $rc, want 2; output: $(first_line)"
    fi
    run "$t" "$G/hello.$t" -- --n 3
    if [ "$rc" -eq 0 ] && out_has "argv: --n 3"; then
        pass "program option after -- is argv ($t)"
    else
        fail "program option after -- is argv ($t)" \
            "exit status $rc, want 0; output: $(first_line)"
    fi
}

tls_case() { # TARGET
    run "$1" "$G/tls.$1"
    expect "thread-local variables ($1)" 0 "tls: ok"
}

block_case() { # TARGET
    t=$1 first=2 count=4
    img=$tmp/disk.img
    dd if=/dev/zero of="$img" bs=1024 count=64 2>/dev/null
    run "$t" --block:storage="$img" "$G/block.$t" $first $count
    expect "block round trip in the guest ($t)" 0 "ok: read back what was" \
        "can_flush=1" || return
    awk -v n=$((count * 512 / 16)) \
        'BEGIN { for (j = 0; j < n; j++) printf "atoll blk %05d\n", j }' \
        >"$tmp/want"
    dd if="$img" bs=512 skip=$first count=$count 2>/dev/null >"$tmp/got"
    head -c $((first * 512)) "$img" | tr -d '\000' >"$tmp/before"
    if ! cmp -s "$tmp/got" "$tmp/want"; then
        fail "block bytes in the host file ($t)" "pattern differs"
    elif [ -s "$tmp/before" ]; then
        fail "block bytes in the host file ($t)" "blocks before $first changed"
    else
        pass "block bytes in the host file ($t)"
    fi
}

# A block write past the host's file-size limit (ulimit -f) is an I/O
# error the guest sees, not a tender killed by SIGXFSZ.
fsize_case() { # TARGET
    name="block write past ulimit -f is an I/O error ($1)"
    dd if=/dev/zero of="$tmp/fsize.img" bs=1024 count=64 2>/dev/null
    rm -f "$tmp/fsize.rc"
    # Only the tender runs under the limit: this script's own output may
    # be a file already larger than it.
    (
        ulimit -f 2 || exit 0 # 1 KiB: the write at block 2 is past it
        run "$1" --block:storage="$tmp/fsize.img" "$G/block.$1" 2 4
        echo "$rc" >"$tmp/fsize.rc"
    ) >/dev/null 2>&1
    if [ ! -s "$tmp/fsize.rc" ]; then
        skip "$name" "ulimit -f not available"
        return
    fi
    rc=$(cat "$tmp/fsize.rc")
    expect "$name" 1 "bad: multi-block write" "ok: read of the last block"
}

# Floating point and SSE (tests/guest/fpu.c) and Debian's libbearssl.a
# (tests/guest/bearssl.c). An unmasked SIMD exception: atoll-spt reports
# SIGFPE, atoll-hvt vector 19 (#XM); QEMU's TCG (7.2), the CPU of tests/hvt's
# VM, raises none at all (a Linux program survives it there too).
fpu_cases() { # TARGET
    t=$1
    run "$t" "$G/fpu.$t" state
    expect "x87/SSE modes at boot and across fiber switches ($t)" 0 \
        "fpu: all 8 checks ok (state)" ||
        sed -n 's/^fpu: FAIL/    &/p' "$tmp/out"
    run "$t" "$G/fpu.$t"
    name="floating point and SSE work, %xmm and MXCSR across fibers ($t)"
    expect "$name" 0 "fpu: all 26 checks ok (all)" ||
        sed -n 's/^fpu: FAIL/    &/p' "$tmp/out"
    run "$t" "$G/fpu.$t" xm
    name="unmasked SIMD exception is reported ($t)"
    case $t in
    spt) want="atoll-spt: guest fault: SIGFPE (arithmetic exception)" ;;
    *) want="guest fault: vector 19 (#XM)" ;;
    esac
    if [ "${ATOLL_IN_VM:-}" = 1 ] && out_has "survived"; then
        skip "$name" "QEMU's TCG raises no #XM (the VM's CPU)"
    elif [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || ! out_has "$want" ||
        out_has "survived"; then
        fail "$name" "exit status $rc: $(out_tail)"
    else
        pass "$name (exit status $rc)"
    fi
    name="Debian's libbearssl.a runs in a guest ($t)"
    if [ ! -f "$G/bearssl.$t" ]; then
        skip "$name" "no libbearssl.a when this was built (libbearssl-dev)"
        return
    fi
    run "$t" "$G/bearssl.$t"
    expect "$name" 0 "bearssl: all " "bearssl: ok br_sha256" \
        "bearssl: ok br_chacha20_sse2_run" "bearssl: ok br_aes_ct64_ctr" ||
        sed -n 's/^bearssl: FAIL/    &/p' "$tmp/out"
}
