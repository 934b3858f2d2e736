#!/bin/sh
# The hvt test group: boot the guest test programs (tests/guest/*.c) and
# examples/echo on atoll-hvt and check from outside what each must show.
# One PASS:/FAIL:/SKIP: line per case; exit status 1 if anything failed.
#
# Where /dev/kvm is usable the cases run here. Where it is not, this same
# script runs inside one boot of a small VM that has a real /dev/kvm
# (tests/vm: QEMU emulating AMD SVM), with the images and tools it needs.
#   ATOLL_HVT_VM=1   always through the VM (to test that way here)
#   ATOLL_HVT_VM=0   never: SKIP where /dev/kvm is not usable
#   SOLO5_TESTS=DIR  a Solo5 build's tests/ folder: its test_*.hvt images
#                    also run on atoll-hvt
# Written in POSIX sh that busybox sh runs too (the VM has busybox and the
# host's ip, ping, nc, time, timeout and date). The net cases need root and
# iproute2: they make their own network namespace with a TAP device in it
# and remove it on exit.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
G=$B/tests/guest
HVT=$B/bin/atoll-hvt
tmp=$(mktemp -d /tmp/atoll-hvt.XXXXXX)
ns=""
guest_pid=""
dnsmasq_pid=""
vm_pid=""
cleanup() {
    [ -n "$vm_pid" ] && kill "$vm_pid" 2>/dev/null && wait "$vm_pid"
    [ -n "$guest_pid" ] && kill "$guest_pid" 2>/dev/null
    [ -n "$dnsmasq_pid" ] && kill "$dnsmasq_pid" 2>/dev/null
    [ -n "$ns" ] && "$IP" netns del "$ns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
. tests/lib/check.sh

KV=$B/bin/atoll-kv
images="hello clock yield fault block net tls fpu"
needed() { # the files the cases use
    for p in $images; do echo "$G/$p.hvt"; done
    echo "$HVT $G/netpeer $B/examples/echo.hvt $B/tests/net/netclient"
    echo "$B/examples/kv.hvt $KV"
}
# The host's programs these cases use, by path: a bare name would run the
# busybox applet in busybox sh (Debian's prefers its applets), and those
# lack options used here (date +%N, nc -u, ip netns and tuntap).
tool() { # NAME: its path in PATH, not busybox's
    (
        IFS=:
        for d in $PATH; do
            [ -f "$d/$1" ] && [ -x "$d/$1" ] || continue
            case $(readlink -f "$d/$1") in */busybox) continue ;; esac
            echo "$d/$1"
            exit 0
        done
        exit 1
    )
}
TIME=$(tool time) TIMEOUT=$(tool timeout) DATE=$(tool date)
IP=$(tool ip) PING=$(tool ping) NC=$(tool nc) SS=$(tool ss)
DNSMASQ=$(tool dnsmasq)
tools="$TIME $TIMEOUT $DATE $IP $PING $NC $SS $DNSMASQ"
# The tender's own guest tests (tests/tender/hvt/run.sh with hvt-probe,
# unit/hvt-tender where KVM is usable) also run in the VM, under the
# host's sh, which runs programs by PATH (and their tools).
PROBE_SH=tests/tender/hvt/run.sh
PROBES="$B/tests/hvt/hvt-probe.hvt $B/tests/hvt/hvt-probe-net.hvt"
probe_tools="$(tool sh) $(tool readelf) $(tool nm) $(tool unshare)"
# Cases in files of their own, tests/hvt/cases-*.sh, sourced here and in
# the VM: each adds the files it needs there to $case_files, host
# programs to $case_tools, host files or folders to have at their host
# paths with their times to $case_mirrors (vm.sh -m), and its net case
# functions to $net_cases.
case_files="" case_tools="" case_mirrors="" net_cases=""
for f in tests/hvt/cases-*.sh; do [ -f "$f" ] && . "./$f"; done

