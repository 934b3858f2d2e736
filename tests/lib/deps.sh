#!/bin/sh
# Check (and, as root, install) the Debian packages Atoll needs.
#   deps.sh build   what `make` / `make run` need
#   deps.sh test    what `make test` needs as well
set -u
need_build="gcc make binutils libc6-dev libseccomp-dev pkg-config"
need_test="$need_build clang libclang-rt-14-dev iproute2 time libbearssl-dev \
	nftables dnsmasq-base netcat-openbsd iputils-ping strace"
case "${1:-test}" in
build) want=$need_build ;;
test) want=$need_test ;;
*) echo "usage: deps.sh build|test" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    case "$st" in
    *" installed") ;;
    *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

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
