# atoll www pack on the host (sourced by tests/www/run.sh, which has set
# B, tmp and the check.sh helpers): the archive's names, modes and
# mtimes as GNU tar lists them, the files byte for byte after GNU tar
# extracts them, .gz siblings only where they belong, the same archive
# for the same tree, --tls, and bad inputs refused with the path named
# and no archive left behind.
ATOLL=$B/bin/atoll
p=$tmp/pk
mkdir -p "$p/s/docs/sub" "$p/s/bin" "$p/tls"
seq 1 3000 >"$p/s/docs/big.txt"                # compressible, large
printf 'small\n' >"$p/s/docs/small.css"          # gzip is not smaller
head -c 200 /dev/zero | tr '\0' a >"$p/s/docs/mid.txt" # under --gzip-min
head -c 4000 /dev/urandom >"$p/s/docs/noise.js"  # gzip is not smaller
seq 1 500 >"$p/s/docs/own.html"
printf 'mine' >"$p/s/docs/own.html.gz"           # DIR's own sibling wins
head -c 9000 /dev/urandom >"$p/s/bin/blob.bin"   # not a text type
ln -s ../docs/big.txt "$p/s/bin/link.txt"        # inside DIR: followed
ln -s ../docs "$p/s/bin/docs-link"               # a folder inside DIR
printf 'x\n' >"$p/s/docs/sub/$(printf 'd%.0s' $(seq 1 99))"
touch -d '2021-03-04 05:06:07 UTC' "$p/s/docs/big.txt"
printf 'CRT\n' >"$p/tls/site.crt"
printf 'KEY\n' >"$p/tls/site.key"

"$ATOLL" www pack "$p/s" -o "$p/a.tar" --tls "site=$p/tls/site.crt,$p/tls/site.key" \
    >"$tmp/out" 2>&1
rc=$?
expect "www pack: writes the archive" 0 "packed $p/a.tar"
tar tvf "$p/a.tar" --full-time --utc >"$p/list" 2>&1
names=$(awk '{ print $6 }' "$p/list" | tr '\n' ' ')
want="bin/ bin/blob.bin bin/docs-link/ bin/docs-link/big.txt bin/docs-link/big.txt.gz bin/docs-link/mid.txt bin/docs-link/noise.js bin/docs-link/own.html bin/docs-link/own.html.gz bin/docs-link/small.css bin/docs-link/sub/ bin/docs-link/sub/$(printf 'd%.0s' $(seq 1 99)) bin/link.txt bin/link.txt.gz docs/ docs/big.txt docs/big.txt.gz docs/mid.txt docs/noise.js docs/own.html docs/own.html.gz docs/small.css docs/sub/ docs/sub/$(printf 'd%.0s' $(seq 1 99)) .tls/ .tls/site.crt .tls/site.key "
if [ "$names" = "$want" ]; then
    pass "www pack: sorted names, links inside DIR followed, .gz only for large compressible files that shrink, DIR's own .gz kept, .tls/ added"
else
    fail "www pack: names" "got '$names'"
fi
if grep -q ' 2021-03-04 05:06:07 docs/big.txt$' "$p/list" &&
    grep -q ' 2021-03-04 05:06:07 docs/big.txt.gz$' "$p/list" &&
    grep -q '^-rw------- .* \.tls/site\.key$' "$p/list"; then
    pass "www pack: mtimes kept (the .gz has its file's), .tls/*.key mode 0600"
else
    fail "www pack: mtimes" "$(grep -e 'big.txt' -e site.key "$p/list" | tr '\n' '|')"
fi
mkdir -p "$p/x"
if tar xf "$p/a.tar" -C "$p/x" 2>"$tmp/out" &&
    cmp -s "$p/x/docs/big.txt" "$p/s/docs/big.txt" &&
    cmp -s "$p/x/bin/blob.bin" "$p/s/bin/blob.bin" &&
    cmp -s "$p/x/docs/own.html.gz" "$p/s/docs/own.html.gz" &&
    cmp -s "$p/x/bin/link.txt" "$p/s/docs/big.txt" &&
    cmp -s "$p/x/.tls/site.key" "$p/tls/site.key" &&
    gzip -dc "$p/x/docs/big.txt.gz" | cmp -s - "$p/s/docs/big.txt"; then
    pass "www pack: GNU tar extracts it; files byte for byte, big.txt.gz decodes to big.txt"
else
    fail "www pack: extract" "$(out_tail)"
fi
"$ATOLL" www pack "$p/s" -o "$p/b.tar" -q --tls "site=$p/tls/site.crt,$p/tls/site.key" \
    >"$tmp/out" 2>&1