# ---- where to run ---------------------------------------------------------
# via_vm: this script again, inside the VM; its lines are ours.
via_vm() {
    self=tests/hvt/$(basename "$0")
    files="$self tests/lib/kvm-usable.sh tests/lib/check.sh tests/lib/guest-cases.sh \
        tests/lib/net-cases.sh $(needed) $case_files"
    [ -f "$G/bearssl.hvt" ] && files="$files $G/bearssl.hvt"
    for f in $PROBE_SH $PROBES; do [ -f "$f" ] && files="$files $f"; done
    # atoll (tests/lib/kvm-usable.sh probes KVM with it), tests/clang's
    # hvt build and tests/e2e's rpn image, when there.
    for f in $B/bin/atoll $B/clang/bin/atoll $B/clang/bin/atoll-hvt \
        $B/clang/tests/hvt/hvt-probe.hvt \
        $B/clang/tests/hvt/hvt-probe-net.hvt $B/tests/e2e/rpn.hvt \
        $B/tests/e2e/rpn.want $B/tests/e2e/rpn.rc $B/tests/e2e/rpn.args; do
        [ -f "$f" ] && files="$files $f"
    done
    s5=""
    if [ -n "${SOLO5_TESTS:-}" ]; then
        for s in $solo5_tests; do
            f=$SOLO5_TESTS/$s/$s.hvt
            [ -f "$f" ] && files="$files $f" && s5="SOLO5_TESTS=$SOLO5_TESTS"
        done
    fi
    xs=""
    for x in $tools $probe_tools $case_tools; do xs="$xs -x $x"; done
    fs=""
    for f in $files; do fs="$fs -f $f"; done
    for m in $case_mirrors; do fs="$fs -m $m"; done
    mkdir -p "$B/tests/hvt"
    console=$B/tests/hvt/vm-console.log
    t0=$("$DATE" +%s)
    # In the background, so that a signal to us stops it (and it QEMU);
    # if we die of SIGKILL the kernel sends it SIGTERM.
    pd=""
    setpriv --help 2>/dev/null | grep -q pdeathsig && pd="setpriv --pdeathsig TERM"
    # Up to two more boots, only if the whole guest hung (its own time
    # limit never fired, so vm.sh killed QEMU): seen once in about ten runs
    # under TCG, a wedged guest with nothing on its console, or soft
    # lockups while its kernel booted (vm.sh stops that one after 120 s).
    for try in 1 2 3; do
        # shellcheck disable=SC2086
        $pd sh tests/vm/vm.sh -t "${ATOLL_HVT_VM_TIMEOUT:-300}" \
            -c "$console" $fs $xs -- B=$B $s5 sh "$self" \
            >"$tmp/vm.out" 2>"$tmp/vm.err" &
        vm_pid=$!
        wait "$vm_pid"
        rc=$?
        vm_pid=""
        [ $try -lt 3 ] && [ $rc = 124 ] &&
            grep -q '^vm: time limit: killed QEMU' "$tmp/vm.err" || break
        skip "hvt VM boot $try" "the guest hung after $(grep -c \
            '^[A-Z]*: ' "$tmp/vm.out") lines (QEMU killed); booting again"
        cp "$console" "$console.hung" 2>/dev/null
    done
    cat "$tmp/vm.out"
    up=$(sed -n 's/^vm: guest up after \(.*\)/\1/p' "$tmp/vm.err")
    why=$(grep -v '^vm: guest up' "$tmp/vm.err" | head -n 3 |
        sed 's/^vm: //' | tr '\n' '|' | sed 's/|$//')
    case $rc in
    0|1)
        pass "hvt cases ran in a VM (up after $up, $(($("$DATE" +%s) - t0)) s in all)"
        exit "$rc"
        ;;
    125)
        skip "hvt" "$(sh tests/lib/kvm-usable.sh --why), and no VM: $why"
        exit 0
        ;;
    *)
        fail "hvt cases in a VM" "status $rc: $why (console: $console)"
        exit 1
        ;;
    esac
}

