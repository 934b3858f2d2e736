#!/usr/bin/env python3
"""tests/dns-diff: ask NSD and an Atoll server the same queries and compare.

    compare.py NSD_ADDR ATOLL_ADDR LABEL [--port 53] [--detail N]

Queries: every name of NAMES (existing, nonexistent, below a wildcard,
below a delegation, empty non-terminals, out of every zone, mixed case)
x TYPES x EDNS (none; 512, 1232, 4096 each with DO clear and set), sent
over UDP to both; a query either side truncates (TC) is asked again over
TCP, and so is every query of the no-EDNS column. Responses are parsed
from the wire here (standard library only) and compared: rcode
(extended too), the flags QR AA TC RD (copied) RA (unset) AD CD and the
opcode, the question as sent (case kept), each section as a multiset of
records (owner names and names inside RDATA compared case-blind, TTLs
exact, RRSIGs as records), the OPT (present, payload, version, DO).

A difference is allowed only by one of the rules in ALLOWED below (and in
README.md), each with its RFC; any other FAILs with the query and both
answers. Prints one PASS/FAIL line per part, and the counts.
"""
import random
import socket
import struct
import sys

TYPES = {
    "A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16,
    "AAAA": 28, "SRV": 33, "DNAME": 39, "OPT": 41, "DS": 43, "RRSIG": 46,
    "NSEC": 47, "DNSKEY": 48, "NSEC3": 50, "NSEC3PARAM": 51, "ANY": 255,
}
TNAME = {v: k for k, v in TYPES.items()}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN",
          4: "NOTIMP", 5: "REFUSED", 6: "YXDOMAIN", 9: "NOTAUTH",
          16: "BADVERS"}

# Query types asked for every name. ANY is asked too: RFC 8482 lets a
# server answer it with a subset, see ALLOWED.
QTYPES = ["A", "AAAA", "NS", "SOA", "MX", "TXT", "CNAME", "DNAME", "DS",
          "DNSKEY", "NSEC", "SRV", "ANY"]

# (payload or None, DO)
EDNS = [(None, 0), (512, 0), (512, 1), (1232, 0), (1232, 1), (4096, 0),
        (4096, 1)]