if cmp -s "$p/a.tar" "$p/b.tar" && [ ! -s "$tmp/out" ]; then
    pass "www pack: the same tree gives the same archive (-q prints nothing)"
else
    fail "www pack: reproducible" "$(cmp "$p/a.tar" "$p/b.tar" 2>&1)"
fi
"$ATOLL" www pack "$p/s" -o "$p/s/in.tar" -q >"$tmp/out" 2>&1
if [ $? = 0 ] && ! tar tf "$p/s/in.tar" | grep -q in.tar; then
    pass "www pack: an archive written inside DIR leaves itself out"
else
    fail "www pack: inside DIR" "$(tar tf "$p/s/in.tar" | grep in.tar)"
fi
rm -f "$p/s/in.tar"
"$ATOLL" www pack "$p/s" -o "$p/g.tar" -q --gzip-min 0 >/dev/null 2>&1
tar tf "$p/g.tar" >"$p/glist"
if grep -qx docs/mid.txt.gz "$p/glist" && ! grep -qx docs/small.css.gz "$p/glist"
then
    pass "www pack: --gzip-min 0 gives a 200-byte file its .gz, not a 6-byte one (not smaller)"
else
    fail "www pack: --gzip-min 0" "$(grep -e mid -e small "$p/glist" | tr '\n' ' ')"
fi
"$ATOLL" www --help >"$tmp/out" 2>&1
expect "atoll www --help" 0 "usage: atoll www pack DIR -o FILE" "--gzip-min"

# refused BAD-NAME STATUS TEXT ARGS...: atoll www pack ARGS fails with
# STATUS, says TEXT, and leaves no archive.
refused() {
    n=$1 st=$2 text=$3
    shift 3
    rm -f "$p/bad.tar" "$p/bad.tar.tmp"
    "$ATOLL" www pack "$@" >"$tmp/out" 2>&1
    rc=$?
    expect "www pack refuses $n" "$st" "$text"
    if [ -e "$p/bad.tar" ] || [ -e "$p/bad.tar.tmp" ]; then
        fail "www pack refuses $n: no archive left" "$(ls "$p")"
    fi
}
mkdir -p "$p/out1" "$p/out2/d" "$p/long" "$p/loop/d" "$p/fifo" "$p/dang"
printf 'secret\n' >"$p/secret.txt"
ln -s ../secret.txt "$p/out1/leak.txt"
ln -s /etc "$p/out2/d/etc"
printf 'x' >"$p/long/$(printf 'l%.0s' $(seq 1 101))"
ln -s .. "$p/loop/d/up"
mkfifo "$p/fifo/pipe"
ln -s nothere "$p/dang/gone"
refused "a link to a file out of DIR" 1 "out1/leak.txt: a symbolic link leading out of" \
    "$p/out1" -o "$p/bad.tar"
refused "a link to a folder out of DIR" 1 "d/etc: a symbolic link leading out of" \
    "$p/out2" -o "$p/bad.tar"
refused "a name ustar cannot hold" 1 "$(printf 'l%.0s' $(seq 1 101)): name too long for ustar" \
    "$p/long" -o "$p/bad.tar"
a99=$(printf 'a%.0s' $(seq 1 99))
mkdir -p "$p/long2/$a99/$a99"
printf 'x' >"$p/long2/$a99/$a99/$(printf 'c%.0s' $(seq 1 60))"
refused "a 260-byte path (no '/' splits it 155 + 100)" 1 "$(printf 'c%.0s' $(seq 1 60)): name too long for ustar" \
    "$p/long2" -o "$p/bad.tar"
refused "a link loop" 1 "d/up: a symbolic link to a folder that holds it" \
    "$p/loop" -o "$p/bad.tar"
refused "a fifo" 1 "fifo/pipe: not a regular file or folder" "$p/fifo" -o "$p/bad.tar"
refused "a dangling link" 1 "dang/gone: a symbolic link to nothing" "$p/dang" -o "$p/bad.tar"
refused "a missing DIR" 1 "nothere: No such file" "$p/nothere" -o "$p/bad.tar"
refused "no -o" 2 "-o FILE missing" "$p/s"
refused "a bad --tls" 1 "--tls wants NAME=CRT,KEY" "$p/s" -o "$p/bad.tar" --tls site
refused "a --tls key that is not there" 1 "$p/tls/none.key: No such file" \
    "$p/s" -o "$p/bad.tar" --tls "a=$p/tls/site.crt,$p/tls/none.key"
refused "a --tls chain DIR has already" 1 ".tls/site.crt is in" \
    "$p/x" -o "$p/bad.tar" --tls "site=$p/tls/site.crt,$p/tls/site.key"
