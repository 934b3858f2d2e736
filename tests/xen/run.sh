#!/bin/sh
# The xen target under Xen 4.17 in QEMU TCG (tests/xen/vm.sh): one boot of
# Xen and dom0 for the whole group, one PVH guest per case, each judged by
# its console and the shutdown reason xl reported (xl exits 0 even when a
# guest crashed). Skipped where QEMU, busybox, Debian's kernel package or
# the Xen packages (apt-get download) cannot be had.
#   SOLO5_XEN_HELLO=FILE  a Solo5 build's tests/test_hello/test_hello.xen:
#                         booted in the same Xen boot beside Atoll's hello
#                         (it must print SUCCESS); SKIP without it
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
X=$B/tests/xen
tmp=$(mktemp -d /tmp/atoll-xen-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
fails=0

pass() { echo "PASS: $1"; }
fail() { n=$1; shift; echo "FAIL: $n: $*"; fails=$((fails + 1)); }

for p in hello fault clock yield store; do
    if [ ! -f "$X/$p.xen" ]; then
        fail "xen" "$X/$p.xen missing (make B=$B test-programs)"
        exit 1
    fi
done
for p in $B/examples/echo.xen $B/tests/net/netclient $X/net2.xen \
    $B/tests/guest/netpeer; do
    [ -f "$p" ] || { fail "xen" "$p missing (make B=$B all test-programs)"; exit 1; }
done

# The tool on the host (no VM needed): atoll-cc, configure, --print-config;
# $tmp/plain.cfg (hello) and $tmp/block.cfg (tests/guest/block.c with
# two disks) are run in the VM as atoll wrote them.
B=$B sh tests/xen/config.sh "$tmp" || fails=$((fails + 1))
for f in plain block; do
    [ -f "$tmp/$f.cfg" ] ||
        { fail "xen" "no configuration $f.cfg from atoll"; exit 1; }
done
# What dom0 should find in the disks afterwards: spare untouched, storage
# with block.c's 16-byte lines over blocks 2..201 (its arguments 2 200).
spare_sum=$(sha256sum <"$tmp/block/spare.img" | cut -d' ' -f1)
cp "$tmp/block/storage.img" "$tmp/want.img"
awk 'BEGIN { for (j = 0; j < 6400; j++) printf "atoll blk %05d\n", j }' |
    dd of="$tmp/want.img" bs=512 seek=2 conv=notrunc 2>/dev/null
storage_sum=$(sha256sum <"$tmp/want.img" | cut -d' ' -f1)
# netfront: examples/echo at 10.0.0.2 on vif 0 on dom0's xenbr0 (vm.sh's),
# in atoll's configuration; tests/xen/echo-dom0.sh talks to it from dom0
# with ping, nc (netcat-openbsd, the host's) and netclient.
"$B/bin/atoll" -C "$B/examples/echo/xen" run -q --print-config \
    --net service=xenbr0 --mem 64 -- --ipv4=10.0.0.2/24 --stats=2 \
    >"$tmp/echo.cfg" 2>"$tmp/echo.err" ||
    { fail "xen" "no echo configuration: $(head -c 200 "$tmp/echo.err")"; exit 1; }
# Two vifs for net2 (tests/xen/net2.conf: service, then admin).
printf 'name = "net2"\ntype = "pvh"\nkernel = "%s"\nmemory = 32\non_crash = "destroy"\nvif = [ "bridge=xenbr0", "bridge=xenbr0" ]\n' \
    "$X/net2.xen" >"$tmp/net2.cfg"

# The cases, in the order vm.sh runs them; case N's console and shutdown
# reason are read from its output by number.
set -- \
    "$X/hello.xen one two" \
    "$X/hello.xen exit 7" \
    "$X/hello.xen abort" \
    "$X/hello.xen one --no-such-parameter=1" \
    "$X/clock.xen" \
    "$X/yield.xen 2000" \
    "$X/fault.xen null" \
    "$X/fault.xen text" \
    "$X/store.xen name domid no-such-key" \
    "xl:$tmp/plain.cfg" \
    "xl:$tmp/block.cfg" \
    "dom0:tests/xen/echo-dom0.sh xl:$tmp/echo.cfg" \
    "dom0:tests/xen/net2-dom0.sh xl:$tmp/net2.cfg" \
    "$X/fault.xen smash AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    "$X/fault.xen heap" \
    "$X/fault.xen heapexec"
# Solo5's test_hello.xen, when given, last (case 18), right after
# Atoll's hello (case 17) for its times: a later guest starts faster
# (hello's first line 5.2 s as case 1, 2.9 s as case 17: Xen scrubs
# memory when idle, early guests wait for it). It prints SUCCESS when its
# command line is Hello_Solo5.
s5=${SOLO5_XEN_HELLO:-}
if [ -n "$s5" ]; then
    if [ ! -f "$s5" ]; then
        fail "Solo5's test_hello.xen" "SOLO5_XEN_HELLO=$s5: no such file"
        s5=""
    else
        set -- "$@" "$X/hello.xen Hello_Solo5" "$s5 Hello_Solo5"
    fi
fi
# atoll run itself in dom0 (tests/xen/atoll-dom0.sh), last: the host's
# atoll with its libraries, the tree's headers, archives and linker
# script that atoll checks the image against (and lib/rt, lib/libc: a
# library is known by its folder), and config.sh's
# application of tests/guest/hello.c, each at its host path with its
# times, so the image is up to date; two guests, exit 7 and abort.
top=$(pwd -P)
ab=$(cd "$B" && pwd -P)
set -- "$@" "sh:tests/xen/atoll-dom0.sh $ab/bin/atoll $tmp/run"
dn=$#
t0=$(date +%s)
# A guest takes ~6 s from xl create to its end, the run ~60-75 s here; the
# limits leave room for a loaded machine.
sh tests/xen/vm.sh -t 480 -g 60 -c "$tmp/xen-console" -p nc \
    -p "$B/tests/net/netclient" -p "$B/tests/guest/netpeer" \
    -m "$ab/bin/atoll" -m "$top/include" -m "$top/bindings/virtio/virtio.lds" \
    -m "$top/lib/rt" -m "$top/lib/libc" \
    -m "$ab/lib/bindings-xen.a" -m "$ab/lib/rt.a" -m "$ab/lib/libc.a" \
    -m "$tmp/run" -- "$@" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
case $rc in
0) ;;
125)
    echo "SKIP: xen: $(grep '^vm: ' "$tmp/err" | head -n 1)"
    exit 0
    ;;
