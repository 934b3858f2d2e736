#!/bin/sh
# Stripped sizes of examples/www on spt with HTTPS (lib/tls and BearSSL
# linked in) and without (cflags -DWWW_NO_TLS, tls dropped from its
# libraries), both built here by atoll from copies of examples/www.
# On demand: sh bench/http/size.sh (after make B=...).
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
ATOLL=$(cd "$B/bin" 2>/dev/null && pwd)/atoll
[ -x "$ATOLL" ] || { echo "no $ATOLL: make B=$B first" >&2; exit 1; }
tmp=$(mktemp -d /tmp/atoll-www-size.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for v in tls notls; do
    mkdir -p "$tmp/$v"
    cp examples/www/*.c examples/www/*.h "$tmp/$v/"
    if [ $v = tls ]; then
        cp examples/www/unikernel.conf "$tmp/$v/"
    else
        sed 's/^libraries http tls /libraries http /' \
            examples/www/unikernel.conf >"$tmp/$v/unikernel.conf"
        echo 'cflags -DWWW_NO_TLS' >>"$tmp/$v/unikernel.conf"
    fi
    (cd "$tmp/$v" && "$ATOLL" configure -t spt -q && "$ATOLL" build -q) ||
        { echo "build of the $v variant failed" >&2; exit 1; }
    strip -o "$tmp/$v.spt" "$tmp/$v/dist/www.spt"
done
a=$(stat -c %s "$tmp/tls.spt")
b=$(stat -c %s "$tmp/notls.spt")
printf '%-34s %9s bytes\n' "www.spt stripped, HTTP + HTTPS" "$a" \
    "www.spt stripped, HTTP only" "$b" "lib/tls + BearSSL" "$((a - b))"
