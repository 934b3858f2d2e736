#!/bin/sh
# Boot the guest test programs (tests/guest/*.c) on atoll-spt and check
# from the host side what each must show. One PASS:/FAIL:/SKIP: line per
# case; exit status 1 if anything failed. The same programs' hvt cases are
# in tests/hvt/run.sh (on /dev/kvm, or in a VM where it cannot be used).
#
# The net case
# needs root and iproute2: it makes its own network namespace with a TAP
# device in it, and removes it on exit.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
G=$B/tests/guest
. tests/lib/check.sh
scratch guest
. tests/lib/guest-cases.sh

# A fault signal sent from outside (kill -SEGV) is said to be one, not a
# guest fault, and the tender still dies of it.
outside_signal_case() {
    name="a SIGSEGV from another process is not reported as a guest fault (spt)"
    "$B/bin/atoll-spt" "$G/yield.spt" 3000 >"$tmp/o1" 2>"$tmp/o2" </dev/null &
    pid=$!
    sleep 0.5
    kill -SEGV "$pid"
    wait "$pid" 2>/dev/null # the shell's own "Segmentation fault" line
    rc=$?
    if [ $rc -eq 139 ] && grep -q "^atoll-spt: SIGSEGV from process $$ at" \
        "$tmp/o2" && ! grep -q "guest fault" "$tmp/o2"; then
        pass "$name"
    else
        fail "$name" "status $rc, stderr: $(head -c 200 "$tmp/o2" | tr '\n' '|')"
    fi
}

# net_case TARGET [PROGRAM EXPECTED NAME]: PROGRAM (default net) on a TAP
# with netpeer sending it a frame to echo; EXPECTED in its output.
net_case() {
    t=$1 prog=${2:-net} want=${3:-"net: echoed 78 bytes"}
    name=${4:-"net round trip through a TAP ($t)"}
    if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null 2>&1; then
        skip "$name" "needs root and iproute2"
        return
    fi
    ns=atoll-gt-$$
    if ! ip netns add "$ns" 2>"$tmp/err" ||
        ! ip -n "$ns" tuntap add dev tap0 mode tap 2>>"$tmp/err" ||
        ! ip -n "$ns" link set tap0 up 2>>"$tmp/err"; then
        fail "$name" "cannot set up namespace: $(head -n 1 "$tmp/err")"
        ip netns del "$ns" 2>/dev/null
        ns=""
        return
    fi
    mac=02:00:00:00:00:01
    ip netns exec "$ns" timeout 60 "$B/bin/atoll-$t" \
        --net:service=tap0 --net-mac:service=$mac "$G/$prog.$t" 1 30 \
        >"$tmp/out" 2>&1 </dev/null &
    pid=$!
    ip netns exec "$ns" "$G/netpeer" tap0 $mac >"$tmp/peer" 2>&1
    peer=$?
    wait $pid
    rc=$?
    if [ $peer -ne 0 ]; then
        fail "$name" "$(head -n 1 "$tmp/peer"); guest: $(tail -n 1 \
            "$tmp/out")"
    else
        expect "$name" 0 "$want"
    fi
    ip netns del "$ns" 2>/dev/null
    ns=""
}

# vdso_case: reading the clocks through the tender's vDSO (the extension
# ATOLL_EXT_F_SPT_VDSO_CLOCK) costs no system call; with ATOLL_SPT_VDSO=0
# the tender does not offer it and every read is one. The monotonic clock
# never stands still nor goes back either way.
vdso_case() {
    name="clocks read without system calls through the vDSO (spt)"
    if ! command -v strace >/dev/null 2>&1; then
        skip "$name" "needs strace"
        return
    fi
    ok=1
    for v in 1 0; do
        ATOLL_SPT_VDSO=$v strace -f -qq -e trace=clock_gettime -o "$tmp/st" \
            "$B/bin/atoll-spt" "$G/clock.spt" 10000 >"$tmp/out" 2>&1 </dev/null
        eval "n$v=\$(grep -c clock_gettime \"\$tmp/st\")"
        grep -q "^mono: 10000 reads, 0 equal, 0 backwards" "$tmp/out" || ok=0
    done
    if [ "$n1" -lt 100 ] && [ "$n0" -ge 10000 ] && [ $ok = 1 ]; then
        pass "$name ($n1 calls for 10000 reads; $n0 without the vDSO)"
    else
        fail "$name" "$n1 clock_gettime calls with the vDSO, $n0 without;" \
            "clocks right both ways: $ok"
    fi
}

# sandbox_case CASE allow|deny SYSCALL-NUMBER: a forbidden call is
# reported, then the tender dies of SIGSYS (159), as solo5-spt does.
sandbox_case() {
    run spt --block:storage="$tmp/sb.img" "$G/sandbox.spt" "$1"
    if [ "$2" = allow ]; then
        expect "sandbox allows $1 (spt)" 0 "sandbox: $1 returned"
    else
        expect "sandbox forbids $1 (spt)" 159 \
            "atoll-spt: guest fault: SIGSYS (system call $3 not allowed"
    fi
}

