#!/bin/sh
# lib/dns's NSEC3 denials against NSD's for the same zones (run by
# tests/dnstools/run.sh): a zone signed by ldns-signzone -n with salt and
# iterations, and one with opt-out whose unsigned delegation is taken out
# of the chain; NSD (127.0.0.1) and lib/dns behind host sockets
# (tests/dns-diff/hostdns, 127.0.0.2) in a network namespace of this
# script; dig +dnssec asks both each query; rcode, flags and every
# section (owner and type, RRSIGs with the type they cover) must match.
# An NSEC3 owner name is asked too (RFC 5155 7.2.8: it does not exist).
# SKIP without root, nsd, ldnsutils or dig.
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.."
top=$(pwd)
case ${B:-build} in /*) B=${B:-build} ;; *) B=$top/${B:-build} ;; esac
HOSTDNS=$B/tests/dns-diff/hostdns
NSD=$(command -v nsd || echo /usr/sbin/nsd)
. "$top/tests/lib/check.sh"
pids=""
stop() { for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
scratch nsec3nsd stop

for p in "$NSD" ldns-signzone ldns-keygen ldns-nsec3-hash dig; do
    command -v "$p" >/dev/null 2>&1 ||
        { skip "nsec3 vs nsd" "$p missing (tests/lib/deps.sh test)"; exit 0; }
done
[ -x "$HOSTDNS" ] || { fail "nsec3 vs nsd" "$HOSTDNS not built"; exit 1; }
if [ "$(id -u)" != 0 ] || ! ip netns add "nsec3-$$" 2>"$tmp/ns.err"; then
    skip "nsec3 vs nsd" "no network namespace (root?): $(head -c 100 \
        "$tmp/ns.err")"
    exit 0
fi
ns=nsec3-$$
ip -n "$ns" link set lo up

# ---- the zones -------------------------------------------------------------
z=$tmp/z
mkdir -p "$z"
zone() { # ORIGIN
    cat <<EOF
\$ORIGIN $1
\$TTL 3600
@ SOA ns1 host 1 7200 3600 1209600 300
@ NS ns1
ns1 A 192.0.2.1
www A 192.0.2.10
*.wild TXT "w"
b.wild A 192.0.2.8
c.ent A 192.0.2.7
d.e.deep A 192.0.2.6
sub NS ns.sub
ns.sub A 192.0.2.53
sec NS ns1
sec DS 12345 13 2 3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D
alias CNAME nx
*.wc CNAME a.sub
EOF
}
(
    cd "$z" || exit 1
    zone n3.test. >n3.in
    zone oo.test. >oo.in
    k=$(ldns-keygen -a ECDSAP256SHA256 n3.test.) &&
        ldns-signzone -n -t 2 -s aabbccdd -f n3.test.zone -o n3.test. n3.in "$k" &&
        k=$(ldns-keygen -a ECDSAP256SHA256 oo.test.) &&
        ldns-signzone -n -p -t 0 -f oo.signed -o oo.test. oo.in "$k" || exit 1
    # Opt-out: sub.oo.test. out of the chain, its predecessor pointing on.
    h=$(ldns-nsec3-hash -t 0 sub.oo.test. | tr -d . | tr a-z A-Z)
    n=$(awk -v h="$h" 'toupper($1) == h ".OO.TEST." && $4 == "NSEC3" \
        { print $9 }' oo.signed)
    [ -n "$n" ] || exit 1
    awk -v h="$h" -v n="$n" 'toupper($1) == h ".OO.TEST." { next }
        $4 == "NSEC3" && toupper($9) == h { $9 = n } { print }' \
        oo.signed >oo.test.zone
) >"$tmp/sign.out" 2>&1 ||
    { fail "nsec3 vs nsd: signing" "$(tail -n 2 "$tmp/sign.out")"; exit 1; }

# ---- the servers -------------------------------------------------------------
cat >"$z/nsd.conf" <<EOF
server:
    ip-address: 127.0.0.1
    port: 53
    server-count: 1
    username: ""
    chroot: ""
    zonesdir: "$z"
    database: ""
    zonelistfile: "$z/zone.list"
    xfrdfile: "$z/xfrd.state"
    xfrdir: "$z"
    pidfile: "$z/nsd.pid"
    logfile: "$z/nsd.log"
    hide-version: yes
    minimal-responses: yes
    refuse-any: no
    rrl-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: "n3.test."
    zonefile: "$z/n3.test.zone"
zone:
    name: "oo.test."
    zonefile: "$z/oo.test.zone"
EOF
ip netns exec "$ns" "$NSD" -d -c "$z/nsd.conf" >"$tmp/nsd.out" 2>&1 &
pids="$pids $!"
ip netns exec "$ns" "$HOSTDNS" 127.0.0.2 53 n3.test.="$z/n3.test.zone" \
    oo.test.="$z/oo.test.zone" >"$tmp/hostdns.out" 2>&1 &
pids="$pids $!"

# ask ADDR NAME TYPE: the reply as sorted lines: "rcode flags" and
# "SECTION owner TYPE [COVERED]" (owners lower case, TTLs and data left).
ask() {
    ip netns exec "$ns" dig @"$1" +dnssec +norec +bufsize=4096 +time=1 \
        +tries=2 "$2" "$3" 2>&1 | awk '
        /^;; ->>HEADER<<-/ { st = $6; sub(",", "", st) }
        /^;; flags:/ { f = $0; sub(/^;; flags: /, "", f); sub(/;.*/, "", f)
                       print "header", st, f }
        /^;; ANSWER SECTION/ { s = "an"; next }
        /^;; AUTHORITY SECTION/ { s = "ns"; next }
        /^;; ADDITIONAL SECTION/ { s = "ar"; next }
        /^$/ { s = "" }
        s != "" && $0 !~ /^;/ && NF >= 4 {
            t = $4; if (t == "RRSIG") t = t " " $5
            print s, tolower($1), t }' | sort
}
i=0
until ask 127.0.0.1 n3.test. SOA | grep -q NOERROR &&
    ask 127.0.0.2 n3.test. SOA | grep -q NOERROR; do
    i=$((i + 1))
    [ $i -lt 30 ] || { fail "nsec3 vs nsd: servers start" "$(tail -n 2 \
        "$tmp/nsd.out" "$tmp/hostdns.out" | tr '\n' ' ')"; exit 1; }
    sleep 0.3
