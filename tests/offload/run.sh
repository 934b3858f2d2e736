#!/bin/sh
# Net offloads on spt (ATOLL_EXT_F_NET_VNET, include/atoll/abi/ext.h):
# examples/echo asks for virtio-net headers (lib/net's request note),
# atoll-spt opens the TAP with IFF_VNET_HDR, TUN_F_CSUM and TUN_F_TSO4,
# and TCP crosses it in segments of up to 64 KB both ways. In a network
# namespace of the test's own with tap0 (GSO allowed, unlike tests/net's)
# and a client namespace one lossy hop away; both are deleted on exit.
#
#   OFFLOAD_MB  megabytes echoed through the offload path (default 200:
#               that many each way, compared by sha256)
#
# Needs root, iproute2, nc (netcat-openbsd), sha256sum; nftables for the
# loss case.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
mb=${OFFLOAD_MB:-200}
. tests/lib/check.sh
scratch offload stop_guest
. tests/lib/net-cases.sh

GUEST=10.0.0.2
HOST=10.0.0.1
MAC=02:00:00:00:00:02

for f in "$B/bin/atoll-spt" "$B/examples/echo.spt" "$B/tests/guest/net.spt" \
    "$B/tests/guest/netpeer"; do
    if [ ! -x "$f" ]; then
        echo "FAIL: offload: missing $f (run make)"
        exit 1
    fi
done
missing=""
[ "$(id -u)" = 0 ] || missing="$missing root"
for c in ip nc sha256sum; do
    command -v $c >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
    skip "net offloads (spt)" "needs$missing"
    exit 0
fi
if ! make_ns atoll-off 2>"$tmp/err"; then
    fail "namespace" "$(head -n 1 "$tmp/err")"
    exit 1
fi
# The kernel may hand the TAP whole GSO segments (make_ns forbids it).
"$IP" -n "$ns" link set tap0 gso_max_segs 65535

boot() { # NAME ARGS...: start echo with --stats=1, wait for its ping
    n=$1
    shift
    start_guest spt --ipv4=$GUEST/24 --ipv4-gateway=$HOST --log=info \
        --stats=1 "$@"
    if wait_up 10; then
        return 0
    fi
    fail "$n" "does not boot: $(guest_tail)"
    stop_guest
    return 1
}

# ---- offloads both ways ------------------------------------------------
if boot "echo with offloads (spt)"; then
    if grep -q "net: service: mac $MAC, mtu 1500, offload both ways" \
        "$tmp/guest.out"; then
        pass "the guest asked for offloads and atoll-spt granted them"
    else
        fail "the guest asked for offloads and atoll-spt granted them" \
            "$(grep -m1 'mtu' "$tmp/guest.out")"
    fi
    sha_case "$mb MB each way through the offload path, same sha256 (spt)" \
        $((mb * 1000000))
    settle_stats
    stats_case "64 KB segments both ways, no checksum or header drops" \
        vnet_gso_tx vnet_gso_rx -- tcp_checksum vnet_bad_csum vnet_bad_gso \
        vnet_too_big
    if ! command -v nft >/dev/null 2>&1; then
        skip "50 MB through 5% loss each way with offloads (spt)" \
            "needs nftables"
    elif ! loss_on 2>"$tmp/nft.err"; then
        fail "50 MB through 5% loss each way with offloads (spt)" \
            "nft: $(head -n 1 "$tmp/nft.err")"
    else
        sha_case "50 MB through 5% loss each way with offloads, same \
sha256 (spt)" 50000000 "$cns"
        loss_off
    fi
    stop_guest
fi

# ---- one side only: the guest sends plain frames -----------------------
if boot "echo with --net-offload=false (spt)" --net-offload=false; then
    if grep -q "offload receive only" "$tmp/guest.out"; then
        pass "--net-offload=false: the guest takes offloads, sends plain"
    else
        fail "--net-offload=false: the guest takes offloads, sends plain" \
            "$(grep -m1 'mtu' "$tmp/guest.out")"
    fi
    sha_case "50 MB each way, offloads from the host only (spt)" 50000000
    settle_stats
    stats_case "the host's 64 KB segments taken, none sent" \
        vnet_gso_rx -- vnet_gso_tx tcp_checksum vnet_bad_csum vnet_bad_gso \
        vnet_too_big
    stop_guest