solo5_tests="test_hello test_globals test_tls test_time test_fpu"
missing=""
for f in $(needed); do [ -f "$f" ] || missing="$missing $f"; done
[ -n "$TIME" ] || missing="$missing time (the time package)"
[ -n "$TIMEOUT" ] && [ -n "$DATE" ] || missing="$missing timeout and date"
if [ -n "$missing" ]; then
    echo "FAIL: hvt: missing (run make test-programs):$missing"
    exit 1
fi
if [ "${ATOLL_IN_VM:-}" != 1 ]; then
    case ${ATOLL_HVT_VM:-} in
    1) via_vm ;;
    0)
        if ! sh tests/lib/kvm-usable.sh; then
            skip "hvt" "$(sh tests/lib/kvm-usable.sh --why) (ATOLL_HVT_VM=0: no VM)"
            exit 0
        fi
        ;;
    *) sh tests/lib/kvm-usable.sh || via_vm ;;
    esac
fi

# ---- the cases --------------------------------------------------------------
# Those on the guest test programs are tests/guest's too.
. tests/lib/guest-cases.sh

# ---- net: a namespace of our own with tap0 --------------------------------
GUEST=10.0.0.2
HOST=10.0.0.1
MAC=02:00:00:00:00:02
no_net=""
if [ "$(id -u)" != 0 ] || [ -z "$IP" ] || [ -z "$SS" ] || [ -z "$PING" ] ||
    [ -z "$NC" ]; then
    no_net="needs root, iproute2, ping (iputils-ping) and nc (netcat-openbsd)"
fi
# The network cases on the echo guest are tests/net's too.
. tests/lib/net-cases.sh

net_case() {
    name="net round trip through a TAP (hvt)"
    mac=02:00:00:00:00:01
    in_ns "$TIMEOUT" 60 "$HVT" --net:service=tap0 --net-mac:service=$mac \
        "$G/net.hvt" 1 30 >"$tmp/out" 2>&1 </dev/null &
    pid=$!
    in_ns "$G/netpeer" tap0 $mac >"$tmp/peer" 2>&1
    peer=$?
    wait $pid
    rc=$?
    if [ $peer -ne 0 ]; then
        fail "$name" "$(head -n 1 "$tmp/peer"); guest: $(tail -n 1 "$tmp/out")"
    else
        expect "$name" 0 "net: echoed 78 bytes"
    fi
}

# The net ring (tenders/hvt/netio.c, Solo5 v0.12.1's): the same round trip
# goes through the ring (no NET_READ/NET_WRITE hypercall, ring entries
# served) and, with ATOLL_HVT_NET_RING=0, through hypercalls only; the
# tender's counts (ATOLL_HVT_STATS=1) tell which.
ring_case() { # NAME RING(1|0)
    name=$1
    mac=02:00:00:00:00:01
    in_ns env ATOLL_HVT_STATS=1 ATOLL_HVT_NET_RING=$2 "$TIMEOUT" 60 "$HVT" \
        --net:service=tap0 --net-mac:service=$mac "$G/net.hvt" 1 30 \
        >"$tmp/out" 2>&1 </dev/null &
    pid=$!
    in_ns "$G/netpeer" tap0 $mac >"$tmp/peer" 2>&1
    peer=$?
    wait $pid
    st=$(sed -n 's/^atoll-hvt: stats: //p' "$tmp/out")
    calls=$(echo "$st" | sed -n 's/.*net hypercalls \([0-9]*\),.*/\1/p')
    ents=$(echo "$st" | sed -n 's/.*ring entries \([0-9]*\)$/\1/p')
    if [ $peer -ne 0 ] || [ -z "$calls" ] || [ -z "$ents" ]; then
        fail "$name" "peer $peer; guest: $(tail -n 2 "$tmp/out" | tr '\n' '|')"
    elif [ "$2" = 1 ] && { [ "$calls" -ne 0 ] || [ "$ents" -eq 0 ]; }; then
        fail "$name" "not through the ring: $st"
    elif [ "$2" = 0 ] && { [ "$calls" -eq 0 ] || [ "$ents" -ne 0 ]; }; then
        fail "$name" "not through hypercalls: $st"
    else
        pass "$name ($st)"
    fi
}