*)
    fail "xen" "the Xen VM failed (status $rc): $(tail -n 2 "$tmp/err" |
        tr '\n' '|' | cut -c 1-400)"
    exit 1
    ;;
esac

# con N: case N's console; why N: its shutdown reason.
con() {
    awk -v n="$1" '$1 == "xen-case" && $2 == n { in_case = ($3 == "begin")
        next } in_case' "$tmp/out"
}
why() {
    sed -n "s/^xen-case $1 shutdown \(.*\)\$/\1/p" "$tmp/out"
}
has() { con "$1" | grep -qF -- "$2"; }
tail_of() { con "$1" | tail -n 2 | tr '\n' '|' | cut -c 1-200; }

if has 1 "hello from xen" && has 1 "argv: one two" &&
    has 1 "tls canary: ok" && [ "$(why 1)" = poweroff ] &&
    ! has 1 "exit status"; then
    pass "hello prints its command line under Xen, exit 0 is poweroff"
else
    fail "hello under Xen" "shutdown $(why 1): $(tail_of 1)"
fi
if has 2 "atoll: exit status 7" && [ "$(why 2)" = poweroff ]; then
    pass "exit 7: poweroff, the status on the console"
else
    fail "exit 7" "shutdown $(why 2): $(tail_of 2)"
fi
if has 3 "argv: abort" && [ "$(why 3)" = crash ]; then
    pass "abort ends the domain with shutdown reason crash"
else
    fail "abort" "shutdown $(why 3), want crash: $(tail_of 3)"
fi
if has 4 "no-such-parameter" && has 4 "atoll: exit status 2" &&
    ! has 4 "hello from" && [ "$(why 4)" = poweroff ]; then
    pass "a bad boot parameter is refused with status 2"
else
    fail "bad boot parameter" "shutdown $(why 4): $(tail_of 4)"