# The names asked, with what they are (zones.sh writes the zones).
NAMES = [
    # example.
    "example.", "ns1.example.", "www.example.", "WwW.ExAmPlE.",
    "www2.example.", "WWW2.EXAMPLE.", "mail.example.", "mx.example.",
    "srv._tcp.example.", "_tcp.example.",            # ENT above an SRV
    "nothere.example.", "a.nothere.example.",         # NXDOMAIN
    "sub.example.", "SUB.example.", "host.sub.example.", "ns.sub.example.",
    "a.b.ns.sub.example.",                            # below a delegation
    "ext.example.", "x.ext.example.", "sec.example.", "x.sec.example.",
    "ns.sec.example.",
    "child.example.", "www.child.example.", "nothere.child.example.",
    "ent.example.", "b.ent.example.", "a.b.ent.example.",   # ENTs
    "x.ent.example.", "x.b.ent.example.",
    "wild.example.", "*.wild.example.", "foo.wild.example.",
    "FoO.WiLd.example.", "a.b.foo.wild.example.", "b.wild.example.",
    "x.b.wild.example.", "y.wild.example.", "z.y.wild.example.",
    "x.y.wild.example.", "\\*.wild.example.",
    "z.wc.example.", "a.z.wc.example.",
    "c1.example.", "c3.example.", "cext.example.", "cext2.example.",
    "cout.example.", "cnx.example.", "cnx2.example.", "cloop1.example.",
    "cself.example.", "cw.example.", "cwc.example.", "cdel.example.",
    "cchild.example.", "C1.Example.",
    "dn.example.", "www.dn.example.", "c.dn.example.", "x.dn.example.",
    "deep.er.dn.example.", "a.dnout.example.", "dnout.example.",
    "many.example.", "mid.example.", "large.example.", "huge.example.",
    # other.test. (negative TTL from the SOA's own TTL)
    "other.test.", "www.other.test.", "c.other.test.", "nothere.other.test.",
    "er.other.test.",
    # wild.test. (RFC 4592 section 2.2.1's zone and its queries)
    "wild.test.", "host3.wild.test.", "foo.bar.wild.test.",
    "host1.wild.test.", "sub.host1.wild.test.", "_telnet._tcp.host1.wild.test.",
    "_ssh._tcp.host1.wild.test.", "_ssh._tcp.host2.wild.test.",
    "_tcp.host1.wild.test.", "host2.wild.test.", "ghost.*.wild.test.",
    "*.wild.test.", "host.subdel.wild.test.", "subdel.wild.test.",
    "_foo._udp.host2.wild.test.",
    # signed.test. (NSEC)
    "signed.test.", "www.signed.test.", "WWW.Signed.Test.", "ns1.signed.test.",
    "nothere.signed.test.", "zzz.signed.test.", "a.signed.test.",
    "x.wild.signed.test.", "a.b.wild.signed.test.", "b.wild.signed.test.",
    "wild.signed.test.", "ent.signed.test.", "c.ent.signed.test.",
    "sub.signed.test.", "x.sub.signed.test.", "sec.signed.test.",
    "x.sec.signed.test.", "alias.signed.test.", "walias.signed.test.",
    "mail.signed.test.",
    # signed3.test. (NSEC3)
    "signed3.test.", "www.signed3.test.", "nothere.signed3.test.",
    "zzz.signed3.test.", "x.wild.signed3.test.", "a.b.wild.signed3.test.",
    "b.wild.signed3.test.", "wild.signed3.test.", "ent.signed3.test.",
    "c.ent.signed3.test.", "sub.signed3.test.", "x.sub.signed3.test.",
    "sec.signed3.test.", "x.sec.signed3.test.", "alias.signed3.test.",
    "walias.signed3.test.", "Mail.Signed3.Test.",
    # NXDOMAIN whose proof does not fit 512 bytes: TC
    "a-long-label-that-makes-the-denial-too-big-for-512-bytes.x.y.z."
    "nothere.signed.test.",
    # outside every zone
    "test.", ".", "www.outside.invalid.", "com.",
]


# ---- wire ------------------------------------------------------------------

def name_to_wire(name):
    if name == ".":
        return b"\0"
    out = b""
    labels, cur, i = [], b"", 0
    while i < len(name):
        c = name[i]
        if c == "\\":
            cur += name[i + 1].encode()
            i += 2
            continue
        if c == ".":
            labels.append(cur)
            cur = b""
        else:
            cur += c.encode()
        i += 1
    for lab in labels:
        out += bytes([len(lab)]) + lab
    return out + b"\0"


def read_name(msg, off):
    """(name as text, offset after it); raises on loops/overruns."""
    labels, jumped, end, hops = [], False, off, 0
    while True:
        n = msg[off]
        if n & 0xC0 == 0xC0:
            hops += 1
            if hops > 127:
                raise ValueError("pointer loop")
            if not jumped:
                end = off + 2
            jumped = True
            off = ((n & 0x3F) << 8) | msg[off + 1]
            continue
        if n == 0:
            if not jumped:
                end = off + 1
            break
        lab = msg[off + 1:off + 1 + n]
        labels.append("".join(
            chr(b) if 0x21 <= b < 0x7F and chr(b) not in ".\\" else
            "\\%03d" % b for b in lab))
        off += 1 + n
    return (".".join(labels) + "." if labels else "."), end


