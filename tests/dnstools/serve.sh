#!/bin/sh
# atoll dns pack's archive on examples/dns (run by tests/dnstools/run.sh):
# two zones (one named by its file, one by $ORIGIN) and one signed with
# NSEC3 (ldns-signzone writes no $ORIGIN: named by its file) packed, the archive attached as the block device storage of
# dns.spt on atoll-spt in a network namespace, and dig asking each zone:
# its SOA serial, and an NXDOMAIN with DO proved by NSEC3s.
# SKIP without root, dig or ldnsutils.
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.."
top=$(pwd)
case ${B:-build} in /*) B=${B:-build} ;; *) B=$top/${B:-build} ;; esac
. tests/lib/check.sh
scratch dnsserve stop_guest
. tests/lib/net-cases.sh
GUEST=10.0.0.2
HOST=10.0.0.1
MAC=02:00:00:00:00:02
GUEST_IMAGE=dns

for p in dig ldns-signzone ldns-keygen; do
    command -v $p >/dev/null 2>&1 ||
        { skip "dns pack served" "$p missing (tests/lib/deps.sh test)"; exit 0; }
done
for f in "$B/examples/dns.spt" "$B/bin/atoll-spt" "$B/bin/atoll"; do
    [ -x "$f" ] || { fail "dns pack served: $f" "not built"; exit 1; }
done
if [ "$(id -u)" != 0 ] || ! make_ns dnsserve 2>"$tmp/ns.err"; then
    skip "dns pack served" "no network namespace (root?): $(head -c 100 \
        "$tmp/ns.err")"
    exit 0
fi

z=$tmp/z
mkdir -p "$z"
cd "$z" || exit 1
printf '$TTL 300\n@ SOA ns1 host 2024120601 2 3 4 60\n@ NS ns1\nns1 A 192.0.2.1\n' \
    >one.test.zone
printf '$ORIGIN two.test.\n$TTL 300\n@ SOA ns1 host 77 2 3 4 60\n@ NS ns1\nns1 A 192.0.2.2\n' \
    >db.two
printf '$ORIGIN n3.test.\n$TTL 300\n@ SOA ns1 host 5 2 3 4 60\n@ NS ns1\nns1 A 192.0.2.3\nwww A 192.0.2.4\n' \
    >n3.in
k=$(ldns-keygen -a ECDSAP256SHA256 n3.test.) &&
    ldns-signzone -n -t 1 -s beef -f n3.test.zone -o n3.test. n3.in "$k" \
    >"$tmp/sign.out" 2>&1 || { fail "dns pack served: signing" \
    "$(tail -n 1 "$tmp/sign.out")"; exit 1; }
"$B/bin/atoll" dns pack one.test.zone db.two n3.test.zone -o "$tmp/zones.tar" \
    >"$tmp/out" 2>&1
rc=$?
expect "dns pack: three zones" 0 "packed $tmp/zones.tar: 3 zones" || exit 1
cd "$top" || exit 1

TENDER_OPTS="--block:storage=$tmp/zones.tar --mem=64"
start_guest spt --ipv4=$GUEST/24
if ! wait_up 20; then
    fail "dns pack served: boot" "$(guest_tail)"
    exit 1
fi
if grep -q 'dns: serving 3 zones' "$tmp/guest.out"; then
    pass "dns pack served: examples/dns loads the 3 zones of the archive"
else
    fail "dns pack served: 3 zones" "$(grep -m1 'dns:' "$tmp/guest.out")"
fi
for zs in one.test.:2024120601 two.test.:77 n3.test.:5; do
    zn=${zs%:*} serial=${zs#*:}
    got=$(in_ns dig @$GUEST +norec +short +time=2 +tries=2 "$zn" SOA |
        awk '{ print $3 }')
    if [ "$got" = "$serial" ]; then
        pass "dns pack served: $zn SOA serial $serial"
    else
        fail "dns pack served: $zn SOA" "got '$got', want $serial"
    fi
done
in_ns dig @$GUEST +norec +dnssec +time=2 +tries=2 nx.n3.test. A \
    >"$tmp/q" 2>&1
if grep -q 'status: NXDOMAIN' "$tmp/q" &&
    [ "$(grep -c 'IN[[:space:]]*NSEC3[[:space:]]' "$tmp/q")" -ge 2 ]; then
    pass "dns pack served: NXDOMAIN with DO proved by NSEC3s"
else
    fail "dns pack served: NSEC3 NXDOMAIN" "$(grep -E 'status|NSEC3' \
        "$tmp/q" | tr '\n' '|' | cut -c 1-200)"
fi
exit $((fails > 0))