fi
# The clock: monotonic, and a wall clock after 2020 (Xen's, from dom0's).
if con 5 | grep -q '^mono: [0-9]* reads, [0-9]* equal, 0 backwards' &&
    [ "$(con 5 | sed -n 's/^wall_ns=\([0-9]*\)[0-9]\{9\}$/\1/p')" \
        -gt 1577836800 ] 2>/dev/null && [ "$(why 5)" = poweroff ]; then
    pass "clock: monotonic never backwards, the wall clock is today's"
else
    fail "clock" "shutdown $(why 5): $(tail_of 5)"
fi
# yield blocks: the domain's CPU time (xl list, up to a second before its
# end) stays well below the 2 s it waited (a spinning wait shows ~1.5 s).
slept=$(con 6 | sed -n 's/^slept_ns=\([0-9]*\) ready=0$/\1/p')
cpu=$(sed -n 's/^xen-case 6 cpu \([0-9.]*\)$/\1/p' "$tmp/out")
if [ -n "$slept" ] && [ "$slept" -ge 2000000000 ] &&
    [ "$(why 6)" = poweroff ]; then
    pass "yield waits until its deadline (slept $((slept / 1000000)) ms of 2000)"
else
    fail "yield" "shutdown $(why 6): $(tail_of 6)"
fi
if [ -n "$cpu" ] && awk -v c="$cpu" 'BEGIN { exit !(c < 0.5) }'; then
    pass "yield blocks the vCPU (domain CPU time $cpu s in a 2 s wait)"
else
    fail "yield blocks" "domain CPU time '$cpu' s in a 2 s wait, want < 0.5"
fi
for c in "7 NULL read" "8 write to text"; do
    n=${c%% *}
    if [ "$(con "$n" | grep -c '^atoll: guest fault: ')" = 1 ] &&
        ! has "$n" "survived" && [ "$(why "$n")" = crash ]; then
        pass "${c#* } faults: one report, shutdown reason crash"
    else
        fail "${c#* } faults" "shutdown $(why "$n"): $(tail_of "$n")"
    fi
