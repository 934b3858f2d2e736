#!/bin/sh
# The virtio target under QEMU TCG (qemu-system-x86_64 -accel tcg, so on
# every machine): the image's two entries, boot on microvm and q35, the
# command line, exit statuses, the security properties and the clocks of
# bindings/virtio. One QEMU boot per case. The device drivers' cases are
# in tests/virtio/net*.sh and block*.sh, run from here when present.
#
# Exit statuses come through isa-debug-exit (bindings/virtio/README.md):
# the guest's byte s makes QEMU exit with (s << 1) | 1; abort is s = 127.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
V=$B/tests/virtio
QEMU=${QEMU:-qemu-system-x86_64}
tmp=$(mktemp -d /tmp/atoll-virtio.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
. tests/lib/check.sh

if ! command -v "$QEMU" >/dev/null 2>&1; then
    skip "virtio" "no $QEMU (Debian package qemu-system-x86)"
    exit 0
fi
for p in hello fault clock yield bootinfo overflow irq; do
    if [ ! -f "$V/$p.virtio" ]; then
        fail "virtio" "$V/$p.virtio missing (make B=$B test-programs)"
        exit 1
    fi
done

# qrun MACHINE IMAGE [ARGS...]: boot IMAGE on QEMU's MACHINE with ARGS as
# its command line. Console in $tmp/out (without the serial line's \r),
# QEMU's status in $rc, the guest's (decoded) in $st ("none" if QEMU did
# not exit through isa-debug-exit), wall and CPU seconds in $wall, $cpu.
# QEXTRA: more QEMU options (split at spaces).
qrun() {
    m=$1 img=$2
    shift 2
    /usr/bin/time -f '%e %U %S' -o "$tmp/time" \
        timeout 60 "$QEMU" -M "$m" -accel tcg -m 128 -display none \
        -nodefaults -no-user-config -no-reboot -serial stdio \
        -device isa-debug-exit,iobase=0x501,iosize=2 ${QEXTRA:-} \
        -kernel "$img" -append "$*" </dev/null 2>&1 | tr -d '\r' >"$tmp/out"
    rc=$(sed -n 's/^Command exited with non-zero status \([0-9]*\)$/\1/p' \
        "$tmp/time")
    rc=${rc:-0}
    if [ $((rc % 2)) -eq 1 ]; then st=$((rc >> 1)); else st=none; fi
    set -- $(tail -n 1 "$tmp/time")
    wall=${1:-0}
    cpu=$(echo "${2:-0} ${3:-0}" | awk '{ print $1 + $2 }')
}

# expect NAME STATUS [TEXT...]: the guest exited with STATUS and printed
# every TEXT.
expect() {
    expect_as "guest status $st (QEMU $rc)" "$st" "$@"
}

# ---- the image: a PVH note and a multiboot header ---------------------
img=$V/hello.virtio
if readelf -n "$img" 2>/dev/null | grep -q 'Xen .*(0x00000012)'; then
    pass "image has the PVH entry note (Xen, XEN_ELFNOTE_PHYS32_ENTRY)"
else
    fail "image has the PVH entry note" "readelf -n shows no Xen note 18"
fi
# The multiboot header: magic, flags, checksum at a 4-byte aligned offset
# in the first 8 KiB, summing to 0 mod 2^32. mb_off: its byte offset.
mb_off=$(od -A n -t x4 -v -N 8192 "$img" | tr -s ' \n' '\n\n' | grep . |
    awk '{ w[NR - 1] = $1 } END {
        for (i = 0; i + 2 < NR; i++)
            if (w[i] == "1badb002") {
                s = (strtonum("0x" w[i]) + strtonum("0x" w[i + 1]) +
                     strtonum("0x" w[i + 2])) % 4294967296
                if (s == 0) { print i * 4; exit }
            }
    }' 2>/dev/null)
if [ -z "$mb_off" ]; then
    # mawk has no strtonum: the same check in shell arithmetic.
    mb_off=$(od -A n -t x4 -v -N 8192 "$img" | tr -s ' \n' '\n\n' | grep . |
        awk '{ print NR - 1, $1 }' | while read -r i w; do
            if [ "$w" = 1badb002 ]; then
                echo "$i"
            fi
        done | head -n 1)
    if [ -n "$mb_off" ]; then
        set -- $(od -A n -t u4 -v -j $((mb_off * 4)) -N 12 "$img")
        if [ $((($1 + $2 + $3) % 4294967296)) -eq 0 ]; then
            mb_off=$((mb_off * 4))
        else
            mb_off=""
        fi
    fi
fi
if [ -n "$mb_off" ]; then
    pass "image has a multiboot header in its first 8 KiB (at $mb_off)"
else
    fail "image has a multiboot header" "no valid one in the first 8 KiB"
fi
# The a.out kludge loads the file flat: every PT_LOAD at the same
# p_vaddr - p_offset.
deltas=$(readelf -lW "$img" | awk '$1 == "LOAD" {
    print strtonum($3) - strtonum($2) }' 2>/dev/null | sort -u | wc -l)
[ "$deltas" = 0 ] && deltas=$(readelf -lW "$img" | awk '$1 == "LOAD" {
    print $2, $3 }' | while read -r o v; do echo $((v - o)); done |
    sort -u | wc -l)
