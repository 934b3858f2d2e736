#!/bin/sh
# Run a command inside a small Linux VM that offers a working /dev/kvm,
# for hvt tests on machines without one. See tests/vm/README.md.
#
#   sh tests/vm/vm.sh [-t SECONDS] [-a auto|tcg|kvm] [-c CONSOLE]
#       [-f FILE]... [-x PROGRAM]... [-m PATH]... -- COMMAND...
#
# COMMAND (its words joined by spaces, run by the guest's busybox sh in
# /work) gets the FILEs (a relative path lands under /work, an absolute
# one at the same path) and the host PROGRAMs (at their host paths, with
# the shared libraries ldd names); -m PATH copies the host file or folder
# PATH (absolute) to the same path, times kept (to the second, as the
# initramfs keeps them), as tests/xen/vm.sh -m does. Its output comes
# back on stdout, its
# exit status is ours. Otherwise, with a line "vm: ..." on stderr saying
# why: 124 time limit, 125 no VM to be had (no QEMU, busybox or kernel
# package), 126 the VM failed (QEMU's error, no /dev/kvm in the guest).
set -u
limit=${ATOLL_VM_TIMEOUT:-900}
accel=${ATOLL_VM_ACCEL:-auto}
cache=${ATOLL_VM_CACHE:-build/vm}
console=""
files=""
progs=""
mirrors=""
while getopts t:a:c:f:x:m: o; do
    case $o in
    t) limit=$OPTARG ;;
    a) accel=$OPTARG ;;
    c) console=$OPTARG ;;
    f) files="$files $OPTARG" ;;
    x) progs="$progs $OPTARG" ;;
    m) mirrors="$mirrors $OPTARG" ;;
    *) echo "usage: vm.sh [-t S] [-a auto|tcg|kvm] [-c FILE] [-f FILE]..." \
        "[-x PROGRAM]... [-m PATH]... -- COMMAND..." >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "vm: no command" >&2; exit 2; }

die() { echo "vm: $*" >&2; exit 125; }    # no VM to be had
broke() { echo "vm: $*" >&2; exit 126; }  # the VM failed

qemu=$(command -v qemu-system-x86_64) ||
    die "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
bb=$(command -v busybox) || die "no busybox (apt-get install busybox-static)"

# The kernel: Debian's, fetched by tests/lib/deps.sh (tests/vm/kernel.sh).
. "$(dirname "$0")/kernel.sh"
vm_kernel

