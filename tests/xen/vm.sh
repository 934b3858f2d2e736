#!/bin/sh
# Boot Xen 4.17 (Debian's packages) in QEMU, with Debian's kernel as dom0 in
# an initramfs of busybox and the Xen toolstack, and run PVH guests in it
# one after another with xl. See tests/xen/README.md.
#
#   sh tests/xen/vm.sh [-t S] [-g S] [-c CONSOLE] [-p PROG]... [-m PATH]... \
#       -- CASE...
#
# Each CASE is "IMAGE [COMMAND LINE]": the host file IMAGE booted as a PVH
# guest of 32 MiB with that command line; or "xl:CONFIG", an xl
# configuration (atoll run --print-config) run as it is but for its kernel
# (the host file it names, copied in) and name (atollN). Either may come
# after "dom0:SCRIPT ": SCRIPT (a host file) then runs in dom0 with sh
# while the guest runs (DOM=atollN, CON=the console file so far), and the
# guest is destroyed when it ends; its output becomes the case's "dom0: "
# lines. dom0 has a bridge xenbr0 at 10.0.0.1/24, and a vif hotplug script
# of ours (/etc/xen/scripts/vif-bridge: up, on the bridge xenstore names).
# -p PROG (repeatable) copies a host program with its libraries into
# dom0's /usr/bin; -m PATH (repeatable) copies the host file or folder
# PATH to the same path in dom0, times kept (the initramfs keeps them to
# the second), with the libraries of an executable. A CASE "sh:SCRIPT
# [ARGS]" runs the host file SCRIPT with busybox sh and ARGS in dom0
# instead of a guest of vm.sh's own, its output (stdout and stderr) as
# the case's console. For each case, in order, stdout gets
#   xen-case N begin
#   ... the guest's console: Xen's console_io lines of the domain, then
#       its PV console as xl -c showed it ...
#   xen-case N shutdown REASON     poweroff, reboot, suspend, crash,
#                                  watchdog, soft_reset, code-K, or none
#                                  (no shutdown within -g seconds)
#   xen-case N ms MILLISECONDS     from xl create to xl's exit
#   xen-case N cpu SECONDS         the domain's CPU time as xl list showed
#                                  it at most a second before its end
#                                  (empty if it ran less than a second)
#   xen-case N first MILLISECONDS  from xl create to the first console line
#   xen-case N disk K SHA256       an xl: case's K-th disk (target=FILE,
#                                  from 0), copied into dom0 before and
#                                  hashed there after the guest (a loop
#                                  device for blkback: our
#                                  /etc/xen/scripts/block)
# (xl exits 0 even when the guest crashed: REASON is what tells.)
# Exit status 0 when every case ran; otherwise, with a line "vm: ..." on
# stderr: 124 time limit, 125 no VM to be had (no QEMU, busybox, kernel or
# Xen package), 126 the VM failed. CONSOLE keeps Xen's serial console.
set -u
limit=${ATOLL_VM_TIMEOUT:-300}
glimit=20
cache=${ATOLL_VM_CACHE:-build/vm}
console=""
progs=""
mirrors=""
while getopts t:g:c:p:m: o; do
    case $o in
    t) limit=$OPTARG ;;
    g) glimit=$OPTARG ;;
    c) console=$OPTARG ;;
    p) progs="$progs $OPTARG" ;;
    m) mirrors="$mirrors $OPTARG" ;;
    *) echo "usage: vm.sh [-t S] [-g S] [-c FILE] [-p PROG]... [-m PATH]... -- '[dom0:SCRIPT] IMAGE [ARGS]'..." >&2
        exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "vm: no case" >&2; exit 2; }

die() { echo "vm: $*" >&2; exit 125; }    # no VM to be had
broke() { echo "vm: $*" >&2; exit 126; }  # the VM failed

qemu=$(command -v qemu-system-x86_64) ||
    die "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
bb=$(command -v busybox) || die "no busybox (apt-get install busybox-static)"
. "$(dirname "$0")/../vm/kernel.sh"
vm_kernel

