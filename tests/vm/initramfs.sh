# Filling a test VM's initramfs, for tests/vm/vm.sh and tests/xen/vm.sh:
# sourced after they set $root (the initramfs tree) and define broke()
# (a failure of the VM, not of the test).

# copy SRC DEST: DEST inside the guest's root, following symlinks.
copy() {
    mkdir -p "$root$(dirname "$2")" && cp -L "$1" "$root$2" ||
        broke "cannot copy $1"
}

# add_libs FILE: the host libraries the loader would map for FILE, when
# it is a dynamic program, at their paths.
add_libs() {
    [ -f "$1" ] && [ -x "$1" ] || return 0
    for l in $(ldd "$1" 2>/dev/null | awk '{ for (i = 1; i <= NF; i++)
            if ($i ~ /^\//) print $i }'); do
        [ -e "$root$l" ] || copy "$l" "$l"
    done
}

# add_mirror PATH (vm.sh -m): the host file or folder at the same path
# with its times kept (atoll run judges an image up to date by them),
# and the libraries of a program.
add_mirror() {
    case $1 in
    /*) ;;
    *) echo "vm: -m $1: not an absolute path" >&2; exit 2 ;;
    esac
    mkdir -p "$root$(dirname "$1")" && cp -a "$1" "$root$1" ||
        broke "cannot copy $1"
    add_libs "$1"
}