tmp=$(mktemp -d /tmp/atoll-vm.XXXXXX)
qpid=""
# Never leave QEMU behind: killed on any exit of ours, and (pdeathsig
# below) by the kernel if we are killed with SIGKILL.
cleanup() {
    [ -n "$qpid" ] && kill -KILL "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ---- the initramfs ------------------------------------------------------
root=$tmp/root
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" \
    "$root/run" "$root/work" "$root/mod" || broke "cannot write $tmp"

. "$(dirname "$0")/initramfs.sh" # copy, add_libs, add_mirror

# A host program (a name looked up in PATH, or a path) at the same path.
add_prog() {
    p=$(command -v "$1") || die "no program $1 on this host"
    case $p in /*) ;; *) p=$(pwd)/$p ;; esac
    copy "$p" "$p"
    add_libs "$p"
}

copy "$bb" /bin/busybox
add_prog "$bb" # nothing more when static (busybox-static)
for p in $progs; do add_prog "$p"; done
for f in $files; do
    case $f in
    /*) copy "$f" "$f" ;;
    *) copy "$f" "/work/$f" ;;
    esac
    add_libs "$f"
done
for m in $mirrors; do add_mirror "$m"; done
# kvm-amd needs kvm and ccp, kvm needs irqbypass; tun gives TAP devices,
# inet_diag and tcp_diag what ss shows of a TCP connection (its MSS).
for m in virt/lib/irqbypass arch/x86/kvm/kvm drivers/crypto/ccp/ccp \
    arch/x86/kvm/kvm-amd arch/x86/kvm/kvm-intel drivers/net/tun \
    net/ipv4/inet_diag net/ipv4/tcp_diag; do
    cp "$mods/$m.ko" "$root/mod/" || broke "no module $m.ko in $deb"
done
printf '%s\n' "$*" >"$root/work/.vm-command"
# Users for programs that drop privileges (dnsmasq runs as nobody).
mkdir -p "$root/etc"
printf 'root:x:0:0:root:/work:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
    >"$root/etc/passwd"
printf 'root:x:0:\ndip:x:30:\nnogroup:x:65534:\n' >"$root/etc/group"
glimit=$((limit - 10))
[ "$glimit" -ge 10 ] || glimit=10

cat >"$root/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/work ATOLL_IN_VM=1
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
ip link set lo up
out=/dev/ttyS1
stty -F \$out raw -echo 2>/dev/null
( sleep $glimit; echo "atoll-vm: guest time limit" >\$out; poweroff -f ) &
# kvm's forced-emulation prefix (ud2 then "kvm") makes KVM emulate the
# next instruction: tests/tender/hvt's check that an instruction KVM
# cannot emulate is named needs it where KVM runs SSE natively.
insmod /mod/irqbypass.ko
insmod /mod/kvm.ko force_emulation_prefix=1
insmod /mod/ccp.ko
insmod /mod/kvm-amd.ko 2>/dev/null || insmod /mod/kvm-intel.ko 2>/dev/null
for m in tun inet_diag tcp_diag; do insmod /mod/\$m.ko; done
echo "atoll-vm: up \$(cut -d' ' -f1 /proc/uptime) s" >\$out
if [ -c /dev/kvm ]; then
    cd /work && sh ./.vm-command </dev/null >\$out 2>&1
    echo "atoll-vm-exit: \$?" >\$out
else
    echo "atoll-vm: no /dev/kvm in the guest (kvm-amd or kvm-intel did not load)" >\$out
fi
sync
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | "$bb" cpio -o -H newc -R 0:0 2>/dev/null) \
    >"$tmp/initrd" || broke "cannot make the initramfs"

# ---- boot ---------------------------------------------------------------
if [ "$accel" = auto ]; then
    # Nested KVM only where the host's CPU shows its virtualization flag.
    if sh "$(dirname "$0")/../lib/kvm-usable.sh" &&
        grep -qwE 'svm|vmx' /proc/cpuinfo; then
        accel=kvm
    else
        accel=tcg
    fi
fi
case $accel in
tcg) aopt="-accel tcg -cpu qemu64,+svm,+npt" ;;
kvm)
    grep -qwE 'svm|vmx' /proc/cpuinfo ||
        die "-a kvm: this CPU shows no svm or vmx flag (no nested KVM)"
    aopt="-accel kvm -cpu host"
    ;;
*) echo "vm: -a auto, tcg or kvm" >&2; exit 2 ;;
esac
[ -n "$console" ] || console=$tmp/console
: >"$console" && : >"$tmp/out" || broke "cannot write $console"
setpriv=""
setpriv --help 2>/dev/null | grep -q pdeathsig && setpriv="setpriv --pdeathsig KILL"
# shellcheck disable=SC2086
$setpriv "$qemu" -nodefaults -no-user-config -no-reboot -display none \
    -monitor none -m "${ATOLL_VM_MEM:-1024}" -smp "${ATOLL_VM_CPUS:-1}" $aopt \
    -kernel "$kernel" -initrd "$tmp/initrd" \
    -append "console=ttyS0 loglevel=4 panic=-1 mitigations=off" \
    -chardev "file,id=con,path=$console" -serial chardev:con \
    -chardev "file,id=out,path=$tmp/out" -serial chardev:out \
    </dev/null >"$tmp/qemu.err" 2>&1 &
qpid=$!
t0=$(date +%s)
# A guest kernel that is not up within boot_limit has hung while booting
# (seen under TCG with two vCPUs: soft lockups before init ran): stop it
# then rather than at the whole run's limit, so a caller may boot again.
boot_limit=${ATOLL_VM_BOOT_TIMEOUT:-120}
while kill -0 "$qpid" 2>/dev/null; do
    el=$(($(date +%s) - t0))
    if [ "$el" -ge "$boot_limit" ] && [ "$el" -lt "$limit" ] &&
        ! grep -q '^atoll-vm: up' "$tmp/out"; then
        kill -KILL "$qpid" 2>/dev/null
        wait "$qpid" 2>/dev/null
        qpid=""
        echo "vm: time limit: killed QEMU, the guest was not up after" \
            "$boot_limit s (console: $(tail -n 3 "$console" | tr '\r\n' '||'))" >&2
        exit 124
    fi
    if [ "$el" -ge "$limit" ]; then
        kill -KILL "$qpid" 2>/dev/null
        wait "$qpid" 2>/dev/null
        qpid=""
        tr -d '\r' <"$tmp/out" | grep -v '^atoll-vm'
        echo "vm: time limit: killed QEMU after $limit s" \
            "(console: $(tail -n 3 "$console" | tr '\r\n' '||'))" >&2
        exit 124
    fi
    sleep 0.2
done
wait "$qpid"
qrc=$?
qpid=""
tr -d '\r' <"$tmp/out" | grep -v '^atoll-vm' 
rc=$(tr -d '\r' <"$tmp/out" | sed -n 's/^atoll-vm-exit: \([0-9]*\)$/\1/p')
up=$(tr -d '\r' <"$tmp/out" | sed -n 's/^atoll-vm: up \(.*\)$/\1/p')
[ -n "$up" ] && echo "vm: guest up after $up (accel $accel)" >&2
if [ -z "$rc" ] && grep -q '^atoll-vm: guest time limit' "$tmp/out"; then
    echo "vm: time limit: the guest powered off after $glimit s" >&2
    exit 124
fi
if [ -z "$rc" ]; then
    why=$(tr -d '\r' <"$tmp/out" | grep '^atoll-vm: no' | head -n 1)
    [ -n "$why" ] || why="QEMU exited with status $qrc before the command\
 finished: $(head -c 300 "$tmp/qemu.err"); console:\
 $(tail -n 5 "$console" | tr -d '\r' | tr '\n' '|')"
    broke "${why#atoll-vm: }"
fi
exit "$rc"