done
# The protections of the other targets (tests/guest/fault.c): the stack
# canary, the heap canary checked on free, and a heap that is not
# executable; each ends the domain as a crash and never says "survived".
for c in "14 panic: stack smashing detected|stack smashing caught by the canary" \
    "15 panic: heap: |heap overflow caught on free" \
    "16 atoll: guest fault: |executing from the heap faults"; do
    n=${c%% *} rest=${c#* }
    msg=${rest%%|*} name=${rest#*|}
    if [ "$(con "$n" | grep -cF -- "$msg")" = 1 ] && ! has "$n" "survived" &&
        [ "$(why "$n")" = crash ]; then
        pass "$name"
    else
        fail "$name" "shutdown $(why "$n"): $(tail_of "$n")"
    fi
done
# xenstore: the domain's own keys (xl names case N's domain atollN), and
# the store's error for a missing one.
if has 9 "name=atoll9" && con 9 | grep -q '^domid=[1-9][0-9]*$' &&
    has 9 "no-such-key: error ENOENT"; then
    pass "xenstore: the domain reads its name and domid, ENOENT for a missing key"
else
    fail "xenstore" "shutdown $(why 9): $(con 9 | tr '\n' '|' | cut -c 1-200)"
fi
# atoll run --print-config's configuration as it is: the command line
# reaches hello's argv, its boot parameters (--greeting=Bonjour
# --repeat=2) hello's parameters.
if has 10 "arguments: [0]=hello [1]=one [2]=two" && [ "$(why 10)" = poweroff ] &&
    [ "$(con 10 | grep -c '^Bonjour (xen target)$')" = 2 ] &&
    has 10 "  --repeat=2"
then
    pass "atoll's xl configuration boots hello with its command line and boot parameters"
else
    fail "atoll's xl configuration" "shutdown $(why 10): $(tail_of 10)"
fi
# blkfront: storage, the conf's second block device, is xvdb; block.c's
# round trip (write 200 blocks, flush, read back) and its bad requests
# (unaligned, partial, past the end, unknown handle: errors, not a crash),
# then dom0's view of both files.
if has 11 "xen: block storage: xvdb" && has 11 "can_flush=1" &&
    [ "$(con 11 | grep -c '^ok: ')" -ge 12 ] && ! has 11 "bad: " &&
    [ "$(why 11)" = poweroff ]; then
    pass "blkfront: storage is xvdb; write, flush, read back, bad requests refused"
else
    fail "blkfront round trip" "shutdown $(why 11): $(con 11 | grep -v '^ok: ' |
        tr '\n' '|' | cut -c 1-300)"
fi
# At exit each disk is closed over xenbus and its 12 grants revoked: the
# 11 data pages' at once (blkback maps them only during a request), the
# ring's only once the backend has closed (mapped while connected).
if [ "$(con 11 | grep -c '^xen: block [a-z]*: closed, grants revoked: 11 at once, 1 after the backend closed, 0 still mapped; event channel closed$')" = 2 ]
then
    pass "blkfront: at exit both disks close; the ring's grant ends only after the backend closed"
else
    fail "blkfront close" "$(con 11 | grep 'closed' | tr '\n' '|')"
fi
disk() { sed -n "s/^xen-case 11 disk $1 \([0-9a-f]*\)\$/\1/p" "$tmp/out"; }
if [ "$(disk 1)" = "$storage_sum" ] && [ "$(disk 0)" = "$spare_sum" ]; then
    pass "blkfront: dom0 finds the 200 blocks in storage's file, spare's untouched"
else
    fail "blkfront: the files in dom0" "storage $(disk 1) want $storage_sum," \
        "spare $(disk 0) want $spare_sum"
fi
# netfront (case 12): echo connects on vif 0 (on xenbr0, the backend
# Connected), dom0 pings it, TCP and UDP echo with nc, 1 MB over TCP byte
# for byte (netclient checks every byte), UDP for 3 s; echo's counters at
# the end: the frames, no checksum errors (dom0's frames come with full
# checksums: feature-no-csum-offload), few TCP retransmissions on a link
# that loses nothing (2-10 seen; frames that overwrite each other in
# transmit slots cost ~180).
d0() { con 12 | sed -n "s/^dom0: $1: //p"; }
mac=$(d0 mac)
if con 12 | grep -q '^xen: net service: vif 0 (device/vif/0, backend domain 0' &&
    d0 backend | grep -q '^state 4, bridge vif[0-9]*\.0 *$' &&
    [ -n "$mac" ] && con 12 | grep -q "info: net: service: mac $mac, mtu 1500"
then
    pass "netfront: echo's service is vif 0 with the MAC xenstore gives ($mac), the backend Connected, the vif on xenbr0"
else
    fail "netfront: connect" "$(con 12 | grep -e '^xen:' -e '^dom0: up' \
        -e backend -e 'dom0: mac' -e 'net: service: mac' |
        tr '\n' '|' | cut -c 1-300)"
fi
# The average round trip says the guest woke on the rx event, not at its
# next timer (3-50 ms seen; ~300-800 ms when the yield does not watch the
# port or the rx ring never asks for the next event).
avg=$(d0 ping | sed -n 's|.* = [0-9.]*/\([0-9.]*\)/.*|\1|p')
if d0 up | grep -q '^after' &&
    d0 ping | grep -q ' 5 packets received, 0% packet loss' &&
    awk -v a="$avg" 'BEGIN { exit !(a != "" && a < 250) }'; then
    pass "netfront: dom0 pings echo (5 of 5 with 1400 bytes, $avg ms on average, under 250)"
else
    fail "netfront: ping" "$(d0 up) $(d0 ping | tr '\n' '|')"
fi
if [ "$(d0 tcp)" = "hello tcp" ] && [ "$(d0 udp)" = "hello udp" ]; then
    pass "netfront: TCP and UDP echo to nc in dom0"
else
    fail "netfront: nc" "tcp '$(d0 tcp)' udp '$(d0 udp)'"
fi
if d0 tcp1m | grep -q '^ok: 1 x 1000000 bytes echoed'; then
    pass "netfront: 1 MB over TCP echoed byte for byte ($(d0 tcp1m |
        sed 's/^ok: //'))"
else
    fail "netfront: 1 MB over TCP" "$(d0 tcp1m | tail -n 1)"
fi
if d0 udprate | grep -q '^ok: [1-9][0-9]* datagrams/s'; then
    pass "netfront: UDP echo for 3 s ($(d0 udprate | sed 's/^ok: //'))"
else
    fail "netfront: UDP echo for 3 s" "$(d0 udprate | tail -n 1)"