def rdata_text(msg, typ, off, rdlen):
    """RDATA normalised for comparison: names in it read (compression
    undone) and lower-cased, addresses and strings in text, the rest in
    hex."""
    rd = msg[off:off + rdlen]
    try:
        if typ == 1 and rdlen == 4:
            return socket.inet_ntop(socket.AF_INET, rd)
        if typ == 28 and rdlen == 16:
            return socket.inet_ntop(socket.AF_INET6, rd)
        if typ in (2, 5, 12, 39):
            return read_name(msg, off)[0].lower()
        if typ == 15:
            return "%d %s" % (struct.unpack("!H", rd[:2])[0],
                              read_name(msg, off + 2)[0].lower())
        if typ == 33:
            p, w, port = struct.unpack("!HHH", rd[:6])
            return "%d %d %d %s" % (p, w, port,
                                    read_name(msg, off + 6)[0].lower())
        if typ == 6:
            m, o2 = read_name(msg, off)
            r, o3 = read_name(msg, o2)
            nums = struct.unpack("!5I", msg[o3:o3 + 20])
            return "%s %s %s" % (m.lower(), r.lower(),
                                 " ".join(str(x) for x in nums))
        if typ == 16:
            parts, i = [], 0
            while i < len(rd):
                parts.append('"%s"' % rd[i + 1:i + 1 + rd[i]].decode(
                    "ascii", "backslashreplace"))
                i += 1 + rd[i]
            return " ".join(parts)
        if typ == 46:
            cov = TNAME.get(struct.unpack("!H", rd[:2])[0], "?")
            return "%s %s" % (cov, rd[2:].hex())
        if typ == 47:
            nxt, o2 = read_name(msg, off)
            return "%s %s" % (nxt.lower(), msg[o2:off + rdlen].hex())
    except (ValueError, IndexError, struct.error) as e:
        return "unreadable(%s) %s" % (e, rd.hex())
    return rd.hex()


class Reply:
    """A parsed response; sections as sorted lists of record tuples."""

    def __init__(self, msg, qid):
        self.raw = msg
        self.ok = True
        self.err = ""
        try:
            self._parse(msg, qid)
        except (ValueError, IndexError, struct.error) as e:
            self.ok = False
            self.err = "unparsable: %s (%s)" % (e, msg[:64].hex())

    def _parse(self, msg, qid):
        (rid, flags, qd, an, ns, ar) = struct.unpack("!6H", msg[:12])
        if rid != qid:
            raise ValueError("id %d, want %d" % (rid, qid))
        self.flags = flags
        self.rcode = flags & 15
        off = 12
        self.question = []
        for _ in range(qd):
            n, off = read_name(msg, off)
            t, c = struct.unpack("!HH", msg[off:off + 4])
            off += 4
            self.question.append((n, t, c))  # case kept
        self.sec = []
        self.opt = None
        for count, sname in ((an, "answer"), (ns, "authority"),
                             (ar, "additional")):
            recs = []
            for _ in range(count):
                n, off = read_name(msg, off)
                t, c, ttl, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
                off += 10
                if off + rdlen > len(msg):
                    raise ValueError("RDATA past the end")
                if t == 41:
                    self.opt = (c, ttl >> 24, (ttl >> 16) & 255,
                                (ttl >> 15) & 1, msg[off:off + rdlen].hex())
                    self.rcode |= (ttl >> 24) << 4
                else:
                    recs.append((n.lower(), TNAME.get(t, "TYPE%d" % t), c,
                                 ttl, rdata_text(msg, t, off, rdlen)))
                off += rdlen
            self.sec.append(sorted(recs))
        if off != len(msg):
            raise ValueError("%d trailing bytes" % (len(msg) - off))

    def text(self):
        if not self.ok:
            return self.err
        f = self.flags
        fl = [n for b, n in ((0x8000, "qr"), (0x400, "aa"), (0x200, "tc"),
                             (0x100, "rd"), (0x80, "ra"), (0x20, "ad"),
                             (0x10, "cd")) if f & b]
        s = "%s %s opcode %d q=%s" % (RCODES.get(self.rcode, self.rcode),
                                      " ".join(fl), (f >> 11) & 15,
                                      self.question)
        if self.opt:
            s += " OPT(payload %d, ext %d, version %d, do %d)" % self.opt[:4]
        for name, recs in zip(("AN", "NS", "AR"), self.sec):
            for r in recs:
                s += "\n      %s %s %d %s %s" % (name, r[0], r[3], r[1],
                                                 r[4][:80])
        return s


def make_query(qid, name, qtype, payload, do, rd):
    q = struct.pack("!6H", qid, 0x0100 if rd else 0, 1, 0, 0,
                    1 if payload else 0)
    q += name_to_wire(name) + struct.pack("!HH", TYPES[qtype], 1)
    if payload:
        q += b"\0" + struct.pack("!HHIH", 41, payload, 0x8000 if do else 0,
                                 0)
    return q


