#!/bin/sh
# Tests of atoll-hvt and the hvt bindings, from outside and from inside a
# guest (hvt-probe, which uses the bindings alone). Installed as
# build/tests/unit/hvt-tender by tests/tender/hvt/module.mk; run from the
# repository root. One PASS:/FAIL:/SKIP: line per case.
set -u
B=${B:-build}
HVT=$B/bin/atoll-hvt
PROBE=$B/tests/hvt/hvt-probe.hvt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/lib/check.sh

# ---- refused images: checked before /dev/kvm is opened ----------------
echo "not an image" >"$tmp/text"
expect_run "hvt refuses a file that is not ELF" 1 "~atoll-hvt: .*text: " -- \
    "$HVT" "$tmp/text"
head -c 2000 "$PROBE" >"$tmp/short"
expect_run "hvt refuses a truncated image" 1 "~atoll-hvt: .*short: " -- \
    "$HVT" "$tmp/short"
# The same image with the ABI note's target changed from hvt (1) to spt (2).
off=$(readelf -SW "$PROBE" |
    awk '{ for (i = 1; i < NF; i++) if ($i == ".note.solo5.abi") print $(i + 3) }')
cp "$PROBE" "$tmp/spt"
printf '\002' | dd of="$tmp/spt" bs=1 seek=$((0x$off + 20)) conv=notrunc \
    2>/dev/null
expect_run "hvt refuses an image built for another target" 1 \
    "~atoll-hvt: .*spt: built for spt .*not hvt" -- "$HVT" "$tmp/spt"
expect_run "hvt refuses --mem above 4096" 2 "~--mem" -- \
    "$HVT" --mem=8192 "$PROBE" hello
expect_run "hvt refuses an image whose device is not attached" 1 "~storage" -- \
    "$HVT" --mem=8 "$PROBE" hello
expect_run "hvt --version names the ABI" 0 "~hvt ABI version 2" -- \
    "$HVT" --version

if ! why=$(sh tests/lib/kvm-usable.sh --why); then
    echo "SKIP: hvt guest runs: no usable /dev/kvm: $why (tests/hvt runs them in a VM)"
    [ "$fails" -eq 0 ]
    exit
fi

# ---- guest runs --------------------------------------------------------
truncate -s 64K "$tmp/disk"
run() { "$HVT" --mem=8 --block:storage="$tmp/disk" "$PROBE" "$@"; }

expect_run "hvt boots a guest and prints its console output" 0 \
    "~^hello from hvt-probe$" -- run hello
expect_run "guest exit status passes through" 7 "" -- run exit 7
expect_run "guest abort exits 255" 255 "" -- run abort
expect_run "command line reaches the guest" 3 "~unknown or failed check: nosuch a b$" \
    -- run nosuch a b

# In-guest checks print their own PASS/FAIL lines.
for c in clock tls block heap idt "drift 500"; do
    run $c >"$tmp/out" 2>&1
    rc=$?
    grep -E '^(PASS|FAIL): ' "$tmp/out"
    grep -q '^FAIL: ' "$tmp/out" && fails=$((fails + 1))
    [ "$rc" -eq 0 ] || fail "probe $c" "exit status $rc: $(tail -n 2 "$tmp/out")"
done

# W^X and unmapped low memory: each access is a #PF the tender reports,
# then dies of the signal a process gets for it (139 SIGSEGV, 132 SIGILL,
# 159 SIGSYS), as atoll-spt does.
text=$(printf '0x%x' "$(readelf -lW "$PROBE" |
    awk '$1 == "LOAD" { print $3; exit }')")
expect_run "writing text faults (W^X)" 139 \
    "~guest fault: vector 14 \(#PF\) at rip=0x[0-9a-f]+( <[^>]*>)?( \([^)]*\))?, fault address $text, error code 0x3" \
    -- run write-text
gap=$(nm "$PROBE" | awk '$3 == "_etext" { print "0x" $1 }')
expect_run "writing the gap after text faults" 139 \
    "~guest fault: vector 14 \(#PF\) .*fault address $(printf '0x%x' "$gap"), error code 0x3" \
    -- run write-gap
expect_run "writing rodata faults" 139 \
    "~guest fault: vector 14 \(#PF\) .*error code 0x3" -- run write-rodata
expect_run "executing data faults (NX)" 139 \
    "~guest fault: vector 14 \(#PF\) .*error code 0x11" -- run exec-data
expect_run "page zero is not mapped" 139 \
    "~guest fault: vector 14 \(#PF\) .*fault address 0x8, error code 0x0" \
    -- run read-null
expect_run "page tables are not mapped" 139 \
    "~guest fault: vector 14 \(#PF\) .*fault address 0x2000," \
    -- run read-pagetable