# ---- Xen: Debian's packages, downloaded (not installed) into $cache/xen ----
xpkgs="xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils libxencall1 \
libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxenmisc4.17 libxenstore4 \
libxentoollog1 libxendevicemodel1 libxenhypfs1 libxentoolcore1 libyajl2"
xcache=$cache/xen
mkdir -p "$xcache" && xcache=$(cd "$xcache" && pwd) || broke "cannot write $xcache"
xroot=$xcache/root
if [ ! -f "$xroot/done" ]; then
    mkdir -p "$xcache" || broke "cannot write $xcache"
    # shellcheck disable=SC2086
    (cd "$xcache" && apt-get download -q $xpkgs >/dev/null 2>&1) ||
        die "cannot apt-get download the Xen 4.17 packages into $xcache"
    rm -rf "$xroot.tmp.$$"
    mkdir -p "$xroot.tmp.$$"
    for p in $xpkgs; do
        d=$(ls "$xcache/${p}_"*.deb 2>/dev/null | tail -n 1)
        [ -n "$d" ] || die "no package $p in $xcache"
        dpkg-deb -x "$d" "$xroot.tmp.$$" || broke "cannot unpack $d"
    done
    # QEMU boots the hypervisor as a multiboot image, not gzipped.
    gzip -dc "$xroot.tmp.$$"/boot/xen-4.17-amd64.gz >"$xroot.tmp.$$/xen" ||
        broke "cannot gunzip the hypervisor"
    touch "$xroot.tmp.$$/done"
    mv -T "$xroot.tmp.$$" "$xroot" 2>/dev/null || rm -rf "$xroot.tmp.$$"
fi
xbin=/usr/lib/xen-4.17/bin
xlibs=$xroot/usr/lib/x86_64-linux-gnu:$xroot/usr/lib/xen-4.17/lib/x86_64-linux-gnu

