# Net offloads on atoll-hvt (ATOLL_EXT_F_NET_VNET, include/atoll/abi/ext.h),
# sourced by tests/hvt/run.sh (on the host and again inside its VM):
# examples/echo asks for virtio-net headers (lib/net's request note),
# atoll-hvt opens tap0 with IFF_VNET_HDR, TUN_F_CSUM and TUN_F_TSO4, and
# TCP crosses NET_READ/NET_WRITE (and the net ring) in segments of up to
# 64 KB both ways; with ATOLL_HVT_NET_OFFLOAD=0 the same image gets plain
# frames. And where the ring is offered: only with two usable CPUs or more
# unless ATOLL_HVT_NET_RING=1 (tenders/hvt/netio.c); the tender's ring
# thread is its second task.
#   HVT_OFFLOAD_MB  megabytes echoed through the offload path (default 20,
#                   each way; the nested TCG VM is slow)
if [ "${ATOLL_IN_VM:-}" != 1 ]; then
    case_files="$case_files tests/hvt/cases-offload.sh"
    case_tools="$case_tools $(tool sha256sum)"
fi
net_cases="$net_cases offload_hvt_cases"

# offload_boot NAME ARGS...: echo with --stats=1 and the offload line.
offload_boot() {
    n=$1
    shift
    start_guest hvt --ipv4=$GUEST/24 --log=info --stats=1 "$@"
    wait_up 60 && return 0
    fail "$n" "does not boot: $(guest_tail)"
    stop_guest
    return 1
}

# offload_line NAME WHAT: the guest's device line says "offload WHAT".
offload_line() {
    if grep -q "net: service: mac $MAC, mtu 1500, offload $2" \
        "$tmp/guest.out"; then
        pass "$1"
    else
        fail "$1" "$(grep -m1 'mtu' "$tmp/guest.out")"
    fi
}

# ring_tasks NAME WANT: the tender runs WANT tasks (2: with its ring thread).
ring_tasks() {
    got=$(ls "/proc/$guest_pid/task" 2>/dev/null | wc -l)
    if [ "$got" -eq "$2" ]; then
        pass "$1"
    else
        fail "$1" "atoll-hvt has $got tasks, want $2 ($cpus CPUs)"
    fi
}

offload_hvt_cases() {
    mb=${HVT_OFFLOAD_MB:-20}
    # The kernel may hand the TAP whole GSO segments (make_ns forbids it).
    "$IP" -n "$ns" link set tap0 gso_max_segs 65535
    cpus=$(grep -c "^processor" /proc/cpuinfo)
    if offload_boot "echo with offloads (hvt)"; then
        offload_line "the guest asked for offloads and atoll-hvt granted them" \
            "both ways"
        if [ "$cpus" -ge 2 ]; then
            ring_tasks "$cpus CPUs: atoll-hvt offers the net ring" 2
        else
            ring_tasks "one CPU: atoll-hvt offers no net ring" 1
        fi
        sha_case "$mb MB each way through the offload path, same sha256 (hvt)" \
            $((mb * 1000000))
        settle_stats
        stats_case "64 KB segments both ways on hvt, no checksum or header drops" \
            vnet_gso_tx vnet_gso_rx -- tcp_checksum vnet_bad_csum \
            vnet_bad_gso vnet_too_big
        stop_guest
    fi
    # The same through the ring: a segment longer than a slot buffer goes
    # from where it is.
    export ATOLL_HVT_NET_RING=1
    if offload_boot "echo with offloads and the ring (hvt)"; then
        unset ATOLL_HVT_NET_RING
        ring_tasks "ATOLL_HVT_NET_RING=1: the net ring on $cpus CPUs" 2
        sha_case "5 MB each way through the ring with offloads, same sha256 (hvt)" \
            5000000
        settle_stats
        stats_case "64 KB segments both ways through the ring" \
            vnet_gso_tx vnet_gso_rx -- tcp_checksum vnet_bad_csum \
            vnet_bad_gso vnet_too_big
        stop_guest
    fi
    unset ATOLL_HVT_NET_RING
    export ATOLL_HVT_NET_OFFLOAD=0
    if offload_boot "echo with ATOLL_HVT_NET_OFFLOAD=0 (hvt)"; then
        unset ATOLL_HVT_NET_OFFLOAD
        offload_line "ATOLL_HVT_NET_OFFLOAD=0: plain frames (hvt)" "none"
        sha_case "2 MB each way without offloads, same sha256 (hvt)" 2000000
        stop_guest
    fi
    unset ATOLL_HVT_NET_OFFLOAD
    "$IP" -n "$ns" link set tap0 gso_max_segs 1
}