# The 32-bit entry: seccomp stops i386 getpid (SIGSYS), or, on a kernel
# without the 32-bit entry, int $0x80 is a general protection fault
# (SIGSEGV). Either way no system call went through.
int80_case() {
    name="no system call through int \$0x80 (spt)"
    run spt --block:storage="$tmp/sb.img" "$G/sandbox.spt" int80-getpid
    if out_has "int80-getpid returned"; then
        fail "$name" "it returned: $(grep returned "$tmp/out" | head -n 1)"
    elif [ "$rc" -eq 159 ] && out_has "atoll-spt: guest fault: SIGSYS \
(system call 20 not allowed by the sandbox, i386 ABI)"; then
        pass "$name: SIGSYS from seccomp, i386 getpid (20) refused"
    elif [ "$rc" -eq 139 ] && out_has \
        "atoll-spt: guest fault: SIGSEGV (general protection fault)"; then
        pass "$name: general protection fault, no 32-bit entry in this kernel"
    else
        fail "$name" "exit status $rc, want 159 (SIGSYS) or 139 (#GP): \
$(tail -n 2 "$tmp/out" | tr '\n' '|' | cut -c 1-200)"
    fi
}

# fd 2 is the tender's: the guest's write(2, ...) is a forbidden system
# call, its console (fd 1) still works, and the only line on stderr is the
# tender's report.
stderr_case() {
    name="guest cannot write to the tender's stderr (spt)"
    timeout 60 "$B/bin/atoll-spt" --block:storage="$tmp/sb.img" \
        "$G/sandbox.spt" write-fd2 >"$tmp/o1" 2>"$tmp/o2" </dev/null
    rc=$?
    if [ "$rc" -ne 159 ]; then
        fail "$name" "exit status $rc, want 159; stderr: $(head -c 200 \
            "$tmp/o2")"
    elif ! grep -qxF "sandbox: write-fd2" "$tmp/o1"; then
        fail "$name" "no console line on stdout: $(head -c 200 "$tmp/o1")"
    elif grep -q "sandbox: stderr" "$tmp/o2" ||
        [ "$(grep -c "^atoll-spt:" "$tmp/o2")" -ne 1 ] ||
        ! grep -q "^atoll-spt: guest fault: SIGSYS (system call 1 not \
allowed by the sandbox)" "$tmp/o2"; then
        fail "$name" "stderr: $(head -c 200 "$tmp/o2" | tr '\n' '|')"
    else
        pass "$name (console on stdout, SIGSYS reported on stderr)"
    fi
}

sandbox_cases() {
    dd if=/dev/zero of="$tmp/sb.img" bs=512 count=512 2>/dev/null
    sandbox_case getpid deny 39
    sandbox_case openat deny 257
    sandbox_case mmap deny 9
    sandbox_case write-fd0 deny 1
    sandbox_case write-block-fd deny 1
    sandbox_case clock-cputime deny 228
    sandbox_case arch-get-fs deny 158
    sandbox_case pread-3-blocks deny 17
    sandbox_case pread-128k deny 17
    sandbox_case pwrite-2-blocks-at-last deny 18
    sandbox_case pread-2-blocks allow
    sandbox_case pread-64k allow
    sandbox_case pread-past-end deny 17
    sandbox_case pwrite-past-end deny 18
    sandbox_case pread-last allow
    sandbox_case fdatasync allow
    sandbox_case write-fd2 deny 1
    sandbox_case clock-monotonic allow
    sandbox_case epoll-nomask allow
    sandbox_case epoll-sigmask deny 281
    int80_case
    stderr_case
}

