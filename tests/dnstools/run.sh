#!/bin/sh
# atoll dns check and atoll dns pack (tools/atoll/dns.c) on zones written
# here: good zones and their one-line summaries, bad zones and every
# FILE:LINE: message expected of them, the origin rules (NAME.zone,
# $ORIGIN), usage errors, and pack's archive read back by GNU tar and by
# lib/tarkv (tests/storage/tarcat), whose entries check again to the same
# zones; then lib/dns's NSEC3 denials against NSD's (nsec3-nsd.sh), and a
# packed archive served by examples/dns on spt (serve.sh). One
# PASS:/FAIL:/SKIP: line per case; exit status 1 if anything failed.
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.."
top=$(pwd)
case ${B:-build} in /*) B=${B:-build} ;; *) B=$top/${B:-build} ;; esac
ATOLL=$B/bin/atoll
TARCAT=$B/tests/storage/tarcat
. "$top/tests/lib/check.sh"
scratch dnstools
for p in "$ATOLL" "$TARCAT"; do
    [ -x "$p" ] || { fail "artefacts" "$p missing (make B=... all" \
        "test-programs)"; exit 1; }
done

# dns ARGS...: atoll dns in $tmp/z; stdout in $tmp/out, stderr in
# $tmp/err, status in $rc.
dns() {
    (cd "$tmp/z" && "$ATOLL" dns "$@") >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
}
check_out="$tmp/out $tmp/err"

# same NAME FILE WANT: FILE holds exactly the lines WANT ("": empty).
same() {
    if { [ -n "$3" ] && printf '%s\n' "$3" || :; } | cmp -s - "$2"; then
        pass "$1"
    else
        fail "$1" "got: $(tr '\n' '|' <"$2" | cut -c 1-300)"
    fi
}

mkdir -p "$tmp/z"
cd "$tmp/z" || exit 1
cat >example.com.zone <<'EOF'
; the file's name gives the origin: example.com.
$TTL 3600
@   IN SOA ns1 hostmaster (
            2024010101 ; serial
            7200 900 1209600 300 )
    IN NS ns1
    IN NS ns2.example.net.
ns1 IN A 192.0.2.1
www IN A 192.0.2.10
    IN AAAA 2001:db8::10
mail IN CNAME www
*.wild 300 TXT "any" "thing"
sub NS ns.sub
ns.sub A 192.0.2.53
EOF
cat >db.other <<'EOF'
$ORIGIN Other.Test.
@ 300 SOA ns1 host 7 2 3 4 5
@ 300 NS ns1
ns1 300 A 10.0.0.1
EOF
cat >bad.test.zone <<'EOF'
$TTL 300
@ SOA ns1 host 1 2 3 4 5
  NS ns1
ns1 A 192.0.2.300
www CNAME ns1
www A 192.0.2.2
foo BOGUS 1
out.example. A 192.0.2.1
sub NS ns.sub
sub TXT "beside the cut"
deep.sub MX 10 ns1
txt TXT (
  "a"
  "b" ) 77 ; the 77 is fine text, the next line is not
last CNAME (
  one two )
ok A 192.0.2.9
EOF
printf '$TTL 60\n@ SOA a b 1 2 3 4 5\nx A 10.0.0.1\n' >nons.test.zone
printf '$ORIGIN a.\n$TTL 60\n@ SOA a b 1 2 3 4 5\n@ NS a\n' >again.zone
printf '$TTL 60\nwww A 10.0.0.1\n' >noorigin.db

# check NAME COMMAND...: PASS if the command succeeds.
check() {
    n=$1
    shift
    if "$@"; then pass "$n"; else fail "$n" "$*"; fi
}

# ---- check ----------------------------------------------------------------

dns check example.com.zone db.other
expect "check: good zones exit 0" 0
same "check: one line a zone (origin, records, serial)" "$tmp/out" \
"example.com.zone: zone example.com., 10 records, SOA serial 2024010101
db.other: zone other.test., 3 records, SOA serial 7"
same "check: nothing on stderr for good zones" "$tmp/err" ""

dns check bad.test.zone
expect "check: a bad zone exits 1" 1
same "check: every error of the bad zone, FILE:LINE: message" "$tmp/err" \
"bad.test.zone:4: bad IPv4 address
bad.test.zone:7: unknown type
bad.test.zone:8: out.example. is outside the zone bad.test.
bad.test.zone:15: extra data after the record
bad.test.zone:10: data beside the delegation at sub.bad.test.
bad.test.zone:11: deep.sub.bad.test. is below the delegation at sub.bad.test. (only glue addresses may be)
bad.test.zone:5: CNAME beside other data at www.bad.test."
same "check: no summary for a bad zone" "$tmp/out" ""

dns check nons.test.zone example.com.zone
expect "check: zone-wide error (no NS at the apex), other zones go on" 1 \
    "example.com.zone: zone example.com., 10 records"
same "check: a zone-wide error ends the file's list" "$tmp/err" \
    "nons.test.zone:2: no NS records at the apex nons.test."

dns check noorigin.db
expect "check: no NAME.zone and no \$ORIGIN" 1 \
    "noorigin.db:2: bad owner name (or relative with no \$ORIGIN)"

printf 'a.test. 60 SOA a.test. b.test. 1 2 3 4 5\na.test. 60 NS a.test.\n' \
    >abs.db
dns check abs.db
expect "check: absolute names, no NAME.zone, no \$ORIGIN: one error" 1
same "check: that error once" "$tmp/err" \
    "abs.db:1: no \$ORIGIN before the first record"

dns check again.zone
expect "check: NAME.zone names the zone, whatever \$ORIGIN says" 1 \
    "again.zone:3: a. is outside the zone again."

cp db.other twice.db
dns check db.other twice.db
expect "check: a zone in two files" 1 \
    "twice.db:1: the zone other.test. is in db.other already"

dns check missing.zone
expect "check: a missing file" 1 "missing.zone: No such file or directory"

i=1
while [ $i -le 60 ]; do
    echo "n$i A 10.0.0.999"
    i=$((i + 1))
done >many.zone.in
{ printf '$TTL 60\n@ SOA a b 1 2 3 4 5\n@ NS a\n'; cat many.zone.in; } \
    >many.test.zone
dns check many.test.zone
expect "check: at most 50 errors a file" 1 "many.test.zone:53: bad IPv4" \
    "many.test.zone: 50 errors, stopping" "!many.test.zone:54:"

# ---- usage ------------------------------------------------------------------

dns --help
expect "dns --help" 0 "atoll dns check ZONEFILE..." \
    "atoll dns pack ZONEFILE... -o FILE"
dns check --help
expect "dns check --help" 0 "usage: atoll dns check"
dns pack --help
expect "dns pack --help" 0 "usage: atoll dns check"
dns
expect "dns without a command: usage, 2" 2 "usage: atoll dns"
dns frob
expect "dns frob: unknown command, 2" 2 "unknown command 'frob'"
dns check
expect "dns check without files, 2" 2 "ZONEFILE missing"
dns check -x example.com.zone
expect "dns check -x: unknown option, 2" 2 "unknown option -x"
dns pack example.com.zone
expect "dns pack without -o, 2" 2 "-o FILE missing"
dns pack example.com.zone -o
expect "dns pack -o without a value, 2" 2 "needs a value"
"$ATOLL" --help >"$tmp/out" 2>&1
rc=$?
expect "atoll --help names dns" 0 "dns check ZONE..." "dns pack ZONE..."

# ---- pack -------------------------------------------------------------------

dns pack example.com.zone db.other -o zones.tar
expect "pack: good zones" 0 "example.com.zone: zone example.com." \
    "atoll dns: packed zones.tar: 2 zones"
tar tf zones.tar >"$tmp/out" 2>&1
same "pack: tar tf lists ORIGIN.zone entries" "$tmp/out" \
"example.com.zone
other.test.zone"
mkdir x
if tar xf zones.tar -C x && cmp -s x/example.com.zone example.com.zone &&
    cmp -s x/other.test.zone db.other; then
    pass "pack: GNU tar extracts the files byte for byte"
else
    fail "pack: GNU tar extracts the files byte for byte" "differ"
fi
size=$(stat -c %s zones.tar)
check_size() { [ $((size % 4096)) -eq 0 ] && [ "$size" -gt 0 ]; }
if check_size; then
    pass "pack: archive a multiple of 4096 bytes ($size)"
else
    fail "pack: archive a multiple of 4096 bytes" "$size"
fi

# lib/tarkv reads it as examples/dns does; the entries, checked under
# their names, are the same zones.
"$TARCAT" zones.tar >"$tmp/out" 2>&1
expect "tarkv: mounts and lists the archive" 0 "example.com.zone" \
    "other.test.zone"
mkdir -p kv
ok=yes
for e in example.com.zone other.test.zone; do
    "$TARCAT" zones.tar "$e" >"kv/$e" || ok=no
done
if [ $ok = yes ] && cmp -s kv/example.com.zone example.com.zone &&
    cmp -s kv/other.test.zone db.other; then
    pass "tarkv: every entry's bytes are the file's"
else
    fail "tarkv: every entry's bytes are the file's" "differ"
fi
(cd kv && "$ATOLL" dns check example.com.zone other.test.zone) \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
same "round trip: the entries check to the same zones" "$tmp/out" \
"example.com.zone: zone example.com., 10 records, SOA serial 2024010101
other.test.zone: zone other.test., 3 records, SOA serial 7"

cp zones.tar keep.tar
dns pack example.com.zone bad.test.zone -o zones.tar
expect "pack: a bad zone, nothing written" 1 "bad.test.zone:4: bad IPv4" \
    "zones.tar not written"
if cmp -s zones.tar keep.tar && [ ! -e zones.tar.tmp ]; then
    pass "pack: the old archive is left as it was"
else
    fail "pack: the old archive is left as it was" "changed"
fi
dns pack db.other twice.db -o two.tar
expect "pack: two files of one zone" 1 "is in db.other already"
check "pack: nothing written for them" test ! -e two.tar
dns pack -q example.com.zone -o q.tar
expect "pack -q: no summary lines" 0 "!zone example.com." "!packed"

# The root zone is .zone.
printf '$ORIGIN .\n$TTL 60\n@ SOA a. b. 1 2 3 4 5\n@ NS a.root-servers.net.\n' \
    >root.db
dns pack root.db -o root.tar
tar tf root.tar >"$tmp/out" 2>&1
same "pack: the root zone is .zone" "$tmp/out" ".zone"

# ---- NSEC3 answers against NSD's (root and a network namespace) -----------
cd "$top" || exit 1
B=$B sh tests/dnstools/nsec3-nsd.sh || fails=$((fails + 1))
# ---- the archive served by examples/dns on spt --------------------------
B=$B sh tests/dnstools/serve.sh || fails=$((fails + 1))

exit $((fails > 0))
