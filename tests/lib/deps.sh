#!/bin/sh
# Check (and, as root, install) the Debian packages Atoll needs.
#   deps.sh build   what `make` / `make run` need
#   deps.sh test    what `make test` needs as well
#   deps.sh bench   what the benchmarks (bench/, on demand) need as well
set -u
need_build="gcc make binutils libc6-dev libseccomp-dev pkg-config musl-dev \
	libbearssl-dev"
need_test="$need_build clang libclang-rt-14-dev iproute2 time openssl gnutls-bin curl \
	nftables dnsmasq-base netcat-openbsd iputils-ping qemu-system-x86 \
	busybox-static xz-utils strace skopeo podman jq patch groff-base man-db \
	ldnsutils nsd python3 bind9-dnsutils knot-dnsutils dnsperf"
# bench/http: wrk and nginx; bench/kv: LMDB.
need_bench="$need_test wrk nginx-light liblmdb-dev"
case "${1:-test}" in
build) want=$need_build ;;
test) want=$need_test ;;
bench) want=$need_bench ;;
*) echo "usage: deps.sh build|test|bench" >&2; exit 2 ;;
esac

# tests/vm boots Debian's kernel to run the hvt tests where /dev/kvm is
# missing: its package (the one linux-image-amd64 depends on), downloaded,
# not installed, into build/vm once.
vm_kernel() {
    [ "$want" != "$need_build" ] || return 0
    dir=${ATOLL_VM_CACHE:-build/vm}
    ls "$dir"/linux-image-6.1.0-*-amd64_*.deb >/dev/null 2>&1 && return 0
    pkg=""
    for try in 1 2; do
        pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n \
            's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-amd64\)$/\1/p')
        [ -n "$pkg" ] || [ "$(id -u)" != 0 ] || [ $try = 2 ] && break
        apt-get update -q >/dev/null 2>&1
    done
    if [ -z "$pkg" ]; then
        echo "atoll: apt knows no linux-image-6.1.0-*-amd64 (apt-get update?);" \
            "hvt tests skip where /dev/kvm is missing" >&2
        return 0
    fi
    echo "atoll: downloading $pkg into $dir (for tests/vm)"
    mkdir -p "$dir" && (cd "$dir" && apt-get download -q "$pkg" \
        >/dev/null 2>&1) ||
        echo "atoll: could not download $pkg into $dir" >&2
}

missing=""
for p in $want; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    case "$st" in
    *" installed") ;;
    *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && { vm_kernel; exit 0; }

if [ "$(id -u)" != 0 ]; then
    echo "atoll: missing Debian packages:$missing" >&2
    echo "atoll: install them with: sudo apt-get install$missing" >&2
    exit 1
fi
echo "atoll: installing missing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
    apt-get update -q >/dev/null 2>&1
    apt-get install -y -q --no-install-recommends $missing >/dev/null || {
        echo "atoll: could not install:$missing" >&2
        exit 1
    }
fi
vm_kernel