# What the tender leaves within the guest's reach (tests/guest/entry.c,
# its own entry point): registers, the %fs and %gs bases, a planted
# environment variable.
entry_cases() {
    run spt "$G/entry.spt" regs
    expect "no tender address or state in the registers at entry (spt)" 0 \
        "entry: registers clean" "entry: rsp=0x" ||
        grep -v "registers\|xcr0=\|rsp=" "$tmp/out" | sed 's/^/    /'
    for seg in fs gs; do
        run spt "$G/entry.spt" $seg
        expect "%$seg base is 0 at entry: %$seg:0 faults at address 0 (spt)" \
            139 "atoll-spt: guest fault: SIGSEGV (read from unmapped memory)" \
            ", address 0x0"
    done
    secret="s3cr3t-$$-$(date +%N)"
    hex=$(printf 'ATOLL_SECRET_TOKEN=%s' "$secret" | od -An -tx1 | tr -d ' \n')
    export ATOLL_SECRET_TOKEN="$secret"
    run spt --mem=32 "$G/entry.spt" scan "$hex"
    expect "a planted environment variable is out of the guest's reach (spt)" \
        0 "scan: not in guest memory (32 MiB), 0 values outside it"
    # The strings themselves are wiped before the guest starts.
    name="the tender's environment is wiped before the guest runs (spt)"
    "$B/bin/atoll-spt" "$G/yield.spt" 2000 >/dev/null 2>&1 </dev/null &
    pid=$!
    unset ATOLL_SECRET_TOKEN
    sleep 0.5
    if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null |
        grep -q "$secret"; then
        fail "$name" "/proc/$pid/environ still holds it"
    elif ! grep -q '^Seccomp:[[:space:]]*2' "/proc/$pid/status" 2>/dev/null
    then
        fail "$name" "the guest was not running under seccomp after 0.5 s"
    else
        pass "$name"
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

# A 256 MiB bss that the guest barely touches must not cost the host
# 256 MiB: the tender loads file bytes only, into fresh (zero) memory.
bss_case() { # TARGET MAX_RSS_MIB
    t=$1 what="untouched bss stays off the host ($1)"
    /usr/bin/time -f '%M' -o "$tmp/rss" timeout 120 "$B/bin/atoll-$t" \
        "$G/bss.$t" >"$tmp/out" 2>&1 </dev/null
    rc=$?
    kib=$(tail -n 1 "$tmp/rss")
    expect "bss reads as zero ($t)" 0 "bss: 256 MiB, 257 reads, 0 non-zero" ||
        return
    if [ "$kib" -le $(($2 * 1024)) ]; then
        pass "$what (peak RSS $((kib / 1024)) MiB)"
    else
        fail "$what" "peak RSS $((kib / 1024)) MiB, limit $2 MiB"
    fi
}

# Atoll spt images on Solo5's own tender, when one is installed: the
# baseline interface, without the Atoll extensions (no block flush).
solo5_cases() {
    s=${SOLO5_SPT:-$(command -v solo5-spt 2>/dev/null)}
    if [ -z "$s" ] || [ ! -x "$s" ]; then
        skip "images on solo5-spt" "no solo5-spt (set SOLO5_SPT=path)"
        return
    fi
    timeout 60 "$s" "$G/hello.spt" exit 7 >"$tmp/out" 2>&1 </dev/null
    rc=$?
    expect "hello on solo5-spt" 7 "hello from spt" "argv: exit 7"
    timeout 60 "$s" "$G/yield.spt" 100 >"$tmp/out" 2>&1 </dev/null
    rc=$?
    expect "yield on solo5-spt" 0 "slept_ns="
    dd if=/dev/zero of="$tmp/disk.img" bs=1024 count=64 2>/dev/null
    timeout 60 "$s" --block:storage="$tmp/disk.img" "$G/block.spt" 2 4 \
        >"$tmp/out" 2>&1 </dev/null
    rc=$?
    expect "block without flush on solo5-spt" 0 "can_flush=0" \
        "ok: flush result matches" "ok: read back what was written"
}

# libm_case TARGET: printf/strtod/sscanf with doubles and musl's libm (m.a)
# give in a guest what glibc gives on the host.
libm_case() {
    t=$1
    name="printf %g, strtod and libm in a guest match glibc ($t)"
    if [ ! -f "$G/libm.$t" ]; then
        fail "$name" "no $G/libm.$t (m.a needs musl-dev: tests/lib/deps.sh)"
        return
    fi
    run "$t" "$G/libm.$t"
    if ! expect "$name" 0 "libm: all ok" "libm: ok sin(1)" \
        "libm: ok 20000 doubles round-trip"; then
        sed -n 's/^libm: FAIL/    &/p' "$tmp/out"
    fi
}

missing=""
for p in hello clock yield fault block net timers sandbox bss tls fpu; do
    [ -f "$G/$p.spt" ] || missing="$missing $G/$p.spt"
done
for f in "$B/bin/atoll-spt" "$G/netpeer" "$G/entry.spt" \
    /usr/bin/time; do
    [ -x "$f" ] || missing="$missing $f"
done
if [ -n "$missing" ]; then
    echo "FAIL: guest: missing (run make test-programs):$missing"
    exit 1
fi

# spt: everything.
basic_cases spt
clock_cases spt 100000
vdso_case
yield_case spt 500 150 0.1
fault_cases spt
streams_case spt
outside_signal_case
param_case spt
bss_case spt 32
tls_case spt
block_case spt
fsize_case spt
net_case spt
net_case spt timers "timers: ok" \
    "yield keeps its deadline across an armed timer, earlier and later (spt)"
sandbox_cases
entry_cases
fpu_cases spt
libm_case spt
solo5_cases

# hvt: the same properties are the hvt group's (tests/hvt/run.sh), which
# runs them on /dev/kvm where it can, else in a VM with a real KVM.

[ "$fails" -eq 0 ]