def ask_udp(sock, addr, port, q):
    for _ in range(3):
        sock.sendto(q, (addr, port))
        try:
            while True:
                data, _src = sock.recvfrom(65535)
                if data[:2] == q[:2]:
                    return data
        except socket.timeout:
            continue
    return None


def ask_tcp(addr, port, q):
    try:
        s = socket.create_connection((addr, port), timeout=3)
    except OSError:
        return None
    try:
        s.sendall(struct.pack("!H", len(q)) + q)
        buf = b""
        while len(buf) < 2 or len(buf) < 2 + struct.unpack("!H", buf[:2])[0]:
            chunk = s.recv(65535)
            if not chunk:
                return None
            buf += chunk
        return buf[2:2 + struct.unpack("!H", buf[:2])[0]]
    except OSError:
        return None
    finally:
        s.close()


def special_queries():
    """(description, query without its id) of the edge cases: other
    opcodes, classes, EDNS versions, transfers over UDP, bad counts."""
    def q(flags=0, qd=1, name="www.example.", qtype=1, qclass=1,
          opt=None, an=0):
        body = name_to_wire(name) + struct.pack("!HH", qtype, qclass)
        if an:
            body += name_to_wire(name) + struct.pack("!HHIH", 1, 1, 60, 4) + \
                b"\x01\x02\x03\x04"
        if opt is not None:
            body += b"\0" + struct.pack("!HHIH", 41, 1232, opt, 0)
        return struct.pack("!5H", flags, qd, an, 0,
                           1 if opt is not None else 0) + body
    return [
        ("opcode-iquery x", q(flags=1 << 11)),
        ("opcode-status x", q(flags=2 << 11)),
        ("opcode-notify x", q(flags=4 << 11 | 0x400, qtype=6,
                              name="example.")),
        ("opcode-update x", q(flags=5 << 11, qtype=6, name="example.")),
        ("opcode-status edns", q(flags=2 << 11, opt=0)),
        ("class-chaos TXT", q(qclass=3, qtype=16, name="version.bind.")),
        ("class-chaos-edns TXT", q(qclass=3, qtype=16, opt=0)),
        ("class-hesiod A", q(qclass=4)),
        ("class-any A", q(qclass=255)),
        ("class-any-nx A", q(qclass=255, name="nx.example.")),
        ("class-any-referral A", q(qclass=255, name="a.sec.example.",
                                   opt=0x8000)),
        ("class-any-mx MX", q(qclass=255, qtype=15, name="example.",
                              opt=0)),
        ("class-any-signed A", q(qclass=255, name="www.signed.test.",
                                 opt=0x8000)),
        ("class-any-signed-nx A", q(qclass=255, name="nx.signed.test.",
                                    opt=0x8000)),
        ("edns-version1 A", q(opt=1 << 16)),
        ("edns-version1-do A", q(opt=1 << 16 | 0x8000)),
        ("edns-z-bits A", q(opt=0x4000)),
        ("axfr-udp AXFR", q(qtype=252, name="example.")),
        ("ixfr-udp IXFR", q(qtype=251, name="example.")),
        ("qtype-opt OPT", q(qtype=41)),
        ("qdcount-0 x", q(qd=0)[:12]),
        ("ancount-1 A", q(an=1)),
        ("cd-bit A", q(flags=0x10, opt=0x8000)),
        ("ad-bit A", q(flags=0x20, opt=0)),
        ("aa-tc-in-query A", q(flags=0x600)),
        ("type0 TYPE0", q(qtype=0)),
        ("type-unknown TYPE65280", q(qtype=65280)),
        ("rrsig-query RRSIG", q(qtype=46, name="www.signed.test.",
                                opt=0x8000)),
        ("nsec3param NSEC3PARAM", q(qtype=51, name="signed.test.",
                                    opt=0x8000)),
        ("root-label-only SOA", q(name=".", qtype=6)),
        ("long-name A", q(name="a." * 120 + "example.")),
    ]