expect_run "boot info is read-only" 139 \
    "~guest fault: vector 14 \(#PF\) .*fault address 0x10000, error code 0x3" \
    -- run write-bootinfo
expect_run "invalid opcode is reported (SIGILL)" 132 "~guest fault: vector 6 \(#UD\)" \
    -- run ud2
expect_run "the IDT is read-only" 139 \
    "~guest fault: vector 14 \(#PF\) .*error code 0x3" -- run write-idt
expect_run "triple fault is reported with rip" 139 \
    "~triple fault.*rip=0x[0-9a-f]+" -- run triple-fault

# What KVM cannot emulate here (SSE) is named, not just "internal error".
# Where KVM runs the guest natively the instruction simply works.
name="an instruction KVM cannot emulate is reported"
# emulation_named LABEL BYTES: $tmp/out and $rc are atoll-hvt's report
# of an instruction KVM could not emulate, starting with BYTES.
emulation_named() {
    if [ "$rc" -eq 132 ] && grep -Eq \
        "could not emulate the guest instruction at rip=0x[0-9a-f]+( <[^>]*>)?( \([^)]*\))? \(bytes $2" \
        "$tmp/out"; then
        pass "$1"
    else
        fail "$1" "exit status $rc: $(head -c 300 "$tmp/out")"
    fi
}
run sse >"$tmp/out" 2>&1
rc=$?
fep=$(cat /sys/module/kvm/parameters/force_emulation_prefix 2>/dev/null)
if [ "$rc" -ne 3 ]; then
    emulation_named "$name" "66 0f ef c0"
elif [ -z "$fep" ] || [ "$fep" = 0 ] || [ "$fep" = N ]; then
    echo "SKIP: $name: this KVM runs SSE natively (and kvm.force_emulation_prefix is off)"
else
    # Native SSE: the forced-emulation prefix (tests/vm sets it) makes KVM
    # emulate iretq, which its emulator cannot carry out in long mode.
    run emulate-forced >"$tmp/out" 2>&1
    rc=$?
    emulation_named "$name (forced emulation)" "48 cf"
fi

# Guest-supplied addresses are checked.
expect_run "hypercall argument outside memory ends the guest" 139 \
    "~argument at 0xfffffff0 is outside guest memory" -- run bad-address
expect_run "hypercall buffer outside memory ends the guest" 139 \
    "~buffer 0xffff0000\+0x100000 is outside guest memory" -- run bad-buffer
expect_run "unknown port ends the guest (SIGSYS)" 159 "~bad port access \(port 0x5ff" \
    -- run bad-port

# Net: ARP with the host over a TAP, in a network namespace of our own.
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
    command -v ip >/dev/null; then
    unshare -n sh -c '
        ip link set lo up &&
        ip tuntap add dev tap0 mode tap &&
        ip addr add 10.0.0.1/24 dev tap0 &&
        ip link set tap0 up &&
        "$1" --mem=8 --net:service=tap0 "$2" net' sh "$HVT" \
        "$B/tests/hvt/hvt-probe-net.hvt" >"$tmp/out" 2>&1
    rc=$?
    grep -E '^(PASS|FAIL): ' "$tmp/out"
    grep -q '^FAIL: ' "$tmp/out" && fails=$((fails + 1))
    [ "$rc" -eq 0 ] || fail "probe net" "exit status $rc: $(tail -n 2 "$tmp/out")"
else
    echo "SKIP: hvt net over a TAP: needs root, unshare and ip"
fi

# The sandbox is in force while the guest runs, and yield does not spin:
# the tender's CPU ticks (1/100 s) between 1 s and 2 s after its start,
# when the guest, booted, sleeps in one 2.5 s yield; a spinning guest
# takes nearly all of that second. The window leaves the boot out, which
# is slow where KVM is emulated (tests/hvt's VM).
"$HVT" --mem=8 --block:storage="$tmp/disk" "$PROBE" sleep 2500 \
    >/dev/null 2>&1 &
pid=$!
sleep 0.3
mode=$(awk '/^Seccomp:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
sleep 0.7
t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null)
sleep 1
t2=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null)
wait $pid
rc=$?
if [ "$rc" -eq 0 ] && [ "$mode" = 2 ]; then
    pass "seccomp filter installed before the guest runs"
else
    fail "seccomp filter installed before the guest runs" "status $rc, Seccomp: ${mode:-?}"
fi
if [ -n "$t1" ] && [ -n "$t2" ] && [ $((t2 - t1)) -le 15 ]; then
    pass "a sleeping guest does not spin the host CPU ($((t2 - t1)) ticks in 1 s)"
else
    fail "a sleeping guest does not spin the host CPU" \
        "${t1:-?} -> ${t2:-?} CPU ticks from 1 s to 2 s (limit 15)"
fi
[ "$fails" -eq 0 ]
