# Sourced by tests/virtio/net.sh and block.sh: QEMU command lines for the
# four virtio transports the drivers support, one boot each.
#
#   qemu_args TRANSPORT     print the machine and global options
#   dev_suffix TRANSPORT    "device" (virtio-mmio) or "pci"
#   dev_props TRANSPORT     ",disable-..." properties of a PCI device
#
# TRANSPORT: mmio1 (microvm, virtio-mmio version 1: QEMU's default),
# mmio2 (microvm, -global virtio-mmio.force-legacy=false), pci-legacy
# (q35, disable-modern=on), pci-modern (q35, disable-legacy=on).
# PCI devices get no option ROM (iPXE would only slow the boot).
# Every guest gets isa-debug-exit (QEMU exits (s << 1) | 1 for the
# guest's status s) and its console on stdout.
QEMU=${QEMU:-qemu-system-x86_64}

qemu_args() {
    common="-accel tcg -m 128 -nodefaults -nographic -no-reboot -serial stdio \
-device isa-debug-exit,iobase=0x501,iosize=2"
    case $1 in
    mmio1) echo "-M microvm $common" ;;
    mmio2) echo "-M microvm -global virtio-mmio.force-legacy=false $common" ;;
    pci-*) echo "-M q35 $common" ;;
    esac
}

dev_suffix() {
    case $1 in
    mmio*) echo device ;;
    *) echo pci ;;
    esac
}

dev_props() {
    case $1 in
    pci-legacy) echo ",disable-modern=on,romfile=" ;;
    pci-modern) echo ",disable-legacy=on,romfile=" ;;
    esac
}

# What the guest's binding line says for the transport (virtio_bind.c).
transport_re() {
    case $1 in
    mmio1) echo "mmio 0x[0-9a-f]* v1" ;;
    mmio2) echo "mmio 0x[0-9a-f]* v2" ;;
    pci-legacy) echo "pci [0-9a-f:.]* legacy" ;;
    pci-modern) echo "pci [0-9a-f:.]* modern" ;;
    esac
}

# mmio_entries TRANSPORT N: the virtio_mmio.device= words for N devices,
# for mmio1 (empty for the others: mmio2 finds its devices in the ACPI
# DSDT, so both ways are tested). QEMU 7.2's microvm does not pass the
# entries it appends itself to a multiboot or PVH kernel, so the tests
# give them, as Firecracker does: with ACPI (the default) microvm has 24
# transports from 0xfeb00000, 512 bytes apart, on GSIs from 24, and the
# k-th -device (from 0) sits on transport 23 - k.
mmio_entries() {
    case $1 in
    mmio1) ;;
    *) return ;;
    esac
    k=0 words=""
    while [ $k -lt "$2" ]; do
        i=$((23 - k))
        words="$words virtio_mmio.device=512@$(printf '0x%x' \
$((0xfeb00000 + 512 * i))):$((24 + i))"
        k=$((k + 1))
    done
    echo "$words"
}