if [ "$deltas" -eq 1 ]; then
    pass "image segments are laid out flat (one p_vaddr - p_offset)"
else
    fail "image segments are laid out flat" "$deltas different offsets"
fi

# The same programs with the multiboot magic zeroed: only PVH is left.
pvh_copy() { # IMAGE OUT
    cp "$1" "$2"
    printf '\000\000\000\000' |
        dd of="$2" bs=1 seek="$mb_off" conv=notrunc status=none
}

# ---- boot, command line, exit status ----------------------------------
qrun microvm "$V/hello.virtio" one two three
expect "hello on microvm: console, argv" 0 "hello from virtio" \
    "argv: one two three" "tls canary: ok"
qrun q35 "$V/hello.virtio" exit 7 x --log=debug
expect "hello on q35: exit status 7 passes through, boot parameter" 7 \
    "argv: exit 7 x" "debug: boot: virtio, 3 argument(s)"
qrun microvm "$V/hello.virtio" exit 200
expect "exit status 200 clamps to 127 (microvm)" 127 "argv: exit 200"
# Loaders read the file's bytes up to load_end_addr: a stripped image
# (nothing after the data) must still hold them all.
strip -o "$tmp/hello-stripped.virtio" "$V/hello.virtio"
qrun q35 "$tmp/hello-stripped.virtio" stripped
expect "a stripped image boots (q35, multiboot)" 0 "argv: stripped"
qrun microvm "$V/hello.virtio" abort
expect "abort gives status 127 (microvm)" 127 "argv: abort"
qrun q35 "$V/hello.virtio" one --no-such-parameter=1
if [ "$st" = 2 ] && [ "$(grep -c . "$tmp/out")" -eq 1 ] &&
    out_has "no-such-parameter"; then
    pass "bad boot parameter refused with one line and status 2 (q35)"
else
    fail "bad boot parameter refused" "status $st, want 2 and one line:" \
        "$(out_tail)"
fi

# ---- exit without isa-debug-exit ------------------------------------------
# plain_run "QEMU OPTIONS" ARGS...: hello without isa-debug-exit and (unless
# the options say -no-reboot) with reboots allowed, at most 10 s. A guest
# that powers off ends QEMU with 0 after one boot; one that resets instead
# boots again and again, one that only halts never ends.
plain_run() {
    opts=$1
    shift
    { timeout 10 "$QEMU" $opts -accel tcg -m 128 -display none -nodefaults \
        -no-user-config -serial stdio -kernel "$V/hello.virtio" \
        -append "$*" </dev/null 2>&1; echo $? >"$tmp/rc"; } |
        tr -d '\r' >"$tmp/out"
    rc=$(cat "$tmp/rc")
}
plain_case() { # NAME "QEMU OPTIONS"
    plain_run "$2" exit 3
    boots=$(grep -c '^argv: exit 3$' "$tmp/out")
    if [ "$rc" = 0 ] && [ "$boots" -eq 1 ]; then
        pass "$1"
    else
        fail "$1" "QEMU status $rc (124: still running at 10 s)," \
            "$boots boots: $(out_tail)"
    fi
}
plain_case "exit without isa-debug-exit powers off through ACPI S5 (q35)" \
    "-M q35"
