#!/bin/sh
# lib/tls against real clients: tests/tls/tlsecho on atoll-spt in a
# network namespace of its own (TAP device tap0), with a test CA, an
# RSA-2048 and an ECDSA P-256 server certificate made by openssl here and
# given to the guest in a tar archive on its block device. Cases: boot
# errors for a missing and a mismatched key; openssl s_client and
# gnutls-cli with each offered suite and both certificate kinds (chosen by
# SNI); resumption seen by s_client -reconnect; a TLS 1.3-only client
# refused; garbage from a client does not stop the server. One
# PASS:/FAIL:/SKIP: line per case.
set -u
cd "$(dirname "$0")/../.."
B=${B:-build}
. tests/lib/check.sh
scratch tls stop_guest
. tests/lib/net-cases.sh

GUEST=10.0.0.2
HOST=10.0.0.1
MAC=02:00:00:00:00:02
IMG=$B/tests/tls/tlsecho.spt

for tool in openssl; do
    if ! command -v $tool >/dev/null 2>&1; then
        skip "tls" "needs $tool"
        exit 0
    fi
done
if [ ! -x "$IMG" ]; then
    skip "tls" "no $IMG (libbearssl-dev missing?)"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    skip "tls" "needs root for network namespaces"
    exit 0
fi

# ---- certificates -----------------------------------------------------
c=$tmp/certs
mkdir -p "$c"
ossl() { openssl "$@" >>"$tmp/openssl.log" 2>&1; }
ossl ecparam -name prime256v1 -genkey -noout -out "$c/ca.key" &&
    ossl req -x509 -new -key "$c/ca.key" -subj /CN=atoll-test-ca -days 2 \
        -out "$c/ca.pem" &&
    ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
        -out "$c/rsa.key" &&
    ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
        -out "$c/other.key" &&
    ossl ecparam -name prime256v1 -genkey -noout -out "$c/ec.key" || {
    fail "test certificates" "$(tail -n 3 "$tmp/openssl.log")"
    exit 1
}
sign() { # NAME CN
    printf 'subjectAltName=DNS:%s,DNS:*.%s\n' "$2" "$2" >"$c/$1.ext"
    ossl req -new -key "$c/$1.key" -subj "/CN=$2" -out "$c/$1.csr" &&
        ossl x509 -req -in "$c/$1.csr" -CA "$c/ca.pem" -CAkey "$c/ca.key" \
            -CAcreateserial -days 2 -extfile "$c/$1.ext" -out "$c/$1.pem" &&
        cat "$c/$1.pem" "$c/ca.pem" >"$c/$1.crt"
}
sign rsa rsa.test && sign ec ec.test || {
    fail "test certificates" "$(tail -n 3 "$tmp/openssl.log")"
    exit 1
}
cp "$c/rsa.crt" "$c/wrong.crt" && cp "$c/other.key" "$c/wrong.key"
cp "$c/rsa.crt" "$c/nokey.crt"
cp "$c/rsa.crt" "$c/mixed.crt" && cp "$c/ec.key" "$c/mixed.key"
cp "$c/ec.crt" "$c/ecwrong.crt" &&
    ossl ecparam -name prime256v1 -genkey -noout -out "$c/ecwrong.key"
