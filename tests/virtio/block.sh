#!/bin/sh
# virtio-blk end to end under QEMU (TCG where /dev/kvm is not usable):
# tests/guest/block.c built for virtio writes a numbered pattern, flushes,
# reads it back and checks the error cases; the host then checks the
# backing file. One boot per transport (virtio-mmio v1 and v2 on microvm,
# v1 found from virtio_mmio.device= words, v2 from the ACPI DSDT;
# virtio-pci legacy and modern on q35), each with two disks, so that the
# binding order is checked too: by default the manifest's "storage" gets
# the first disk found; with --virtio.block=storage:1 the second. Two more
# boots check flush: a flush the host fails (QEMU blkdebug) must come back
# as an error, and a disk without a write cache (no VIRTIO_BLK_F_FLUSH)
# must be reported at boot and give ENOTSUP. A last one gives a malformed
# --virtio.block.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
. tests/lib/check.sh
. tests/virtio/devqemu.sh
tmp=$(mktemp -d /tmp/atoll-vblk.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

IMG=$B/tests/guest/block.virtio
FIRST=3
COUNT=300 # 150 KiB: more than one request (block.c's BLK_CHUNK)

if [ ! -f "$IMG" ]; then
    fail "virtio block" "missing $IMG (run make test-programs)"
    exit 1
fi
if ! command -v "$QEMU" >/dev/null 2>&1; then
    skip "virtio block" "needs $QEMU (qemu-system-x86)"
    exit 0
fi

# The pattern block.c writes, COUNT blocks of 512 bytes.
i=0
while [ $i -lt $((COUNT * 32)) ]; do
    printf 'atoll blk %05d\n' $((i % 100000))
    i=$((i + 1))
done >"$tmp/want"

# boot NAME TRANSPORT DRIVE-OPTS DEVICE-PROPS GUEST-ARGS: two 1 MiB disks,
# the guest's console in $tmp/out, QEMU's status in $rc.
boot() {
    rm -f "$tmp/d0" "$tmp/d1"
    truncate -s 1M "$tmp/d0" && truncate -s 1M "$tmp/d1"
    s=$(dev_suffix "$2")
    # shellcheck disable=SC2046
    timeout 120 "$QEMU" $(qemu_args "$2") -kernel "$IMG" \
        -append "$(mmio_entries "$2" 2) $5" \
        -drive "if=none,id=d0,format=raw,file=$3$tmp/d0" \
        -device "virtio-blk-$s,drive=d0$(dev_props "$2")$4" \
        -drive "if=none,id=d1,format=raw,file=$tmp/d1" \
        -device "virtio-blk-$s,drive=d1$(dev_props "$2")" \
        >"$tmp/out" 2>&1 </dev/null
    rc=$?
}

# The file holds the pattern at block FIRST and zeros around it.
file_ok() {
    dd if="$1" bs=512 skip=$FIRST count=$COUNT 2>/dev/null |
        cmp -s - "$tmp/want" &&
        [ "$(dd if="$1" bs=512 count=$FIRST 2>/dev/null | tr -d '\0' |
            wc -c)" -eq 0 ] &&
        [ "$(dd if="$1" bs=512 skip=$((FIRST + COUNT)) 2>/dev/null |
            tr -d '\0' | wc -c)" -eq 0 ]
}

empty() { [ "$(tr -d '\0' <"$1" | wc -c)" -eq 0 ]; }

why() { grep -a -E '^(bad:|virtio:|panic|atoll:)' "$tmp/out" | head -n 3 |
    tr '\n' '|' | cut -c 1-240; }

t0=$(date +%s)
for t in mmio1 mmio2 pci-legacy pci-modern; do
    case $t in
    mmio1 | pci-legacy) param="" want=d0 other=d1 ;;
    *) param="--virtio.block=storage:1" want=d1 other=d0 ;;
    esac
    name="block round trip ($t${param:+, $param})"
    # On mmio1 also an entry with no device behind it: skipped, one line.
    bogus=""
    [ $t = mmio1 ] && bogus="virtio_mmio.device=4K@0xd0000000:5"
    boot "$name" $t "" "" "$bogus $param -- $FIRST $COUNT"
    if [ $rc -ne 1 ] || grep -a -q '^bad:' "$tmp/out"; then
        fail "$name" "QEMU status $rc (1 is exit 0): $(why)"
    elif ! grep -a -q "virtio: block storage: block ${want#d} ($(transport_re $t)), 1048576 bytes in blocks of 512, flush" "$tmp/out"; then
        fail "$name" "no binding line for $want over $t: $(why)"
    elif ! file_ok "$tmp/$want"; then
        fail "$name" "the host does not find the pattern in $want"
    elif ! empty "$tmp/$other"; then
        fail "$name" "$other was written to"
    elif [ -n "$bogus" ] && ! grep -a -q "^virtio: mmio 0xd0000000: not a virtio-mmio device (magic 0, version 0), skipped" "$tmp/out"; then
        fail "$name" "no line for the entry without a device: $(why)"
    else
        pass "$name"
    fi
done

# A flush that fails on the host: block.c says "bad: flush result ..."
# and nothing else is bad.
cat >"$tmp/blkdebug.conf" <<'CONF'
[inject-error]
event = "flush_to_os"
iotype = "flush"
errno = "5"
once = "off"
CONF
name="a flush failed by the host is an error in the guest (pci-modern)"
boot "$name" pci-modern "blkdebug:$tmp/blkdebug.conf:" "" "-- $FIRST $COUNT"
if [ $rc -eq 3 ] && grep -a -q '^bad: flush result matches can_flush' "$tmp/out" &&
    [ "$(grep -a -c '^bad:' "$tmp/out")" -eq 1 ]; then
    pass "$name"
else
    fail "$name" "QEMU status $rc: $(why)"
fi

# No write cache, no VIRTIO_BLK_F_FLUSH: reported at boot, can_flush=0,
# atoll_block_flush is ENOTSUP (block.c checks it matches can_flush).
name="a disk without flush is reported and flush is ENOTSUP (mmio2)"
boot "$name" mmio2 "" ",write-cache=off,config-wce=off" "-- $FIRST $COUNT"
if [ $rc -eq 1 ] && ! grep -a -q '^bad:' "$tmp/out" &&
    grep -a -q "virtio: block storage: .*no flush" "$tmp/out" &&
    grep -a -q 'can_flush=0' "$tmp/out" && file_ok "$tmp/d0"; then
    pass "$name"
else
    fail "$name" "QEMU status $rc: $(why)"
fi
# A malformed binding parameter stops the boot (lib/rt: exit status 2,
# QEMU's 5) with one line naming it.
name="a bad --virtio.block stops the boot with one line (pci-legacy)"
boot "$name" pci-legacy "" "" "--virtio.block=storage:x"
if [ $rc -eq 5 ] && grep -a -q "boot parameter --virtio.block: 'storage:x'" "$tmp/out" &&
    empty "$tmp/d0" && empty "$tmp/d1"; then
    pass "$name"
else
    fail "$name" "QEMU status $rc: $(why)"
fi
echo "virtio block: 7 boots in $(($(date +%s) - t0)) s"
[ $fails -eq 0 ]