plain_case "exit without isa-debug-exit powers off through ACPI S5 \
(microvm: sleep control register)" "-M microvm"
plain_case "exit without ACPI resets through the i8042 (pc, -no-acpi -no-reboot)" \
    "-M pc -no-acpi -no-reboot"

# ---- both entries -------------------------------------------------------
if [ -n "$mb_off" ]; then
    pvh_copy "$V/bootinfo.virtio" "$tmp/bootinfo-pvh.virtio"
    for m in microvm q35; do
        qrun "$m" "$V/bootinfo.virtio" a b
        expect "QEMU -kernel takes the multiboot entry when both exist ($m)" \
            0 "entry: multiboot" "cmdline: a b"
        qrun "$m" "$tmp/bootinfo-pvh.virtio" c d
        expect "the PVH entry boots (multiboot header removed, $m)" 0 \
            "entry: PVH" "cmdline: c d" "argv: c d"
    done
    pvh_copy "$V/hello.virtio" "$tmp/hello-pvh.virtio"
    qrun microvm "$tmp/hello-pvh.virtio" exit 3
    expect "exit status through the PVH entry (microvm)" 3 "argv: exit 3"
fi

# ---- security properties (tests/guest/fault.c) ------------------------
fault_case() { # NAME MACHINE ARGS... : a CPU exception with its report
    name=$1 m=$2
    shift 2
    qrun "$m" "$V/fault.virtio" "$@"
    if [ "$st" = 127 ] && [ "$(grep -c '^atoll: guest fault: ' "$tmp/out")" \
        -eq 1 ] && ! out_has "survived"; then
        pass "$name ($(grep -o 'vector [0-9]* ([#A-Z0-9]*)' "$tmp/out"))"
    else
        fail "$name" "status $st, want 127 and one fault line: $(out_tail)"
    fi
}
fault_case "write to text faults (microvm)" microvm text
fault_case "write to rodata faults (microvm)" microvm rodata
fault_case "executing from the heap faults (q35)" q35 heapexec
fault_case "NULL dereference faults (q35)" q35 null
# The stack's lowest page is unmapped: a runaway recursion faults there,
# within the stack's 512 KiB below main's frame, not deep in the heap.
qrun microvm "$V/overflow.virtio"
sp=$(sed -n 's/^overflow: recursing from sp=\(0x[0-9a-f]*\)$/\1/p' "$tmp/out")
cr2=$(sed -n 's/.* fault address \(0x[0-9a-f]*\),.*/\1/p' "$tmp/out")
if [ "$st" = 127 ] && [ -n "$sp" ] && [ -n "$cr2" ] &&
    [ $((sp - cr2)) -gt 0 ] && [ $((sp - cr2)) -le $((516 * 1024)) ]; then
    pass "stack overflow faults on the guard page (microvm, $((
        (sp - cr2) / 1024)) KiB below main)"
else
    fail "stack overflow faults on the guard page" "status $st, sp ${sp:-?}," \
        "fault address ${cr2:-?}: $(out_tail)"
fi
qrun microvm "$V/fault.virtio" smash AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
expect "stack smashing caught by the canary (microvm)" 127 \
    "panic: stack smashing detected"
qrun q35 "$V/fault.virtio" heap
expect "heap overflow caught on free (q35)" 127 "panic: heap: "

# ---- clocks ---------------------------------------------------------------
before=$(date +%s%N)
qrun microvm "$V/clock.virtio" 100000
after=$(date +%s%N)
if expect "monotonic clock never goes backwards (microvm)" 0 \
    "mono: 100000 reads" "0 backwards"; then
    if out_has " 0 equal"; then
        pass "monotonic clock strictly increasing (microvm)"
    else
        fail "monotonic clock strictly increasing" "$(grep '^mono:' "$tmp/out")"
    fi
fi
w=$(sed -n 's/^wall_ns=\([0-9]*\).*/\1/p' "$tmp/out")
if [ -n "$w" ] && [ "$(echo "$w $before $after" | awk '{
        print ($1 >= $2 - 2e9 && $1 <= $3 + 2e9) }')" = 1 ]; then
    pass "wall clock within 2 s of the host (microvm, CMOS RTC)"
else
    fail "wall clock within 2 s of the host" "guest ${w:-none}, host" \
        "$before..$after"
fi