# ---- comparison ------------------------------------------------------------

# The differences RFCs allow, by name, each with its reference (README.md
# lists them with the queries that meet them). A function gets the query
# and both replies and returns True when the difference is that choice;
# the first rule that fits names it.
TC = 0x200
MASK = 0xFFF0  # QR opcode AA TC RD RA Z AD CD


def q_type(q):
    end = 12
    while q[end]:
        end += 1 + q[end]
    return struct.unpack("!H", q[end + 1:end + 3])[0]


def q_payload(q):
    """The query's EDNS payload size, 0 without an OPT."""
    if struct.unpack("!H", q[10:12])[0] == 0:
        return 0
    return struct.unpack("!H", q[-8:-6])[0]


def same_head(n, a, ignore=0):
    return (n.rcode == a.rcode and n.question == a.question and
            (n.flags & MASK & ~ignore) == (a.flags & MASK & ~ignore) and
            n.opt == a.opt)


def only_additional(q, n, a):
    """RFC 1034 4.3.2 step 6, RFC 2181 section 9: the additional section
    is optional (NSD's minimal-responses leaves more out); the header,
    answer and authority are the same."""
    return same_head(n, a) and n.sec[:2] == a.sec[:2]


def both_truncated(q, n, a):
    """RFC 2181 section 9: a client ignores a reply with TC set and asks
    over TCP (compared there); NSD keeps the whole RRsets that fit, Atoll
    sends the question only."""
    return same_head(n, a) and n.flags & a.flags & TC


def any_subset(q, n, a):
    """RFC 8482 section 4.2: ANY may be answered with a subset (NSD sends
    one RRset, Atoll every RRset of the node); so Atoll's answer holds
    NSD's, or Atoll's whole set does not fit over UDP and it truncates."""
    if q_type(q) != 255 or not same_head(n, a, TC):
        return False
    if a.flags & TC and not n.flags & TC:
        return not any(a.sec)
    return (not (n.flags ^ a.flags) & TC and n.sec[0] and
            set(n.sec[0]) <= set(a.sec[0]) and n.sec[1] == a.sec[1])


def own_payload_limit(q, n, a):
    """RFC 6891 section 6.2.5: a responder may send up to the requestor's
    payload size; NSD holds its replies to its own (1232, RFC 9715's
    advice), Atoll fills the client's: a reply over 1232 bytes that Atoll
    sends whole to a 4096-byte client is TC from NSD."""
    return (q_payload(q) > 1232 and same_head(n, a, TC) and
            n.flags & TC and not a.flags & TC and len(a.raw) > 1232 and
            not any(n.sec))


def q_opcode(q):
    return (q[2] >> 3) & 15


def q_class(q):
    end = 12
    while q[end]:
        end += 1 + q[end]
    return struct.unpack("!H", q[end + 3:end + 5])[0]


def error_header_only(q, n, a):
    """RFC 1035 4.1.1 does not make an error reply repeat the question:
    NSD answers other opcodes and classes, and FORMERR, with the header
    alone (without the OPT RFC 6891 section 7 asks for); Atoll keeps the
    question (and the OPT). Same rcode and flags, no records either
    side."""
    return (n.rcode == a.rcode and n.rcode in (1, 4, 5) and
            (n.flags & MASK) == (a.flags & MASK) and not n.question and
            not any(n.sec) and not any(a.sec) and n.opt is None)


def notify_notimp(q, n, a):
    """RFC 1996 makes NOTIFY optional, and RFC 1035 4.1.1's NOTIMP is the
    answer of a server without it (Atoll); NSD, which takes NOTIFY only
    from its primaries, says REFUSED."""
    return (q_opcode(q) == 4 and n.rcode == 5 and a.rcode == 4 and
            not any(n.sec) and not any(a.sec))


def transfer_udp(q, n, a):
    """RFC 1995 section 2 / RFC 5936 section 4.2: a transfer the server
    will not do over UDP may get NOTIMP (Atoll: transfers are TCP's) or
    REFUSED (NSD: no ACL allows it)."""
    return (q_type(q) in (251, 252) and {n.rcode, a.rcode} <= {4, 5} and
            not any(n.sec) and not any(a.sec))