printf 'not a key\n' >"$c/junk.key" && cp "$c/ec.crt" "$c/junk.crt"
(cd "$c" && tar cf "$tmp/certs.tar" ./*.crt ./*.key)

if ! make_ns tls; then
    fail "namespace" "cannot make a network namespace"
    exit 1
fi
# ---- boot errors --------------------------------------------------------
boot_error() { # NAME CERTS TEXT
    in_ns timeout 10 "$B/bin/atoll-spt" --block:storage="$tmp/certs.tar" \
        --net:service=tap0 "$IMG" --certs="$2" --ipv4=$GUEST/24 >"$tmp/boot.out" 2>&1 </dev/null
    st=$?
    if [ $st = 1 ] && grep -q -- "$3" "$tmp/boot.out"; then
        pass "$1"
    else
        fail "$1" "status $st: $(tail -n 2 "$tmp/boot.out" | tr '\n' '|')"
    fi
}
boot_error "a key that is not the certificate's stops the boot" \
    wrong "wrong: the RSA key is not the certificate's (modulus differs)"
boot_error "a missing key stops the boot" nokey "nokey.key: not in the archive"
boot_error "a key that is not PEM stops the boot" junk \
    "junk: the private key is not PEM"
boot_error "an EC key for an RSA certificate stops the boot" mixed \
    "mixed: the key is not the certificate's (other key type)"
boot_error "another EC key for an EC certificate stops the boot" "ec+ecwrong" \
    "ecwrong: the EC key is not the certificate's (point differs)"

start_guest() {
    "$IP" netns exec "$ns" "$B/bin/atoll-spt" --net:service=tap0 \
        --net-mac:service=$MAC --block:storage="$tmp/certs.tar" "$IMG" \
        "$@" >"$tmp/guest.out" 2>&1 </dev/null &
    guest_pid=$!
}
start_guest --ipv4=$GUEST/24 --log=info "--certs=rsa+ec:ec.test,*.ec.test"
if ! wait_up 10; then
    fail "tlsecho boots" "$(guest_tail)"
    exit 1
fi

# s_client NAME SNI CIPHER [OPTIONS]: echo through TLS 1.2 with CIPHER,
# the chain verified against the test CA. Its input stays open until the
# echo is back (at most 10 s; a fixed pause lost the echo on a loaded
# machine), then its end closes the connection.
s_client() {
    n=$1 sni=$2 cipher=$3
    shift 3
    rm -f "$tmp/s.out"
    (printf 'hello %s\n' "$cipher"
        i=0
        while [ $i -lt 100 ] &&
            ! grep -q "^hello $cipher\$" "$tmp/s.out" 2>/dev/null; do
            sleep 0.1
            i=$((i + 1))
        done) | in_ns timeout 10 \
        openssl s_client -connect $GUEST:443 -servername "$sni" \
        -CAfile "$c/ca.pem" -verify_return_error -verify_hostname "$sni" \
        -tls1_2 -cipher "$cipher" "$@" >"$tmp/s.out" 2>&1 </dev/stdin
}
for kind in RSA ECDSA; do
    sni=rsa.test
    [ $kind = ECDSA ] && sni=www.ec.test
    for cipher in AES128-GCM-SHA256 AES256-GCM-SHA384 CHACHA20-POLY1305; do
        full=ECDHE-$kind-$cipher
        for group in X25519 P-256; do
            name="openssl s_client $full $group ($sni)"
            # In TLS 1.2 the groups also bound the ECDSA key's curve.
            groups=$group
            [ $kind = ECDSA ] && [ $group = X25519 ] && groups=X25519:P-256
            s_client "$name" $sni $full -groups $groups
            if grep -q "^hello $full\$" "$tmp/s.out" &&
                grep -q "Cipher is $full" "$tmp/s.out" &&
                grep -q "Verify return code: 0 (ok)" "$tmp/s.out" &&
                grep -q "Server Temp Key: $(echo $group | sed \
                    's/P-256/ECDH, prime256v1/')" "$tmp/s.out"; then
                pass "$name"
            else
                fail "$name" "$(grep -m 3 -e Cipher -e error -e Verify \
                    -e 'Temp Key' "$tmp/s.out" | tr '\n' '|')"
            fi
        done
    done
done

if command -v gnutls-cli >/dev/null 2>&1; then
    for kind in RSA ECDSA; do
        sni=rsa.test
        [ $kind = ECDSA ] && sni=ec.test
        for cipher in AES-128-GCM AES-256-GCM CHACHA20-POLY1305; do
            name="gnutls-cli ECDHE-$kind $cipher ($sni)"
            (printf 'hello gnutls\n'; sleep 0.5) | in_ns timeout 10 \
                gnutls-cli --x509cafile="$c/ca.pem" --sni-hostname=$sni \
                --verify-hostname=$sni -p 443 --priority \
                "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+$cipher:-KX-ALL:+ECDHE-$kind" \
                $GUEST >"$tmp/g.out" 2>&1
            if grep -q "^hello gnutls" "$tmp/g.out" &&
                grep -q "(ECDHE-[^)]*)-($kind-[^)]*)-($cipher)" "$tmp/g.out"
            then
                pass "$name"
            else
                fail "$name" "$(grep -m 3 -e Description -e Error -e '\*\*\*' \
                    "$tmp/g.out" | tr '\n' '|')"
            fi
        done
    done
else
    skip "gnutls-cli" "needs gnutls-bin"
fi

# Resumption: -reconnect makes 5 more connections with the first session.
name="openssl s_client -reconnect resumes the session"
in_ns timeout 20 openssl s_client -connect $GUEST:443 -servername rsa.test \
    -CAfile "$c/ca.pem" -tls1_2 -reconnect </dev/null >"$tmp/r.out" 2>&1
reused=$(grep -c "^Reused, TLSv1.2" "$tmp/r.out")
if [ "$reused" = 5 ]; then
    pass "$name (5 of 5 reused)"
else
    fail "$name" "$reused of 5 reused"
fi
# No tickets (BearSSL 0.6 has none: docs/www.md): OpenSSL offers the
# SessionTicket extension, the answer has none and no ticket comes; the
# session the client saved resumes by its 32-byte ID from the cache.
name="no session ticket (BearSSL has none); a saved session resumes by its ID"
for k in 1 2; do
    io=-sess_out
    [ $k = 2 ] && io=-sess_in
    in_ns timeout 20 openssl s_client -connect $GUEST:443 -servername \
        rsa.test -CAfile "$c/ca.pem" -tls1_2 -tlsextdebug $io "$tmp/sess" \
        </dev/null >"$tmp/s$k.out" 2>&1
done
id1=$(sed -n 's/^ *Session-ID: \([0-9A-F]\{64\}\)$/\1/p' "$tmp/s1.out")
if grep -qi -e 'session ticket' -e 'id=35)' "$tmp/s1.out" "$tmp/s2.out"; then
    fail "$name" "$(grep -i -m 1 -e 'session ticket' -e 'id=35)' "$tmp/s1.out")"
elif grep -q '^New, TLSv1.2' "$tmp/s1.out" && [ -n "$id1" ] &&
    grep -q '^Reused, TLSv1.2' "$tmp/s2.out" &&
    grep -q "Session-ID: $id1\$" "$tmp/s2.out"; then
    pass "$name"
else
    fail "$name" "first '$(grep -m 1 -e '^New' -e '^Reused' "$tmp/s1.out")'" \
        "id '${id1:-none}', then '$(grep -m 1 -e '^New' -e '^Reused' \
        "$tmp/s2.out")'"
fi

name="a TLS 1.3-only client is refused with an alert"
in_ns timeout 10 openssl s_client -connect $GUEST:443 -tls1_3 \
    </dev/null >"$tmp/t13.out" 2>&1
st=$?
if [ $st != 0 ] && grep -q "alert handshake failure" "$tmp/t13.out" &&
    grep -q "handshake failed" "$tmp/guest.out"; then
    pass "$name"
else
    fail "$name" "status $st: $(grep -m 2 -e alert -e error "$tmp/t13.out" |
        tr '\n' '|')"
fi

# A client preferring AES-256 and ChaCha20 still gets the server's first
# choice, AES-128-GCM.
name="the server's suite order wins over the client's"
s_client "$name" www.ec.test \
    ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256
if grep -q "Cipher is ECDHE-ECDSA-AES128-GCM-SHA256" "$tmp/s.out"; then
    pass "$name"
else
    fail "$name" "$(grep -m 1 'Cipher is' "$tmp/s.out")"
fi

name="garbage from clients does not stop the server"
head -c 4096 /dev/urandom | in_ns timeout 5 nc -N $GUEST 443 >/dev/null 2>&1
printf '\026\003\003\100\000garbage' | in_ns timeout 5 nc -N $GUEST 443 \
    >/dev/null 2>&1
printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | in_ns timeout 5 nc -N $GUEST 443 \
    >/dev/null 2>&1
s_client "$name" rsa.test ECDHE-RSA-AES128-GCM-SHA256
if grep -q "^hello ECDHE-RSA-AES128-GCM-SHA256" "$tmp/s.out" &&
    kill -0 "$guest_pid" 2>/dev/null; then
    pass "$name ($(grep -c 'handshake failed' "$tmp/guest.out") refused)"
else
    fail "$name" "$(guest_tail)"
fi

stop_guest

# ---- HTTPS in examples/www ------------------------------------------------
WWW=$B/examples/www.spt
if [ ! -x "$WWW" ] || ! command -v curl >/dev/null 2>&1; then
    skip "https in examples/www" "needs $WWW and curl"
    exit $((fails > 0))
fi
# The chains go in with atoll www pack --tls (as .tls/NAME.crt, .key).
site=$tmp/site
mkdir -p "$site"
printf 'hello https\n' >"$site/index.html"
head -c 300001 /dev/urandom >"$site/big.bin" # through a bulk buffer, Nagle on
if ! "$B/bin/atoll" www pack "$site" -o "$tmp/site.tar" -q \
    --tls "rsa=$c/rsa.crt,$c/rsa.key" --tls "ec=$c/ec.crt,$c/ec.key" \
    >"$tmp/pack.out" 2>&1; then
    fail "atoll www pack --tls" "$(tail -n 2 "$tmp/pack.out")"
    exit 1
fi
start_www() {
    "$IP" netns exec "$ns" "$B/bin/atoll-spt" --net:service=tap0 \
        --net-mac:service=$MAC --block:storage="$tmp/site.tar" --mem=128 \
        "$WWW" --ipv4=$GUEST/24 --log=info "$@" >"$tmp/guest.out" 2>&1 \
        </dev/null &
    guest_pid=$!
}
start_www --tls=rsa+nothere
wait "$guest_pid"
st=$?
guest_pid=""
name="www --tls with a missing chain stops the boot"
if [ $st = 1 ] && grep -q "nothere: .tls/nothere.crt: not in the archive" \
    "$tmp/guest.out"; then
    pass "$name"
else
    fail "$name" "status $st: $(guest_tail)"
fi
start_www "--tls=rsa+ec:ec.test,*.ec.test"
if ! wait_up 10; then
    fail "www boots with --tls" "$(guest_tail)"
    exit 1
fi
curl_https() { # NAME HOST PATH WANT-STATUS [CURL OPTIONS]
    n=$1 h=$2 path=$3 want=$4
    shift 4
    in_ns curl -s -o "$tmp/body" -w '%{http_code} %{ssl_verify_result}' \
        --cacert "$c/ca.pem" --resolve "$h:443:$GUEST" --max-time 10 \
        "$@" "https://$h$path" >"$tmp/curl.out" 2>"$tmp/curl.err"
    got=$(cat "$tmp/curl.out")
    if [ "$got" = "$want 0" ]; then
        pass "$n"
    else
        fail "$n" "got '$got' $(head -c 120 "$tmp/curl.err")"
    fi
}
curl_https "curl --cacert https://rsa.test/ (RSA chain)" rsa.test / 200 \
    --tlsv1.2 --ciphers ECDHE-RSA-AES128-GCM-SHA256
name="curl gets the page over HTTPS byte for byte"
if cmp -s "$tmp/body" "$site/index.html"; then
    pass "$name"
else
    fail "$name" "got '$(head -c 60 "$tmp/body")'"
fi
curl_https "curl --cacert https://www.ec.test/ (ECDSA chain by SNI)" \
    www.ec.test / 200 --ciphers ECDHE-ECDSA-CHACHA20-POLY1305
curl_https "the keys under .tls/ are not served" rsa.test /.tls/rsa.key 404
name="curl with keep-alive: two requests, one handshake"
in_ns curl -s -v --cacert "$c/ca.pem" --resolve "rsa.test:443:$GUEST" \
    --max-time 10 https://rsa.test/ https://rsa.test/index.html \
    -o /dev/null -o /dev/null 2>"$tmp/ka.err"
if [ "$(grep -c 'Re-using existing connection' "$tmp/ka.err")" = 1 ] &&
    [ "$(grep -c 'SSL connection using' "$tmp/ka.err")" = 1 ]; then
    pass "$name"
else
    fail "$name" "$(grep -c 'SSL connection using' "$tmp/ka.err") handshakes"
fi
name="curl gets 300 KB over HTTPS byte for byte, twice on one connection"
in_ns curl -s -v --cacert "$c/ca.pem" --resolve "rsa.test:443:$GUEST" \
    --max-time 20 https://rsa.test/big.bin https://rsa.test/big.bin \
    -o "$tmp/big1" -o "$tmp/big2" 2>"$tmp/big.err"
if cmp -s "$tmp/big1" "$site/big.bin" && cmp -s "$tmp/big2" "$site/big.bin" &&
    [ "$(grep -c 'Re-using existing connection' "$tmp/big.err")" = 1 ]; then
    pass "$name"
else
    fail "$name" "$(wc -c <"$tmp/big1") and $(wc -c <"$tmp/big2") bytes"
fi
stop_guest
exit $((fails > 0))
