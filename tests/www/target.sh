# examples/www on a target other than spt: a small site and the cases run
# against it. Sourced (after tests/lib/check.sh and net-cases.sh) by
# tests/www/virtio.sh (QEMU TCG) and tests/hvt/www.sh (atoll-hvt in the
# tests/vm VM). POSIX sh that busybox sh runs; curl by path in $CURL.
#
#   www_site DIR      on the host: DIR/site/ (an index, a text file that
#                     gets a .gz sibling, a name with spaces, 200 KB of
#                     random bytes), a test CA and a P-256 chain for
#                     www.test made by openssl, and DIR/site.tar packed by
#                     atoll www pack with the chain as --tls www; DIR/want/N
#                     is a copy of the N-th file of $www_files (names
#                     without spaces, for tests/vm's file list).
#   www_target_cases LABEL DIR
#                     against the guest at $GUEST (booted with --tls=www):
#                     every file over HTTP byte for byte, the gzip sibling,
#                     and the random file over HTTPS checked with
#                     --cacert DIR/ca.pem.

: "${CURL:=curl}"
www_files="index.html docs/numbers.txt docs/file%20with%20spaces.txt bin/random.bin"

www_site() {
    d=$1
    rm -rf "$d" && mkdir -p "$d/site/docs" "$d/site/bin" || return 1
    printf '<!doctype html>\n<title>atoll www</title>\n' >"$d/site/index.html"
    seq 1 2000 >"$d/site/docs/numbers.txt"
    printf 'spaces\n' >"$d/site/docs/file with spaces.txt"
    head -c 200000 /dev/urandom >"$d/site/bin/random.bin"
    printf 'subjectAltName=DNS:www.test\n' >"$d/ext"
    { openssl ecparam -name prime256v1 -genkey -noout -out "$d/ca.key" &&
        openssl req -x509 -new -key "$d/ca.key" -subj /CN=atoll-www-ca \
            -days 2 -out "$d/ca.pem" &&
        openssl ecparam -name prime256v1 -genkey -noout -out "$d/www.key" &&
        openssl req -new -key "$d/www.key" -subj /CN=www.test \
            -out "$d/www.csr" &&
        openssl x509 -req -in "$d/www.csr" -CA "$d/ca.pem" \
            -CAkey "$d/ca.key" -CAcreateserial -days 2 -extfile "$d/ext" \
            -out "$d/www.pem" &&
        cat "$d/www.pem" "$d/ca.pem" >"$d/www.crt" &&
        "$B/bin/atoll" www pack "$d/site" -o "$d/site.tar" -q \
            --tls "www=$d/www.crt,$d/www.key"; } >"$d/make.log" 2>&1 ||
        return 1
    mkdir -p "$d/want"
    n=0
    for f in $www_files; do
        n=$((n + 1))
        cp "$d/site/$(echo "$f" | sed 's/%20/ /g')" "$d/want/$n" || return 1
    done
}

www_target_cases() {
    label=$1 d=$2
    bad="" n=0
    for f in $www_files; do
        n=$((n + 1))
        in_ns "$CURL" -s --max-time 30 -o "$tmp/www.got" "http://$GUEST/$f"
        cmp -s "$tmp/www.got" "$d/want/$n" || bad="$bad $f"
    done
    if [ -z "$bad" ]; then
        pass "www on $label: 4 files over HTTP byte for byte (200 KB random, spaces)"
    else
        fail "www on $label: HTTP byte for byte" "differ:$bad"
    fi
    in_ns "$CURL" -s --max-time 30 --compressed -D "$tmp/www.h" \
        -o "$tmp/www.got" "http://$GUEST/docs/numbers.txt"
    if grep -qi '^Content-Encoding: gzip' "$tmp/www.h" &&
        cmp -s "$tmp/www.got" "$d/want/2"; then
        pass "www on $label: the .gz sibling for Accept-Encoding: gzip"
    else
        fail "www on $label: gzip" "$(tr '\r\n' '  ' <"$tmp/www.h" | cut -c 1-160)"
    fi
    in_ns "$CURL" -s --max-time 60 --cacert "$d/ca.pem" \
        --resolve "www.test:443:$GUEST" -w '%{http_code} %{ssl_verify_result}' \
        -o "$tmp/www.got" https://www.test/bin/random.bin >"$tmp/www.w" \
        2>"$tmp/www.err"
    if [ "$(cat "$tmp/www.w")" = "200 0" ] &&
        cmp -s "$tmp/www.got" "$d/want/4"; then
        pass "www on $label: HTTPS with --cacert, 200 KB byte for byte"
    else
        fail "www on $label: HTTPS" "curl '$(cat "$tmp/www.w")'" \
            "$(head -c 160 "$tmp/www.err")"
    fi
}