fi

# ---- one side only: the host's TAP cuts its segments --------------------
"$IP" -n "$ns" link set tap0 gso_max_segs 1
if boot "echo with offloads, tap0 without GSO (spt)"; then
    sha_case "50 MB each way, offloads from the guest only (spt)" 50000000
    settle_stats
    stats_case "the guest's 64 KB segments sent, none taken" \
        vnet_gso_tx -- vnet_gso_rx tcp_checksum vnet_bad_csum vnet_bad_gso \
        vnet_too_big
    stop_guest
fi
"$IP" -n "$ns" link set tap0 gso_max_segs 65535

# ---- a tender that does not grant them ---------------------------------
ATOLL_SPT_NET_OFFLOAD=0
export ATOLL_SPT_NET_OFFLOAD
if boot "echo with ATOLL_SPT_NET_OFFLOAD=0 (spt)"; then
    if grep -q "offload none" "$tmp/guest.out"; then
        pass "ATOLL_SPT_NET_OFFLOAD=0: plain frames"
    else
        fail "ATOLL_SPT_NET_OFFLOAD=0: plain frames" \
            "$(grep -m1 'mtu' "$tmp/guest.out")"
    fi
    sha_case "20 MB each way without offloads, after a guest with them (spt)" 20000000
    stop_guest
fi
unset ATOLL_SPT_NET_OFFLOAD

# ---- an Atoll image on Solo5's own tender --------------------------------
# solo5-spt reads no request note and opens its TAP plain: echo, which
# asks for offloads, must find none granted and still work.
name="an image that asks, on solo5-spt: plain frames"
s5=${SOLO5_SPT:-$(command -v solo5-spt 2>/dev/null)}
if [ -z "$s5" ] || [ ! -x "$s5" ]; then
    skip "$name" "no solo5-spt (set SOLO5_SPT=path)"
else
    "$IP" netns exec "$ns" "$s5" --net:service=tap0 --net-mac:service=$MAC \
        "$B/examples/echo.spt" --ipv4=$GUEST/24 --ipv4-gateway=$HOST \
        --log=info --stats=1 >"$tmp/guest.out" 2>&1 </dev/null &
    guest_pid=$!
    if ! wait_up 10; then
        fail "$name" "does not boot: $(guest_tail)"
    elif grep -q "net: service: mac $MAC, mtu 1500, offload none" \
        "$tmp/guest.out"; then
        pass "$name"
        sha_case "5 MB each way, echo on solo5-spt, same sha256" 5000000
    else
        fail "$name" "$(grep -m1 'mtu' "$tmp/guest.out")"
    fi
    stop_guest
fi

# ---- a guest that does not ask -----------------------------------------
# tests/guest/net.spt calls the platform directly, without lib/net, as a
# Solo5 guest would: no request note, so plain 78-byte frames.
name="a guest that does not ask gets plain frames (spt)"
if readelf -nW "$B/tests/guest/net.spt" 2>/dev/null | grep -q Atoll; then
    fail "$name" "tests/guest/net.spt has a request note"
else
    in_ns "$TIMEOUT" 60 "$B/bin/atoll-spt" --net:service=tap0 \
        --net-mac:service=$MAC "$B/tests/guest/net.spt" 1 30 \
        >"$tmp/out" 2>&1 </dev/null &
    pid=$!
    in_ns "$B/tests/guest/netpeer" tap0 $MAC >"$tmp/peer" 2>&1
    peer=$?
    wait $pid
    rc=$?
    if [ $peer -ne 0 ]; then
        fail "$name" "$(head -n 1 "$tmp/peer"); guest: $(out_tail)"
    else
        expect "$name" 0 "net: echoed 78 bytes"
    fi
fi
[ $fails -eq 0 ]
