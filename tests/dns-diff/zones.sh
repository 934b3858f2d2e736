#!/bin/sh
# The zones of tests/dns-diff, written into DIR (zones.sh DIR): four
# unsigned zones, signed.test signed with NSEC and signed3.test with NSEC3
# by ldns-signzone.
# compare.py's name list follows what is here; change both together.
set -eu
d=$1
mkdir -p "$d"

# TXT strings of 100 bytes, n of them: large RRsets for TC.
txts() {
    i=0
    while [ $i -lt "$2" ]; do
        printf '%s TXT "%03d-%s"\n' "$1" $i \
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrs"
        i=$((i + 1))
    done
}

{
    cat <<'EOF'
$ORIGIN example.
$TTL 3600
; SOA TTL above MINIMUM: negative answers carry 300 (RFC 2308 section 5)
@ 86400 SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
@ NS ns1
@ NS ns2.other.test.
@ MX 10 mail
@ MX 20 mail2.other.test.
@ TXT "apex"
ns1 A 192.0.2.1
ns1 AAAA 2001:db8::1
mail A 192.0.2.25
www A 192.0.2.80
www AAAA 2001:db8::80
WwW2 600 A 192.0.2.81
mx MX 10 mail
mx MX 20 www
mx MX 30 ns1
srv._tcp SRV 0 5 80 www
; delegations: glue below the cut, an in-zone sibling and an out-of-zone
; name server; one with out-of-zone servers only; one with a DS
sub NS ns.sub
sub NS ns1
sub NS ns.elsewhere.test.
ns.sub A 192.0.2.53
ns.sub AAAA 2001:db8::53
ext NS ns1.other.test.
ext NS ns2.other.test.
sec NS ns.sec
sec DS 12345 13 2 3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D
ns.sec A 192.0.2.54
; a delegation to a zone this server also serves
child NS ns1
; empty non-terminals b.ent and ent
a.b.ent A 192.0.2.7
; wildcards (RFC 4592): y.wild is an empty non-terminal below the
; wildcard's level, so names below it do not match *.wild
*.wild TXT "wild"
*.wild A 192.0.2.99
b.wild A 192.0.2.8
x.y.wild A 192.0.2.9
*.wc CNAME www
; CNAME chains: in zone, to another served zone, out of every zone, to
; NXDOMAIN (here and in other.test), loops, through a wildcard, into a
; delegation and into the child zone
c1 CNAME c2
c2 CNAME www
c3 CNAME c1
cext CNAME www.other.test.
cext2 CNAME c.other.test.
cout CNAME www.outside.invalid.
cnx CNAME nothere
cnx2 CNAME nothere.other.test.
cloop1 CNAME cloop2
cloop2 CNAME cloop1
cself CNAME cself
cw CNAME foo.wild
cwc CNAME z.wc
cdel CNAME host.sub
cchild CNAME www.child
; DNAME (RFC 6672): to a served zone and out of every zone
dn DNAME other.test.
dnout DNAME outside.invalid.
; large RRsets: many A records, TXT over 512, over 1232, over 4096
EOF
    i=1
    while [ $i -le 60 ]; do
        echo "many A 192.0.2.$i"
        i=$((i + 1))
    done
    txts mid 8
    txts large 20
    txts huge 45
} >"$d/example.zone"

cat >"$d/other.test.zone" <<'EOF'
$ORIGIN other.test.
$TTL 7200
; SOA TTL below MINIMUM: negative answers carry 60
@ 60 SOA ns1 hostmaster 7 7200 3600 1209600 3600
@ NS ns1
@ NS ns2
ns1 A 198.51.100.1
ns2 A 198.51.100.2
www A 198.51.100.80
www TXT "other"
c CNAME www.example.
mail2 A 198.51.100.25
deep.er A 198.51.100.3
EOF

cat >"$d/child.example.zone" <<'EOF'
$ORIGIN child.example.
$TTL 1800
@ SOA ns1.example. hostmaster.example. 3 7200 3600 1209600 600
@ NS ns1.example.
www A 192.0.2.200
EOF

# The example zone of RFC 4592 section 2.2.1 (its queries in 2.2.1 and
# 3.3.3 are in compare.py).
cat >"$d/wild.test.zone" <<'EOF'
$ORIGIN wild.test.
$TTL 3600
@ SOA ns1 hostmaster 1 7200 3600 1209600 600
@ NS ns1
ns1 A 192.0.2.1
* TXT "this is a wildcard"
* MX 10 host1
host1 A 192.0.2.1
_ssh._tcp.host1 SRV 0 0 22 host1
_ssh._tcp.host2 SRV 0 0 22 host2
subdel NS ns.example.
subdel NS ns.example.net.
EOF

cat >"$d/signed.test.in" <<'EOF'
$ORIGIN signed.test.
$TTL 3600
@ SOA ns1 hostmaster 1 7200 3600 1209600 300
@ NS ns1
@ MX 10 mail
ns1 A 192.0.2.1
mail A 192.0.2.25
www A 192.0.2.80
www AAAA 2001:db8::80
*.wild TXT "w"
b.wild A 192.0.2.8
c.ent A 192.0.2.7
sub NS ns.sub
ns.sub A 192.0.2.53
sec NS ns1
sec DS 12345 13 2 3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D3A0B5C1D
alias CNAME www
walias CNAME x.wild
EOF
# signed3.test: the same names, NSEC3 (RFC 5155: SHA-1, 2 iterations, a
# salt, no opt-out).
sed 's/signed\.test\./signed3.test./' "$d/signed.test.in" >"$d/signed3.test.in"
(
    cd "$d"
    k=$(ldns-keygen -a ECDSAP256SHA256 signed.test)
    ldns-signzone -f signed.test.zone -o signed.test signed.test.in "$k"
    rm -f "$k".*
    k=$(ldns-keygen -a ECDSAP256SHA256 signed3.test)
    ldns-signzone -n -t 2 -s c0ffee -f signed3.test.zone -o signed3.test \
        signed3.test.in "$k"
    rm -f "$k".*
)