done

nq=0 bad=0
for zn in n3.test. oo.test.; do
    # An NSEC3 owner name asked (RFC 5155 7.2.8), by the hash of www.
    case $zn in n3*) o="-t 2 -s aabbccdd" ;; *) o="-t 0" ;; esac
    hw=$(ldns-nsec3-hash $o "www.$zn" | cut -d. -f1)
    for q in "$hw A" "$hw NSEC3" "nx A" "x.y.www A" "a.b.c.deep A" "www AAAA" "ent A" "e.deep TXT" \
        "deep MX" "a.wild TXT" "x.wild TXT" "a.wild A" "b.wild A" \
        "a.sub A" "ns.sub A" "sub DS" "a.sec A" "sec DS" "alias A" \
        "@ NSEC3PARAM" "@ DNSKEY" "*.wild A" "zz.x.wild TXT" "x.wc A"; do
        set -- $q
        name=$1.$zn
        [ "$1" = @ ] && name=$zn
        nq=$((nq + 1))
        ask 127.0.0.1 "$name" "$2" >"$tmp/nsd.ans"
        ask 127.0.0.2 "$name" "$2" >"$tmp/atoll.ans"
        if ! grep -q '^header' "$tmp/nsd.ans" ||
            ! cmp -s "$tmp/nsd.ans" "$tmp/atoll.ans"; then
            bad=$((bad + 1))
            echo "# $name $2: nsd | lib/dns"
            diff "$tmp/nsd.ans" "$tmp/atoll.ans" | sed 's/^/#   /' | head -n 12
        fi
    done
done
# Below an NSEC3 owner name NSD sends only the NSEC3 covering the name
# (its closest encloser is the NSEC3 owner, which has no NSEC3 to prove
# it); lib/dns sends the proof of RFC 5155 7.2.2 with the apex as the
# closest provable encloser: NXDOMAIN, the apex's NSEC3 and two covers.
h=$(ldns-nsec3-hash -t 2 -s aabbccdd www.n3.test. | cut -d. -f1)
ask 127.0.0.2 "x.$h.n3.test." A >"$tmp/atoll.ans"
apex=$(ldns-nsec3-hash -t 2 -s aabbccdd n3.test. | cut -d. -f1)
if grep -q '^header NXDOMAIN' "$tmp/atoll.ans" &&
    grep -q "^ns $apex.n3.test. NSEC3\$" "$tmp/atoll.ans" &&
    [ "$(grep -c '^ns [^ ]* NSEC3$' "$tmp/atoll.ans")" = 3 ]; then
    pass "nsec3: below an NSEC3 owner name, the encloser proof from the apex"
else
    fail "nsec3: below an NSEC3 owner name" "$(tr '\n' '|' <"$tmp/atoll.ans")"
fi
if [ $bad -eq 0 ]; then
    pass "nsec3 vs nsd: $nq queries with DO, every section the same"
else
    fail "nsec3 vs nsd" "$bad of $nq queries differ (lines above)"
fi
exit $((fails > 0))