def meta_qtype_formerr(q, n, a):
    """RFC 6891 section 6.1.1: OPT is a pseudo-RR, only in the additional
    section; Atoll answers a query for type OPT with FORMERR, NSD with
    NODATA."""
    return q_type(q) == 41 and a.rcode == 1 and not any(a.sec)


def badvers_do_copied(q, n, a):
    """RFC 3225 section 3: the DO bit is copied into the response; Atoll
    does so in BADVERS replies too, NSD clears it there."""
    return (n.rcode == a.rcode == 16 and n.opt and a.opt and
            n.opt[:3] == a.opt[:3] and n.sec == a.sec and
            (n.flags & MASK) == (a.flags & MASK))


def cd_copied(q, n, a):
    """RFC 4035 section 3.1.6: the name server copies the CD bit into the
    response; Atoll does, NSD clears it. Nothing else differs."""
    return (q[3] & 0x10 and a.flags & 0x10 and not n.flags & 0x10 and
            (n.flags | 0x10) == a.flags and n.sec == a.sec and
            n.opt == a.opt and n.rcode == a.rcode)


ALLOWED = [
    ("additional-section", "RFC 1034 4.3.2, RFC 2181 9", only_additional),
    ("truncated-contents", "RFC 2181 9", both_truncated),
    ("any-subset", "RFC 8482 4.2", any_subset),
    ("payload-own-limit", "RFC 6891 6.2.5", own_payload_limit),
    ("error-header-only", "RFC 1035 4.1.1", error_header_only),
    ("notify-notimp", "RFC 1996, RFC 1035 4.1.1", notify_notimp),
    ("transfer-over-udp", "RFC 1995 2, RFC 5936 4.2", transfer_udp),
    ("qtype-opt-formerr", "RFC 6891 6.1.1", meta_qtype_formerr),
    ("badvers-do-copied", "RFC 3225 3", badvers_do_copied),
    ("cd-copied", "RFC 4035 3.1.6", cd_copied),
]


def differences(n, a, q):
    """The ways a differs from n, as short strings; [] if none."""
    if not n.ok or not a.ok:
        return ["nsd: " + n.err if not n.ok else "atoll: " + a.err]
    d = []
    if n.rcode != a.rcode:
        d.append("rcode")
    if (n.flags & MASK) != (a.flags & MASK):
        d.append("flags %04x vs %04x" % (n.flags & MASK, a.flags & MASK))
    if n.question != a.question:
        d.append("question")
    if (n.opt is None) != (a.opt is None) or (n.opt and n.opt[:4] !=
                                              a.opt[:4]):
        d.append("opt")
    for i, s in enumerate(("answer", "authority", "additional")):
        if n.sec[i] != a.sec[i]:
            d.append(s)
    return d


def own_checks(r, q):
    """What must hold on either side alone: RD copied, RA unset, QR set."""
    qflags = struct.unpack("!H", q[2:4])[0]
    bad = []
    if r.ok:
        if not r.flags & 0x8000:
            bad.append("QR unset")
        if (r.flags & 0x100) != (qflags & 0x100):
            bad.append("RD not copied")
        if r.flags & 0x80:
            bad.append("RA set")
    return bad