# yield_case MACHINE MS: sleeps MS +-20 ms by its clock. Only a late wake
# is tried again, at most 3 boots in all: on a loaded machine QEMU's
# thread may get no CPU for a while when the timer fires (162 ms seen),
# while a wrong timer is late every time. Early is failed at once.
yield_case() {
    name="a $2 ms yield sleeps $2 ms +-20 ($1)" late=""
    for try in 1 2 3; do
        qrun "$1" "$V/yield.virtio" "$2"
        slept=$(sed -n 's/^slept_ns=\([0-9]*\).*/\1/p' "$tmp/out")
        [ "$st" = 0 ] && [ -n "$slept" ] || break
        case $(echo "$slept $2" | awk '{ d = $1 / 1e6
            print (d < $2 - 20 ? "early" : d > $2 + 20 ? "late" : "ok") }') in
        ok)
            pass "$name: $((slept / 1000)) us${late:+ (late before:$late)}"
            return ;;
        late) late="$late $((slept / 1000000)) ms" ;;
        *) break ;;
        esac
    done
    fail "$name" "status $st, slept ${slept:-?} ns${late:+ (late:$late)}:" \
        "$(out_tail)"
}
yield_case microvm 100
yield_case q35 100
# A long yield halts: QEMU's CPU time stays well below the wall time it
# takes, and the wall time covers the sleep (the APIC timer does not fire
# early). A halting guest costs QEMU about 0.1 s here (its boot); one that
# spins instead, over 1.3 s even on a loaded 2-CPU machine.
qrun microvm "$V/yield.virtio" 3000
name="a 3 s yield does not spin (microvm)"
if [ "$st" = 0 ] && [ "$(echo "$wall $cpu" | awk '{
        print ($1 >= 3 && $2 < 0.6) }')" = 1 ]; then
    pass "$name: QEMU used $cpu s CPU in $wall s"
else
    fail "$name" "status $st, QEMU CPU $cpu s in $wall s (want < 0.6 s" \
        "CPU, >= 3 s wall): $(out_tail)"
fi
qrun microvm "$V/bootinfo.virtio"
if out_has "clock: "; then
    pass "clock source on microvm: $(sed -n 's/^clock: //p' "$tmp/out")"
else
    fail "clock source on microvm" "$(out_tail)"
fi

# ---- device interrupts (irq.h): the RTC's 4 Hz periodic interrupt, ------
# routed through the I/O APIC to a handler while a 1 s yield halts. Too
# few is booted again, at most 3 boots: QEMU drops the ticks it missed
# while a loaded host did not run it; a handler never reached gets none.
for m in microvm q35; do
    for try in 1 2 3; do
        qrun "$m" "$V/irq.virtio"
        n=$(sed -n 's/^irq: \([0-9]*\) interrupts in .*/\1/p' "$tmp/out")
        [ "$st" = 0 ] && [ -n "$n" ] && [ "$n" -lt 3 ] || break
    done
    if [ "$st" = 0 ] && [ -n "$n" ] && [ "$n" -ge 3 ] && [ "$n" -le 5 ]; then
        pass "a device interrupt reaches its handler during yield ($m: $n in 1 s)"
    else
        fail "a device interrupt reaches its handler during yield ($m)" \
            "status $st, ${n:-no} interrupts (want 3-5): $(out_tail)"
    fi
done

# ---- microvm's devices from the DSDT: no virtio_mmio.device= words ------
# (QEMU 7.2 gives a multiboot or PVH kernel none); acpi.c hands the DSDT
# to the drivers (mmio.c), which find the disk there.
if [ -f "$B/tests/guest/block.virtio" ]; then
    truncate -s 1M "$tmp/disk.img"
    QEXTRA="-drive file=$tmp/disk.img,format=raw,if=none,id=d0 \
-device virtio-blk-device,drive=d0" qrun microvm "$B/tests/guest/block.virtio"
    expect "microvm's virtio-mmio disk found through the ACPI DSDT" 0 \
        "virtio: block storage: block 0 (mmio 0xfeb02e00" "ok: multi-block read"
fi

# ---- devices (bindings/virtio's drivers, their own scripts) -------------
for s in tests/virtio/net*.sh tests/virtio/block*.sh; do
    [ -f "$s" ] || continue
    sh "$s" || fails=$((fails + 1))
done

[ "$fails" -eq 0 ]