echo_cases() {
    start_guest hvt --ipv4=$GUEST/24
    if ! wait_up 60; then
        fail "echo boots and answers ping (hvt)" "$(guest_tail)"
        stop_guest
        return
    fi
    ping_case "10 pings, no loss (hvt)" 10 0.05 56
    printf 'hello udp\n' >"$tmp/hello"
    udp_case "udp echo with nc -u (hvt)" "$tmp/hello"
    nc_tcp_case "tcp echo with nc (hvt)"
    tcp_case "2 tcp connections echo 50 kB each (hvt)" 2 50000
    stop_guest
    # The same with the net ring forced on, to compare (figures in the
    # names): atoll-hvt offers it only on two CPUs or more (the VM has one
    # unless ATOLL_VM_CPUS says otherwise).
    export ATOLL_HVT_NET_RING=1
    start_guest hvt --ipv4=$GUEST/24
    unset ATOLL_HVT_NET_RING
    if ! wait_up 60; then
        fail "echo with the net ring boots (hvt)" "$(guest_tail)"
        stop_guest
        return
    fi
    ping_case "10 pings, no loss, net ring forced on (hvt)" 10 0.05 56
    tcp_case "2 tcp connections echo 50 kB each, net ring forced on (hvt)" 2 50000
    stop_guest
}

# examples/kv serving its store over TCP: a PUT and a GET with nc, then the
# value read from the image with atoll-kv.
kv_case() {
    name="kv unikernel on hvt: PUT and GET over TCP, then read with atoll-kv"
    img=$tmp/kv.img
    "$KV" format "$img" 2M >/dev/null
    GUEST_IMAGE=kv TENDER_OPTS=--block:storage=$img
    start_guest hvt --ipv4=$GUEST/24
    GUEST_IMAGE="" TENDER_OPTS=""
    i=0 up=""
    while [ $i -lt 600 ] && [ -z "$up" ]; do
        printf 'PING\n' | in_ns "$NC" -N -w 1 $GUEST 7070 2>/dev/null |
            grep -q '^PONG$' && up=1
        kill -0 "$guest_pid" 2>/dev/null || break
        [ -n "$up" ] || sleep 0.2
        i=$((i + 1))
    done
    if [ -z "$up" ]; then
        fail "$name" "no PONG in 120 s: $(guest_tail)"
        stop_guest
        return
    fi
    printf 'PUT greeting 11\nhvt-says-hi\nGET greeting\nQUIT\n' |
        in_ns "$NC" -N -w 20 $GUEST 7070 >"$tmp/kv.got" 2>&1
    kill -9 "$guest_pid" 2>/dev/null # committed data survives anything
    wait "$guest_pid" 2>/dev/null
    guest_pid=""
    printf 'OK\nVALUE 11\nhvt-says-hi\nBYE\n' >"$tmp/kv.want"
    if ! cmp -s "$tmp/kv.got" "$tmp/kv.want"; then
        fail "$name" "got '$(head -c 100 "$tmp/kv.got" | tr '\n' '|')'"
    elif [ "$("$KV" get "$img" greeting)" != hvt-says-hi ]; then
        fail "$name" "atoll-kv does not see the value"
    elif ! "$KV" check -q "$img" >/dev/null; then
        fail "$name" "atoll-kv check failed"
    else
        pass "$name"
    fi
}

# ---- the tender's guest tests (hvt-probe), in the VM only ------------------
# Where KVM is usable here they run as unit/hvt-tender.
probe_cases() {
    [ "${ATOLL_IN_VM:-}" = 1 ] || return 0
    probe_run "$B" "hvt-probe"
    # tests/clang's build, whose hvt-tender cannot boot guests here.
    [ -f "$B/clang/bin/atoll-hvt" ] &&
        probe_run "$B/clang" "hvt-probe (clang-built)"
}