fi
st=$(con 12 | grep -a 'info: net: stats: ' | tail -n 2 | tr '\n' ' ')
n_of() { echo "$st" | grep -o " $1=[0-9]*" | head -n 1 | cut -d= -f2; }
rx=$(n_of rx_frames)
rt=$(n_of tcp_retransmits)
rt=${rt:-0} # counters at 0 are not logged
if [ "$rx" -gt 1000 ] 2>/dev/null &&
    [ "$(n_of icmp_echo_rx)" -ge 6 ] 2>/dev/null &&
    [ "$(n_of udp_rx)" -ge 100 ] 2>/dev/null &&
    [ "$rt" -le 50 ] 2>/dev/null &&
    ! echo "$st" | grep -q -e '_checksum=' -e 'vnet_bad_csum='; then
    pass "netfront: echo's counters: $rx frames in, $(n_of tx_frames) out, no checksum errors, $rt TCP retransmissions"
else
    fail "netfront: echo's counters" "$(echo "$st" | cut -c 1-300)"
fi
# Two net devices (case 13): service is vif 0 and admin vif 1, each with
# the MAC xenstore gives its vif, and a frame sent on each vif's dom0 end
# (off the bridge) comes back from that device on the same vif.
m0=$(con 13 | sed -n 's/^dom0: vif0: mac \([0-9a-f:]*\),.*/\1/p')
m1=$(con 13 | sed -n 's/^dom0: vif1: mac \([0-9a-f:]*\),.*/\1/p')
if [ -n "$m0" ] && [ -n "$m1" ] && [ "$m0" != "$m1" ] &&
    has 13 "net2: service mac $m0 mtu 1500" &&
    has 13 "net2: admin mac $m1 mtu 1500" &&
    has 13 "xen: net service: vif 0 (device/vif/0" &&
    has 13 "xen: net admin: vif 1 (device/vif/1"; then
    pass "netfront: two devices bound by index: service vif 0 ($m0), admin vif 1 ($m1)"
else
    fail "netfront: two devices" "$(con 13 | grep -e 'mac' -e '^xen:' |
        tr '\n' '|' | cut -c 1-300)"
fi
if has 13 "dom0: peer0: status 0 " && has 13 "dom0: peer1: status 0 " &&
    has 13 "net2: service echoed 78 bytes" &&
    has 13 "net2: admin echoed 78 bytes" && [ "$(why 13)" = poweroff ]; then
    pass "netfront: a frame on each vif's dom0 end echoed by its own device"
else
    fail "netfront: two devices echo" "shutdown $(why 13): $(con 13 |
        grep -e peer -e 'net2:' | tr '\n' '|' | cut -c 1-300)"
fi
# At net2's exit each vif is closed over xenbus and its 386 grants
# revoked: the rx pages' (copied into, never mapped) and the tx pages'
# (mapped only while sending) at once, the two rings' after the backend
# closed; then its event channel is closed (Xen said yes).
if [ "$(con 13 | grep -c '^xen: net [a-z]*: closed, grants revoked: 384 at once, 2 after the backend closed, 0 still mapped; event channel closed$')" = 2 ]
then
    pass "netfront: at exit both vifs close; the rings' grants end only after the backend closed, then the event channel"
else
    fail "netfront close" "$(con 13 | grep 'closed' | tr '\n' '|')"
fi
# netfront's counters at exit: each device sent its one echo, received
# at least the frame it echoed, and dropped nothing.
ok=0
for d in service admin; do
    con 13 | grep -q "^xen: net $d: stats: rx_frames=[1-9][0-9]* tx_frames=1 rx_dropped=0 tx_errors=0 bad_responses=0\$" &&
        ok=$((ok + 1))
done
if [ "$ok" = 2 ]; then
    pass "netfront: counters at exit, one frame sent and none dropped on each vif"
else
    fail "netfront counters" "$(con 13 | grep 'stats:' | tr '\n' '|')"
fi
# Solo5's test_hello.xen beside Atoll's hello (cases 18 and 17, when
# given).
if [ -n "$s5" ]; then
    if has 18 "Command line is: 'Hello_Solo5'" && has 18 "SUCCESS" &&
        [ "$(why 18)" = poweroff ] && has 17 "argv: Hello_Solo5" &&
        [ "$(why 17)" = poweroff ]; then
        pass "Solo5's test_hello.xen boots beside Atoll's hello and prints SUCCESS"
    else
        fail "Solo5's test_hello.xen" "shutdown $(why 18): $(tail_of 18)"
    fi