def main():
    args = sys.argv[1:]
    port, detail = 53, 40
    while "--port" in args:
        i = args.index("--port")
        port = int(args[i + 1])
        del args[i:i + 2]
    while "--detail" in args:
        i = args.index("--detail")
        detail = int(args[i + 1])
        del args[i:i + 2]
    nsd, atoll, label = args[:3]
    rng = random.Random(12)
    sock_n = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock_a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock_n.settimeout(1.0)
    sock_a.settimeout(1.0)

    stats = {"udp": 0, "tcp": 0, "same": 0, "allowed": {}, "fail": 0,
             "tc": 0}
    shown = 0

    # Failures grouped by what differs, the query type and DO: the first
    # of each group is printed with both answers, the others by name.
    groups = {}
    examples = {}

    def report(desc, q, n, a, why):
        stats["fail"] += 1
        key = (tuple(why), desc.split()[2], " do" in desc)
        groups.setdefault(key, []).append((desc, n, a, why))

    silent = 0

    def one(desc, q, rn, ra):
        nonlocal silent
        if rn is None or ra is None:
            who = "nsd" if rn is None else "atoll"
            report(desc, q, Reply(rn, 0) if rn else None,
                   Reply(ra, 0) if ra else None, ["no answer from " + who])
            silent += 1
            if silent == 10:  # a dead server: no use waiting on the rest
                print("FAIL: dns-diff %s: %s stopped answering (at %s)"
                      % (label, who, desc))
                sys.exit(1)
            return None, None
        silent = 0
        qid = struct.unpack("!H", q[:2])[0]
        n, a = Reply(rn, qid), Reply(ra, qid)
        own = own_checks(a, q)
        d = differences(n, a, q)
        if own:
            report(desc, q, n, a, ["atoll: " + x for x in own])
        elif not d:
            stats["same"] += 1
        else:
            for rule, _ref, fn in ALLOWED:
                if fn(q, n, a):
                    stats["allowed"][rule] = stats["allowed"].get(rule, 0) + 1
                    examples.setdefault(rule, []).append(desc)
                    break
            else:
                report(desc, q, n, a, d)
        return n, a

    for name in NAMES:
        for qtype in QTYPES:
            for payload, do in EDNS:
                qid = rng.randrange(65536)
                rd = rng.randrange(2)
                q = make_query(qid, name, qtype, payload, do, rd)
                desc = "%s %s %s%s%s" % (name, qtype,
                                         "edns=%d" % payload if payload
                                         else "no-edns",
                                         " do" if do else "",
                                         " rd" if rd else "")
                stats["udp"] += 1
                n, a = one("udp " + desc, q, ask_udp(sock_n, nsd, port, q),
                           ask_udp(sock_a, atoll, port, q))
                tc = (n and n.ok and n.flags & 0x200) or \
                    (a and a.ok and a.flags & 0x200)
                if tc:
                    stats["tc"] += 1
                if tc or payload is None:
                    stats["tcp"] += 1
                    one("tcp " + desc, q, ask_tcp(nsd, port, q),
                        ask_tcp(atoll, port, q))

    for desc, body in special_queries():
        qid = rng.randrange(65536)
        q = struct.pack("!H", qid) + body
        stats["udp"] += 1
        one("udp " + desc, q, ask_udp(sock_n, nsd, port, q),
            ask_udp(sock_a, atoll, port, q))

    for key, items in groups.items():
        desc, n, a, why = items[0]
        if shown < detail:
            shown += 1
            more = ""
            if len(items) > 1:
                more = "\n    and %d more like it: %s" % (
                    len(items) - 1, "; ".join(i[0] for i in items[1:6]))
            print("FAIL: dns-diff %s: %s: %s\n    nsd:   %s\n    atoll: %s%s"
                  % (label, desc, ", ".join(why), n.text() if n else "none",
                     a.text() if a else "none", more))
    for rule, ref, _fn in ALLOWED:
        ex = examples.get(rule, [])
        print("# allowed %s (%s): %d, e.g. %s" % (rule, ref, len(ex),
                                                 "; ".join(ex[:4])))
    total = stats["udp"] + stats["tcp"]
    allowed = sum(stats["allowed"].values())
    print("# %s: %d queries (%d UDP, %d TCP; %d truncated over UDP): "
          "%d identical, %d allowed differences %s, %d failing"
          % (label, total, stats["udp"], stats["tcp"], stats["tc"],
             stats["same"], allowed, stats["allowed"], stats["fail"]))
    if stats["fail"]:
        print("FAIL: dns-diff %s: %d of %d queries differ from NSD beyond "
              "the allowed choices (%d shown above)"
              % (label, stats["fail"], total, shown))
        print("# %d groups of differences" % len(groups))
        return 1
    print("PASS: dns-diff %s: %d queries answered as NSD does (%d identical,"
          " %d by allowed choices)" % (label, total, stats["same"], allowed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