# probe_run BUILD LABEL: the tender's guest tests on BUILD's atoll-hvt and
# probes, their lines prefixed with LABEL.
probe_run() {
    name="$2: the tender's guest tests ($PROBE_SH)"
    for f in $PROBE_SH $1/tests/hvt/hvt-probe.hvt \
        $1/tests/hvt/hvt-probe-net.hvt $1/bin/atoll-hvt; do
        if [ ! -f "$f" ]; then
            fail "$name" "no $f (run make test-programs)"
            return
        fi
    done
    SH=$(tool sh)
    B=$1 "${SH:-sh}" "$PROBE_SH" >"$tmp/probe.out" 2>&1
    prc=$?
    nf0=$(grep -c '^FAIL: ' "$tmp/probe.out")
    sed -n "s/^\\(PASS\\|FAIL\\|SKIP\\): /\\1: $2: /p" "$tmp/probe.out"
    nf=$(grep -c '^FAIL: ' "$tmp/probe.out")
    fails=$((fails + nf))
    if [ "$prc" -ne 0 ] && [ "$nf0" -eq 0 ]; then
        fail "$name" "exit status $prc: $(tail -n 2 "$tmp/probe.out" |
            tr '\n' '|')"
    fi
}

# tests/e2e's rpn, built for hvt by its plain Makefile with CC=atoll-cc,
# is handed here where /dev/kvm cannot run it: it must print and exit as
# the host program did.
e2e_rpn_case() {
    [ "${ATOLL_IN_VM:-}" = 1 ] || return 0
    name="hvt rpn: arithmetic (tests/e2e's image)"
    d=$B/tests/e2e
    if [ ! -f "$d/rpn.hvt" ]; then
        skip "$name" "no $d/rpn.hvt (tests/e2e leaves it for this group)"
        return
    fi
    # shellcheck disable=SC2046
    run hvt "$d/rpn.hvt" $(cat "$d/rpn.args")
    if [ "$rc" -eq "$(cat "$d/rpn.rc")" ] && cmp -s "$tmp/out" "$d/rpn.want"
    then
        pass "$name"
    else
        fail "$name" "status $rc (host $(cat "$d/rpn.rc")), printed \
'$(tr '\n' '|' <"$tmp/out" | cut -c 1-120)' (host '$(tr '\n' '|' \
            <"$d/rpn.want" | cut -c 1-120)')"
    fi
}

# ---- Solo5's own test images on atoll-hvt -------------------------------
solo5_cases() {
    if [ -z "${SOLO5_TESTS:-}" ]; then
        skip "Solo5 test images on atoll-hvt" \
            "no Solo5 build (set SOLO5_TESTS=solo5/tests)"
        return
    fi
    for s in $solo5_tests; do
        f=$SOLO5_TESTS/$s/$s.hvt
        name="Solo5 $s on atoll-hvt"
        if [ ! -f "$f" ]; then
            skip "$name" "no $f"
            continue
        fi
        arg=""
        [ "$s" = test_hello ] && arg=Hello_Solo5 # it says SUCCESS for that
        run hvt "$f" $arg
        if [ "$rc" -ne 0 ] && out_has "could not emulate the guest instruction"
        then
            # This machine's /dev/kvm cannot run SSE (the VM's can).
            skip "$name" "this KVM cannot emulate the instruction: $(out_tail)"
        else
            expect "$name" 0 "SUCCESS"
        fi
    done
}

basic_cases hvt
clock_cases hvt 200
yield_case hvt 500 1000 1.0 slow-boot
fault_cases hvt
streams_case hvt
param_case hvt
tls_case hvt
block_case hvt
fsize_case hvt
fpu_cases hvt
if [ -n "$no_net" ]; then
    skip "net round trip and echo (hvt)" "$no_net"
elif ! make_ns atoll-hvt 2>"$tmp/err"; then
    fail "net round trip and echo (hvt)" \
        "cannot set up a namespace: $(head -n 1 "$tmp/err")"
else
    net_case
    ring_case "net round trip through the net ring (hvt)" 1
    ring_case "net round trip through hypercalls, ring off (hvt)" 0
    echo_cases
    dhcp_case hvt 60
    mtu_cases hvt
    kv_case
    for c in $net_cases; do $c; done
fi
probe_cases
e2e_rpn_case
solo5_cases

[ "$fails" -eq 0 ]
