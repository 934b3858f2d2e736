# Sourced by tests/vm/vm.sh and tests/xen/vm.sh: Debian's kernel package,
# linux-image-6.1.0-*-amd64, fetched by tests/lib/deps.sh with apt-get
# download into $cache and unpacked there once (never installed).
# vm_kernel sets kdir (the unpacked package), kernel (the ELF vmlinux
# inside vmlinuz, or vmlinuz itself without xz) and mods (its
# lib/modules/*/kernel). The caller defines die (no VM to be had) and
# broke (the VM failed).

# The ELF kernel inside vmlinuz (an xz stream), which QEMU boots through its
# PVH entry: the guest then need not decompress itself, ~15 s under TCG.
unpack_vmlinux() { # DIR
    z=$(ls "$1"/boot/vmlinuz-* 2>/dev/null | head -n 1)
    off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$z" 2>/dev/null |
        head -n 1 | cut -d: -f1)
    [ -n "$off" ] && command -v xz >/dev/null || return 0
    tail -c +$((off + 1)) "$z" | xz -dc >"$1/vmlinux" 2>/dev/null
    [ "$(head -c 4 "$1/vmlinux" | tail -c 3)" = ELF ] || rm -f "$1/vmlinux"
}

vm_kernel() {
    deb=$(ls "$cache"/linux-image-6.1.0-*-amd64_*.deb 2>/dev/null | tail -n 1)
    [ -n "$deb" ] ||
        die "no kernel package in $cache (run: sh tests/lib/deps.sh test)"
    kdir=$cache/$(basename "$deb" .deb)
    if [ ! -f "$kdir/done" ]; then
        rm -rf "$kdir.tmp.$$"
        dpkg-deb -x "$deb" "$kdir.tmp.$$" || broke "cannot unpack $deb"
        unpack_vmlinux "$kdir.tmp.$$"
        touch "$kdir.tmp.$$/done"
        # Another run may have unpacked it meanwhile: keep the first.
        mv -T "$kdir.tmp.$$" "$kdir" 2>/dev/null || rm -rf "$kdir.tmp.$$"
    fi
    kernel=$kdir/vmlinux
    [ -f "$kernel" ] ||
        kernel=$(ls "$kdir"/boot/vmlinuz-* 2>/dev/null | head -n 1)
    mods=$(ls -d "$kdir"/lib/modules/*/kernel 2>/dev/null | head -n 1)
    [ -n "$kernel" ] && [ -n "$mods" ] || die "no vmlinuz or modules in $kdir"
}
