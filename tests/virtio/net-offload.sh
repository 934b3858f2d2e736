#!/bin/sh
# virtio-net offloads under QEMU TCG (bindings/virtio/net.c): QEMU's
# virtio-net on a TAP with virtio-net headers (-netdev tap,vnet_hdr=on)
# offers CSUM, HOST_TSO4, GUEST_CSUM, GUEST_TSO4 and MRG_RXBUF; the guest
# takes them, lib/net sends 64 KB TCP segments with partial checksums and
# takes the ones Linux coalesces, arriving in mergeable buffers. Cases:
# OFFLOAD_MB (default 50) MB echoed each way on pci modern, sha256
# compared, with 64 KB segments counted both ways and no header or
# checksum drops, then 10 MB through 5% loss each way (nftables, as
# tests/offload); 10 MB on pci legacy and on virtio-mmio v2; 10 MB with
# mrg_rxbuf=off (only the transmit group is taken: segments out, none
# in); 10 MB with every offload off on QEMU's side (plain frames, as
# before offloads). In a network namespace of the test's own with tap0
# (GSO allowed), deleted on exit.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
mb=${OFFLOAD_MB:-50}
. tests/lib/check.sh
scratch virtio-offload stop_guest
. tests/lib/net-cases.sh
. tests/virtio/devqemu.sh

GUEST=10.0.0.2
HOST=10.0.0.1
MAC=52:54:00:12:34:56
IMG=$B/examples/echo.virtio

if [ ! -f "$IMG" ]; then
    fail "virtio offloads" "missing $IMG (run make)"
    exit 1
fi
missing=""
[ "$(id -u)" = 0 ] || missing="$missing root"
for c in "$QEMU" ip nc ping sha256sum; do
    command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
    skip "virtio offloads" "needs$missing"
    exit 0
fi
if ! make_ns atoll-voff 2>"$tmp/err"; then
    fail "namespace" "$(head -n 1 "$tmp/err")"
    exit 1
fi
# The kernel may hand the TAP whole GSO segments (make_ns forbids it).
"$IP" -n "$ns" link set tap0 gso_max_segs 65535

ON="csum=on,guest_csum=on,host_tso4=on,guest_tso4=on,mrg_rxbuf=on"
OFF="csum=off,guest_csum=off,host_tso4=off,guest_tso4=off,mrg_rxbuf=off"

# boot NAME TRANSPORT VNET_HDR PROPS: echo with --stats=1 on tap0, console
# in $tmp/guest.out, up within 60 s; $guest_pid is timeout(1), which
# passes stop_guest's signal on to QEMU.
boot() {
    n=$1 t=$2 vh=$3 props=$4
    # shellcheck disable=SC2046
    "$IP" netns exec "$ns" timeout 300 "$QEMU" $(qemu_args "$t") -kernel "$IMG" \
        -append "$(mmio_entries "$t" 1) --ipv4=$GUEST/24 \
--ipv4-gateway=$HOST --log=info --stats=1" \
        -netdev tap,id=n0,ifname=tap0,script=no,downscript=no,vnet_hdr=$vh \
        -device "virtio-net-$(dev_suffix "$t"),netdev=n0$(dev_props "$t"),$props" \
        >"$tmp/guest.out" 2>&1 </dev/null &
    guest_pid=$!
    if wait_up 60; then
        return 0
    fi
    fail "$n" "not up in 60 s: $(guest_tail)"
    stop_guest
    return 1
}

# says NAME TEXT: the guest's console has TEXT.
says() {
    if grep -q "$2" "$tmp/guest.out"; then
        pass "$1"
    else
        fail "$1" "$(grep -m1 'offload' "$tmp/guest.out")"
    fi
}

started=$(date +%s)
if boot "offloads both ways (pci modern)" pci-modern on "$ON"; then
    says "QEMU's offloads taken (pci modern)" "offload both ways"
    sha_case "$mb MB each way through the offload path, same sha256 \
(virtio pci modern)" $((mb * 1000000))
    settle_stats
    stats_case "64 KB segments both ways, coalesced ones taken, no drops \
(pci modern)" vnet_gso_tx vnet_gso_rx -- tcp_checksum vnet_bad_csum \
        vnet_bad_gso vnet_too_big
    name="10 MB through 5% loss each way with offloads, same sha256 \
(pci modern)"
    if ! command -v nft >/dev/null 2>&1; then
        skip "$name" "needs nftables"
    elif ! loss_on 2>"$tmp/nft.err"; then
        fail "$name" "nft: $(head -n 1 "$tmp/nft.err")"
    else
        sha_case "$name" 10000000 "$cns"
        loss_off
        settle_stats
        stats_case "the guest retransmitted what was lost (pci modern)" \
            tcp_retransmits vnet_gso_tx -- vnet_bad_csum vnet_bad_gso
    fi
    stop_guest
fi
for t in pci-legacy mmio2; do
    if boot "offloads both ways ($t)" $t on "$ON"; then
        sha_case "10 MB each way with offloads, same sha256 ($t)" 10000000
        settle_stats
        stats_case "64 KB segments both ways ($t)" vnet_gso_tx vnet_gso_rx \
            -- tcp_checksum vnet_bad_csum vnet_bad_gso vnet_too_big
        stop_guest
    fi
done
if boot "mrg_rxbuf=off (pci modern)" pci-modern on \
    "csum=on,guest_csum=on,host_tso4=on,guest_tso4=on,mrg_rxbuf=off"; then
    sha_case "10 MB each way with the transmit group only, same sha256" \
        10000000
    settle_stats
    stats_case "segments sent, none taken without MRG_RXBUF" vnet_gso_tx \
        -- vnet_gso_rx tcp_checksum vnet_bad_csum vnet_bad_gso vnet_too_big
    stop_guest
fi
if boot "offloads off on QEMU's side (pci modern)" pci-modern off "$OFF"; then
    says "no offloads offered: plain frames" "offload none"
    sha_case "10 MB each way without offloads, same sha256" 10000000
    settle_stats
    stats_case "no segments either way" tcp_rx -- vnet_gso_tx vnet_gso_rx \
        tcp_checksum
    stop_guest
fi
echo "virtio offloads: 5 boots in $(($(date +%s) - started)) s"
[ $fails -eq 0 ]