tmp=$(mktemp -d /tmp/atoll-xen.XXXXXX)
qpid=""
cleanup() {
    [ -n "$qpid" ] && kill -KILL "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ---- dom0's initramfs ---------------------------------------------------
root=$tmp/root
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" \
    "$root/run" "$root/mod" "$root/guest" "$root/etc" ||
    broke "cannot write $tmp"
. "$(dirname "$0")/../vm/initramfs.sh" # copy, add_libs, add_mirror
# A program of the Xen packages at its path, with the libraries it needs
# from them or, failing that, from the host.
add_xen() { # PATH
    [ -f "$xroot$1" ] || die "no $1 in the Xen packages"
    copy "$xroot$1" "$1"
    for l in $(LD_LIBRARY_PATH=$xlibs ldd "$xroot$1" 2>/dev/null | awk '
            / => \// { print $3 } /^\t\/[^ ]* \(/ { print $1 }'); do
        case $l in
        "$xroot"/*) dest=${l#"$xroot"} ;;
        *) dest=$l ;;
        esac
        [ -e "$root$dest" ] || copy "$l" "$dest"
    done
}
copy "$bb" /bin/busybox
for p in xl xenstored xen-init-dom0 xenconsoled xenconsole; do
    add_xen $xbin/$p
done
# One program, named by how it is called (hard links in the package).
for p in xenstore-read xenstore-write xenstore-ls; do
    add_xen /usr/bin/$p
done
for m in drivers/xen/xen-evtchn drivers/xen/xen-gntdev \
    drivers/xen/xen-gntalloc drivers/xen/xen-privcmd drivers/xen/xenfs/xenfs \
    net/llc/llc net/802/stp net/bridge/bridge \
    drivers/net/xen-netback/xen-netback drivers/block/loop \
    drivers/block/xen-blkback/xen-blkback; do
    cp "$mods/$m.ko" "$root/mod/" || broke "no module $m.ko"
done
for p in $progs; do
    h=$(command -v "$p") || die "no program $p on this host"
    copy "$h" "/usr/bin/$(basename "$p")"
    add_libs "$h"
done
for m in $mirrors; do add_mirror "$m"; done
# libxl runs this for each vif (online/offline; XENBUS_PATH the backend's
# xenstore path, vif the interface): Xen's own script needs bash. netback
# keeps the vif from Connected until hotplug-status says connected.
mkdir -p "$root/etc/xen/scripts"
cat >"$root/etc/xen/scripts/vif-bridge" <<'HOTPLUG'
#!/bin/sh
dev=${vif:-vif$(echo "$XENBUS_PATH" | cut -d/ -f3).$(echo "$XENBUS_PATH" | cut -d/ -f4)}
br=$(xenstore-read "$XENBUS_PATH/bridge" 2>/dev/null) || br=xenbr0
echo "$1 $dev $br" >>/tmp/hotplug.log
case $1 in
online | add)
    ip link set "$dev" up && ip link set "$dev" master "$br" &&
        xenstore-write "$XENBUS_PATH/hotplug-status" connected ;;
*) ip link set "$dev" nomaster 2>/dev/null; exit 0 ;;
esac
HOTPLUG
chmod +x "$root/etc/xen/scripts/vif-bridge"
# libxl runs this for each disk (add/remove; XENBUS_PATH the backend's
# path, params the file): a loop device whose major:minor blkback opens
# (Xen's own script needs bash). libxl adds a domain's disks at the same
# time: finding a free loop device and taking it is done under a lock
# (mkdir is atomic), or two disks get the same one and one add fails.
cat >"$root/etc/xen/scripts/block" <<'HOTPLUG'
#!/bin/sh
lock=/run/block-hotplug.lock
until mkdir $lock 2>/dev/null; do usleep 10000; done
trap 'rmdir $lock' EXIT
case $1 in
add)
    f=$(xenstore-read "$XENBUS_PATH/params") &&
        dev=$(losetup -f) && losetup "$dev" "$f" &&
        xenstore-write "$XENBUS_PATH/physical-device" \
            "$(stat -L -c %t:%T "$dev")" \
            "$XENBUS_PATH/physical-device-path" "$dev" \
            "$XENBUS_PATH/hotplug-status" connected ;;
remove)
    dev=$(xenstore-read "$XENBUS_PATH/physical-device-path") &&
        losetup -d "$dev"; exit 0 ;;
esac
HOTPLUG
chmod +x "$root/etc/xen/scripts/block"
# libgcc_s: glibc's pthread_cancel loads it (xl aborts at its exit
# otherwise); xl.conf: xl warns without one.
g=$(ldconfig -p 2>/dev/null | awk '/libgcc_s.so.1 .*x86-64/ { print $NF; exit }')
[ -n "$g" ] || die "no libgcc_s.so.1 on this host"
copy "$g" /lib/x86_64-linux-gnu/libgcc_s.so.1
mkdir -p "$root/etc/xen" && : >"$root/etc/xen/xl.conf"
printf 'root:x:0:0:root:/:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"

# The guests' xl configurations: a string's " and \ escaped.
n=0
for c in "$@"; do
    n=$((n + 1))
    case $c in
    dom0:*)
        d=${c%% *}
        d=${d#dom0:}
        c=${c#* }
        cp "$d" "$root/guest/$n.sh" || { echo "vm: no dom0 script $d" >&2; exit 2; }
        ;;
    esac
    case $c in
    sh:*)
        c=${c#sh:}
        cp "${c%% *}" "$root/guest/$n.run" ||
            { echo "vm: no script ${c%% *}" >&2; exit 2; }
        a=""
        [ "${c%% *}" = "$c" ] || a=${c#* }
        printf '%s\n' "$a" >"$root/guest/$n.args"
        continue
        ;;
    xl:*)
        cfg=${c#xl:}
        img=$(sed -n 's/^kernel = "\(.*\)"$/\1/p' "$cfg" 2>/dev/null)
        [ -f "$img" ] || { echo "vm: no kernel '$img' in $cfg" >&2; exit 2; }
        cp "$img" "$root/guest/$n.img" || broke "cannot copy $img"
        sed -e "s|^kernel = .*|kernel = \"/guest/$n.img\"|" \
            -e "s|^name = .*|name = \"atoll$n\"|" "$cfg" \
            >"$root/guest/$n.cfg" || broke "cannot copy $cfg"
        # Its disks (target=FILE, no blanks or commas: atoll refuses
        # them): copied in as /guest/N.dK, K from 0 in the list's order.
        k=0
        for t in $(grep '^disk = ' "$cfg" | grep -o 'target=[^",]*'); do
            t=${t#target=}
            cp "$t" "$root/guest/$n.d$k" || broke "cannot copy disk $t"
            sed -i "s|target=$t\"|target=/guest/$n.d$k\"|" \
                "$root/guest/$n.cfg" || broke "cannot rewrite disk $t"
            k=$((k + 1))
        done
        continue
        ;;
    esac
    img=${c%% *}
    args=""
    [ "$img" = "$c" ] || args=${c#* }
    [ -f "$img" ] || { echo "vm: no guest image $img" >&2; exit 2; }
    cp "$img" "$root/guest/$n.img" || broke "cannot copy $img"
    q=$(printf '%s' "$args" | sed 's/[\\"]/\\&/g')
    printf 'name = "atoll%s"\ntype = "pvh"\nkernel = "/guest/%s.img"\nmemory = 32\ncmdline = "%s"\non_crash = "destroy"\non_reboot = "destroy"\n' \
        "$n" "$n" "$q" >"$root/guest/$n.cfg"
done

cat >"$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=$xbin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /var/lock /var/run/xen /var/lib/xen /var/lib/xenstored \
    /var/log/xen
mount -t devpts devpts /dev/pts
out=/dev/hvc0
for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs llc stp bridge \
    xen-netback loop xen-blkback; do
    insmod /mod/\$m.ko || echo "atoll-xen: no module \$m" >\$out
done
mount -t xenfs xenfs /proc/xen
ip link set lo up
ip link add xenbr0 type bridge && ip addr add 10.0.0.1/24 dev xenbr0 &&
    ip link set xenbr0 up || echo "atoll-xen: no bridge xenbr0" >\$out
echo "atoll-xen: up \$(cut -d' ' -f1 /proc/uptime) s" >\$out
xenstored --pid-file=/run/xenstored.pid >/tmp/xenstored.log 2>&1 ||
    echo "atoll-xen: xenstored failed" >\$out
xen-init-dom0 >/tmp/init-dom0.log 2>&1 ||
    echo "atoll-xen: xen-init-dom0 failed: \$(tail -n 3 /tmp/init-dom0.log)" >\$out
xenconsoled --pid-file=/run/xenconsoled.pid ||
    echo "atoll-xen: xenconsoled failed" >\$out
ms() { read -r u _ </proc/uptime; echo \$((\${u%.*} * 1000 + 1\${u#*.}0 - 1000)); }
i=0
while [ \$i -lt $n ]; do
    i=\$((i + 1))
    echo "atoll-xen-case \$i begin" >\$out
    # The domain's CPU time as xl list shows it, looked at each second
    # while it runs (it is gone once xl has seen it shut down).
    : >/tmp/cpu
    ( while sleep 1; do
        xl list atoll\$i 2>/dev/null | awk 'NR == 2 { print \$6 }' >/tmp/cpu.new
        [ -s /tmp/cpu.new ] && mv /tmp/cpu.new /tmp/cpu
    done ) &
    sampler=\$!
    : >/tmp/con
    : >/tmp/first
    : >/tmp/dom0
    t0=\$(ms)
    ( while [ ! -s /tmp/con ]; do usleep 20000; done
      echo \$((\$(ms) - t0)) >/tmp/first ) &
    first=\$!
    if [ -f /guest/\$i.run ]; then
        : >/tmp/xl
        timeout $glimit sh /guest/\$i.run \$(cat /guest/\$i.args) \
            </dev/null >/tmp/con 2>&1 &
    else
        timeout $glimit xl create -F -c /guest/\$i.cfg </dev/null >/tmp/con 2>/tmp/xl &
    fi
    xlpid=\$!
    if [ -f /guest/\$i.sh ]; then
        DOM=atoll\$i CON=/tmp/con timeout $glimit sh /guest/\$i.sh \
            >/tmp/dom0 2>&1 </dev/null
        xl destroy atoll\$i >/dev/null 2>&1
    fi
    wait \$xlpid
    t1=\$(ms)
    kill \$sampler \$first 2>/dev/null
    wait \$sampler 2>/dev/null
    echo "atoll-xen-cpu \$(cat /tmp/cpu)" >\$out
    echo "atoll-xen-first \$(cat /tmp/first)" >\$out
    xl destroy atoll\$i >/dev/null 2>&1
    sed 's/^/atoll-xen-con /' /tmp/con >\$out
    sed 's/^/atoll-xen-con dom0: /' /tmp/dom0 >\$out
    sed 's/^/atoll-xen-xl /' /tmp/xl >\$out
    for d in /guest/\$i.d*; do
        [ -f "\$d" ] && echo "atoll-xen-disk \${d##*.d} \$(sha256sum <"\$d" | cut -d' ' -f1)" >\$out
    done
    echo "atoll-xen-case \$i end \$((t1 - t0))" >\$out
done
echo "atoll-xen: done" >\$out
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | "$bb" cpio -o -H newc -R 0:0 2>/dev/null) \
    >"$tmp/initrd" || broke "cannot make the initramfs"

# ---- boot ---------------------------------------------------------------
[ -n "$console" ] || console=$tmp/console
: >"$console" || broke "cannot write $console"
setpriv=""
setpriv --help 2>/dev/null | grep -q pdeathsig && setpriv="setpriv --pdeathsig KILL"
t0=$(date +%s)
# Xen needs NPT (no shadow paging in Debian's build) for PVH guests.
# shellcheck disable=SC2086
$setpriv "$qemu" -nodefaults -no-user-config -no-reboot -display none \
    -monitor none -m 768 -smp 1 -accel tcg -cpu qemu64,+svm,+npt \
    -kernel "$xroot/xen" \
    -append "console=com1 com1=115200 dom0_mem=384M,max:384M dom0_max_vcpus=1 bootscrub=idle guest_loglvl=all noreboot" \
    -initrd "$kernel console=hvc0 loglevel=1 panic=-1 mitigations=off,$tmp/initrd" \
    -chardev "file,id=con,path=$console" -serial chardev:con \
    </dev/null >"$tmp/qemu.err" 2>&1 &
qpid=$!
while kill -0 "$qpid" 2>/dev/null; do
    if [ $(($(date +%s) - t0)) -ge "$limit" ]; then
        kill -KILL "$qpid" 2>/dev/null
        wait "$qpid" 2>/dev/null
        qpid=""
        echo "vm: time limit: killed QEMU after $limit s (console:" \
            "$(tail -n 3 "$console" | tr '\r\n' '||'))" >&2
        exit 124
    fi
    sleep 0.2
done
wait "$qpid"
qrc=$?
qpid=""
echo "vm: Xen VM ran $(($(date +%s) - t0)) s" >&2
tr -d '\r' <"$console" | awk -v n="$n" '
    function reason(k) {
        split("poweroff reboot suspend crash watchdog soft_reset", r, " ")
        return (k + 1) in r ? r[k + 1] : "code-" k
    }
    /^atoll-xen-case [0-9]+ begin$/ { c = $2; why = "none"; cpu = ""; first = ""
        print "xen-case " c " begin"; next }
    /^atoll-xen-case [0-9]+ end / { print "xen-case " c " shutdown " why
        print "xen-case " c " ms " $4
        print "xen-case " c " cpu " cpu
        print "xen-case " c " first " first; done++; c = ""; next }
    c == "" { next }
    /^atoll-xen-con / { sub(/^atoll-xen-con /, ""); print; next }
    /^atoll-xen-cpu/ { cpu = $2; next }
    /^atoll-xen-disk / { print "xen-case " c " disk " $2 " " $3; next }
    /^atoll-xen-first/ { first = $2; next }
    /^atoll-xen-xl / {
        if (match($0, /reason code [0-9]+/))
            why = reason(substr($0, RSTART + 12, RLENGTH - 12) + 0)
        next }
    /^\(d[1-9][0-9]*\) / { sub(/^\(d[0-9]+\) /, ""); print; next }
    END { exit done == n ? 0 : 1 }' && exit 0
why=$(tr -d '\r' <"$console" | grep '^atoll-xen: ' | tail -n 1)
broke "the cases did not all run (QEMU status $qrc${why:+, $why}):" \
    "$(head -c 300 "$tmp/qemu.err") console: $(tail -n 5 "$console" |
        tr -d '\r' | tr '\n' '|')"