elif [ -z "${SOLO5_XEN_HELLO:-}" ]; then
    echo "SKIP: Solo5's test_hello.xen: no Solo5 test_hello.xen given (SOLO5_XEN_HELLO)"
fi
# atoll run in dom0 (case $dn): the image up to date (no build step, its
# time unchanged), xl create on the configuration atoll wrote (then
# removed), the console on atoll run's stdout, and atoll run's status the
# guest's: exit 7 is 7, abort (shutdown reason crash) 255.
r() { con "$dn" | sed -n "s/^run $1: $2//p"; }
img=$(stat -c %Y "$tmp/run/dist/hello.xen")
if [ "$(r 1 'status ')" = 7 ] && r 1 'out: ' | grep -q '^argv: exit 7' &&
    r 1 'out: ' | grep -q '^atoll: exit status 7' &&
    r 1 'err: ' | grep -q '^Parsing config from /tmp/atoll-xl\.' &&
    has "$dn" "left: 0"; then
    pass "atoll run in dom0: xl create on its configuration, the console on its stdout, exit 7 is its status 7"
else
    fail "atoll run in dom0, exit 7" "$(con "$dn" | grep '^run 1' |
        tr '\n' '|' | cut -c 1-400)"
fi
if [ "$(r 2 'status ')" = 255 ] && r 2 'out: ' | grep -q '^argv: abort' &&
    r 2 'err: ' | grep -q 'reason code 3' &&
    r 2 'err: ' | grep -q 'atoll run: the guest crashed'; then
    pass "atoll run in dom0: an abort (shutdown reason crash) is its status 255"
else
    fail "atoll run in dom0, abort" "$(con "$dn" | grep '^run 2' |
        tr '\n' '|' | cut -c 1-400)"
fi
if [ "$(r 1 'image ')" = "$img" ] && [ "$(r 2 'image ')" = "$img" ] &&
    [ "$(con "$dn" | grep -c '^run [12]: err: Parsing config from ')" = 2 ] &&
    ! con "$dn" | grep -q -e '^run [12]: err:   [A-Z][A-Z]  ' -e 'build of'
then
    pass "atoll run in dom0: the host-built image is up to date there (no build step)"
else
    fail "atoll run in dom0: up to date" "image $img; $(con "$dn" |
        grep -e image -e 'err: ' | tr '\n' '|' | cut -c 1-400)"
fi
first() { sed -n "s/^xen-case $1 first \([0-9]*\)\$/\1/p" "$tmp/out"; }
ms() { sed -n "s/^xen-case $1 ms \([0-9]*\)\$/\1/p" "$tmp/out"; }
# Stripped image size (what xl loads, without symbols).
stripped() {
    strip -o "$tmp/stripped" "$1" 2>/dev/null && wc -c <"$tmp/stripped"
}
echo "INFO: xen: hello.xen stripped $(stripped "$X/hello.xen") bytes;" \
    "xl create to the first console line $(first 1) ms, to exit $(ms 1) ms"
[ -z "$s5" ] ||
    echo "INFO: xen: side by side (the last two guests): Atoll's hello.xen" \
        "first console line $(first 17) ms, exit $(ms 17) ms; Solo5's" \
        "test_hello.xen (stripped $(stripped "$s5") bytes) first console" \
        "line $(first 18) ms, exit $(ms 18) ms"
echo "INFO: xen: hello in atoll's configuration (case 10): first console" \
    "line $(first 10) ms, exit $(ms 10) ms; echo: first line $(first 12) ms" \
    "(after netfront connected)"
echo "INFO: xen: atoll run in dom0, exit 7 then abort: $(ms "$dn") ms"
t=$(sed -n 's/^xen-case [0-9]* ms \([0-9]*\)$/\1/p' "$tmp/out" |
    awk '{ s += $1; n++ } END { if (n) printf "%.1f", s / n / 1000 }')
echo "INFO: xen: $(($# + 1)) guests in one Xen boot, $(($(date +%s) - t0)) s;" \
    "xl create to exit $t s a guest on average"
[ "$fails" -eq 0 ]
