/*
 * lib/dns: the DNS wire format (RFC 1035, 3597, 6891) and zone files
 * (RFC 1035 section 5), host-testable and freestanding: no platform call
 * and no malloc. Memory comes from a caller-given arena (dns_arena).
 *
 * Names are held in wire form (length-prefixed labels ending in the root
 * label, at most 255 bytes, each label at most 63), with their case as
 * written; comparisons ignore ASCII case (RFC 4343).
 *
 * Functions return 0 (or a count) on success and a negative ATOLL_ERR_*
 * (atoll/err.h) on failure: ATOLL_ERR_FORMAT for malformed input,
 * ATOLL_ERR_NOSPC when a message or arena is full (nothing was added).
 */
#ifndef ATOLL_DNS_H
#define ATOLL_DNS_H

#include <stddef.h>
#include <stdint.h>

#define DNS_NAME_MAX 255  /* wire length of a name, root label included */
#define DNS_LABEL_MAX 63
#define DNS_HEADER_LEN 12
#define DNS_PTR_HOPS_MAX 127 /* compression pointers followed in a name */

enum dns_type {
    DNS_T_A = 1, DNS_T_NS = 2, DNS_T_CNAME = 5, DNS_T_SOA = 6,
    DNS_T_PTR = 12, DNS_T_MX = 15, DNS_T_TXT = 16, DNS_T_AAAA = 28,
    DNS_T_SRV = 33, DNS_T_DNAME = 39, DNS_T_OPT = 41, DNS_T_DS = 43,
    DNS_T_RRSIG = 46, DNS_T_NSEC = 47, DNS_T_DNSKEY = 48, DNS_T_NSEC3 = 50,
    DNS_T_NSEC3PARAM = 51, DNS_T_SVCB = 64, DNS_T_HTTPS = 65,
    DNS_T_IXFR = 251, DNS_T_AXFR = 252, DNS_T_ANY = 255, DNS_T_CAA = 257,
};
#define DNS_C_IN 1
#define DNS_C_ANY 255 /* QCLASS *: answered as IN, without AA */

enum dns_section { DNS_QD, DNS_AN, DNS_NS, DNS_AR };

/* Header flags (the 16-bit word after the id). */
#define DNS_F_QR 0x8000
#define DNS_F_AA 0x0400
#define DNS_F_TC 0x0200
#define DNS_F_RD 0x0100
#define DNS_F_RA 0x0080
#define DNS_F_AD 0x0020
#define DNS_F_CD 0x0010
#define DNS_OPCODE(f) (((f) >> 11) & 15)
#define DNS_RCODE(f) ((f) & 15)

enum dns_rcode {
    DNS_R_NOERROR = 0, DNS_R_FORMERR = 1, DNS_R_SERVFAIL = 2,
    DNS_R_NXDOMAIN = 3, DNS_R_NOTIMP = 4, DNS_R_REFUSED = 5,
    DNS_R_NOTAUTH = 9,
    DNS_R_BADVERS = 16, /* extended: needs an OPT record */
};

/* ---- names (name.c) ----------------------------------------------------- */

/* Read the name at *pos of msg[0..len), following compression pointers
 * (each must point before the label that holds it, at most
 * DNS_PTR_HOPS_MAX of them) into out (DNS_NAME_MAX bytes); *pos moves past
 * the name as written. allow_ptr 0 refuses pointers (names in the RDATA of
 * types that must not be compressed). Returns the name's length. */
int dns_name_unpack(const uint8_t *msg, size_t len, size_t *pos,
                    uint8_t *out, int allow_ptr);
/* Length of the wire name n (trusted: made by this library). */
size_t dns_name_len(const uint8_t *n);
/* Number of labels of n, the root not counted. */
int dns_name_labels(const uint8_t *n);
/* Case-insensitive equality of two wire names. */
int dns_name_eq(const uint8_t *a, const uint8_t *b);
/* RFC 4034 section 6.1 canonical order (labels compared from the right,
 * case-insensitively): <0, 0, >0. */
int dns_name_cmp(const uint8_t *a, const uint8_t *b);
/* Whether n is sub or a name below it. */
int dns_name_is_sub(const uint8_t *n, const uint8_t *sub);
/* The wire name of presentation text s[0..len) ("www", "a\.b", "\065",
 * "@"); relative names get origin appended (NULL: must be absolute).
 * Returns the length written to out (DNS_NAME_MAX bytes). */
int dns_name_from_text(const char *s, size_t len, const uint8_t *origin,
                       uint8_t *out);

/* The presentation form of wire name n into out (cap bytes, truncated,
 * always terminated): "www.example.", "." for the root, \DDD for bytes
 * outside printable ASCII, a backslash before . \ " ; ( ) @ $. */
void dns_name_to_text(const uint8_t *n, char *out, size_t cap);

/* ---- messages (msg.c) --------------------------------------------------- */

struct dns_edns {
    int present;       /* an OPT record was in the additional section */
    uint16_t payload;  /* the requestor's UDP payload size (>= 512) */
    uint8_t ext_rcode; /* upper 8 bits of the 12-bit rcode */
    uint8_t version;   /* a version > 0 asks for BADVERS */
    int do_bit;        /* DNSSEC OK */
    size_t rdata;      /* offset of its options in the message */
    uint16_t rdlen;
};

struct dns_msg {
    const uint8_t *buf;
    size_t len;
    uint16_t id, flags;
    uint16_t count[4]; /* QD, AN, NS, AR as in the header */
    size_t section[4]; /* offset of each section's first entry */
    size_t end;        /* offset after the last record */
    struct dns_edns edns;
};

/* One question or resource record of a parsed message. */
struct dns_rr_view {
    enum dns_section section;
    uint8_t owner[DNS_NAME_MAX];
    uint16_t type, rclass;
    uint32_t ttl;       /* 0 in a question */
    size_t rdata;       /* offset in the message */
    uint16_t rdlen;
};

/* Check the whole message: header, every question and record with its
 * RDATA (dns_rdata_unpack), counts that match the bytes (trailing bytes
 * are refused), at most one OPT, in the additional section, with the root
 * as owner. ATOLL_ERR_FORMAT on anything malformed. */
int dns_msg_parse(struct dns_msg *m, const uint8_t *buf, size_t len);

/* Walk a parsed message: *pos starts at 0; each call fills rr with the
 * next question or record; returns 1, or 0 after the last. */
struct dns_msg_iter {
    size_t pos;
    int section;
    unsigned left;
};
void dns_msg_iter_init(const struct dns_msg *m, struct dns_msg_iter *it);
int dns_msg_next(const struct dns_msg *m, struct dns_msg_iter *it,
                 struct dns_rr_view *rr);

/* ---- RDATA (rdata.c) ---------------------------------------------------- */

/* The RDATA of a record at msg[off..off+rdlen) of type, checked, with its
 * names decompressed, into out (cap bytes): the canonical uncompressed
 * form a zone holds. Types this library does not know are copied opaque
 * (RFC 3597). Returns the length; out NULL only checks. */
int dns_rdata_unpack(const uint8_t *msg, size_t len, size_t off,
                     uint16_t rdlen, uint16_t type, uint8_t *out, size_t cap);
/* Check uncompressed RDATA of a known type (names well-formed, fixed
 * fields present, nothing left over). */
int dns_rdata_check(uint16_t type, const uint8_t *rd, size_t rdlen);
/* Whether names in type's RDATA may be compressed on output (the RFC 1035
 * types only: RFC 3597 section 4). */
int dns_type_compressible(uint16_t type);

/* ---- building messages (build.c) ---------------------------------------- */

#define DNS_COMP_MAX 64 /* names remembered for compression */

struct dns_builder {
    uint8_t *buf;
    size_t cap;   /* bytes the message may take (the UDP limit, say) */
    size_t len;
    int section;  /* the section being written */
    uint16_t ncomp;
    uint16_t comp[DNS_COMP_MAX]; /* offsets of names written */
};

/* Start a message of at most cap bytes (cap >= 12) with id and flags. */
int dns_build_init(struct dns_builder *b, uint8_t *buf, size_t cap,
                   uint16_t id, uint16_t flags);
void dns_build_flags(struct dns_builder *b, uint16_t flags);
/* Append a question; sections go in order (ATOLL_ERR_INVAL otherwise). */
int dns_build_question(struct dns_builder *b, const uint8_t *name,
                       uint16_t type, uint16_t rclass);
/* Append a record whose RDATA rd is uncompressed (dns_rdata_unpack's
 * form); names are compressed where allowed. ATOLL_ERR_NOSPC if it does
 * not fit: the message is as before the call. */
int dns_build_rr(struct dns_builder *b, enum dns_section sec,
                 const uint8_t *owner, uint16_t type, uint16_t rclass,
                 uint32_t ttl, const uint8_t *rd, uint16_t rdlen);
/* Append an OPT record (to the additional section). ext_rcode is the
 * upper 8 bits of a 12-bit rcode: BADVERS (16) is ext_rcode 1 with the
 * header's rcode 0 (RFC 6891 section 6.1.3). */
int dns_build_opt(struct dns_builder *b, uint16_t payload,
                  uint8_t ext_rcode, uint8_t version, int do_bit);

/* ---- arena (arena.c) ---------------------------------------------------- */

/* Bytes from the front (names, RDATA) and a record array that grows down
 * from the back, so that a zone's records end up in one array. */
struct dns_arena {
    uint8_t *base;
    size_t size, lo, hi;
};
void dns_arena_init(struct dns_arena *a, void *mem, size_t size);
void *dns_arena_alloc(struct dns_arena *a, size_t n, size_t align);

/* ---- zones (zone.c, ztext.c, zcheck.c) ---------------------------------- */

/* A record of a zone: 32 bytes. Owner names are shared by consecutive
 * records of one owner; RDATA is uncompressed wire form. */
struct dns_rr {
    const uint8_t *owner;
    const uint8_t *rdata;
    uint32_t ttl;
    uint32_t line;    /* line of the zone file, for error messages */
    uint16_t type;
    uint16_t rdlen;
};

struct dns_index_slot;
struct dns_zone {
    const uint8_t *origin;
    struct dns_rr *rr;   /* sorted: canonical owner order, then type */
    size_t n;
    uint16_t rclass;
    /* Every name of the zone hashed (lib/dns/index.c), in the arena
     * after the names and RDATA: a copy of the arena moves it too. */
    struct dns_index_slot *index;
    size_t index_mask;   /* slots - 1 */
    char err[256];       /* "FILE:LINE: message" after a failure */
};

/* Load the zone file text[0..len) named file (for messages) with origin
 * (wire name; NULL: the file sets it with $ORIGIN before its first
 * record) into z, memory from a; then sort the records, drop duplicates,
 * check the zone (dns_zone_check) and index its names (dns_answer needs
 * the index). On failure z->err holds the message. $INCLUDE is not
 * supported (an error). */
int dns_zone_load(struct dns_zone *z, struct dns_arena *a, const char *file,
                  const char *text, size_t len, const uint8_t *origin);
/* The zone checks: one SOA, at the apex; NS at the apex; CNAME alone at
 * its owner (but for RRSIG and NSEC); nothing below a delegation but
 * glue addresses. file names the zone in messages. */
int dns_zone_check(struct dns_zone *z, const char *file);

/* The RDATA of a record given in presentation form: the tokens of the
 * line after the type (tok[i] of tlen[i] bytes; quoted tokens are marked
 * in quoted[i]) into out; err gets a message on failure. */
int dns_rdata_from_text(uint16_t type, const char *const *tok,
                        const size_t *tlen, const uint8_t *quoted, int ntok,
                        const uint8_t *origin, uint8_t *out, size_t cap,
                        const char **err);
/* The type named s[0..len) ("A", "svcb", "TYPE65280"); -1 if unknown. */
int dns_type_from_text(const char *s, size_t len);

/* ---- answering (answer.c) ----------------------------------------------- */

#define DNS_EDNS_PAYLOAD 1232 /* the UDP payload size this server offers */
#define DNS_ANSWER_TCP 1      /* flag: the query came over TCP (no TC) */

/* Answer the query q[0..qlen) from zones[0..nzones) (loaded and checked)
 * into out (cap bytes): RFC 1034 section 4.3.2 with RFC 2308 negative
 * answers, CNAME chains within the zones, DNAME (RFC 6672), wildcards
 * (RFC 4592), referrals at cuts, REFUSED outside every zone, FORMERR,
 * NOTIMP, BADVERS, EDNS echoed, TC over UDP when the answer does not fit
 * the client's buffer. With DO, RRSIGs of the zone go with the RRsets
 * and NSEC or NSEC3 records prove denials (RFC 4035 section 3.1.3,
 * RFC 5155 section 7.2; lib/dns/README.md lists them). Returns the
 * reply's length, or a negative error when nothing must be sent (not a
 * query, or under 12 bytes). */
int dns_answer(const struct dns_zone *zones, size_t nzones, const uint8_t *q,
               size_t qlen, uint8_t *out, size_t cap, unsigned flags);

/* ---- zone transfers out (axfr.c) ---------------------------------------- */

/* An AXFR (RFC 5936) of one zone, message by message, for the TCP side.
 * Who may transfer (the ACL) is the server's job; dns_answer answers
 * AXFR/IXFR with NOTIMP (UDP and queries not handed to dns_axfr). */
struct dns_axfr {
    const struct dns_zone *zone;
    uint16_t id, qtype;         /* the query's id and type (AXFR or IXFR) */
    uint16_t rcode;             /* != 0: one error reply, then over */
    uint8_t qname[DNS_NAME_MAX];/* the question as asked, case kept */
    size_t next;                /* next record of zone->rr to send */
    size_t soa;                 /* the apex SOA's index in zone->rr */
    unsigned msgs;              /* messages written so far */
    int state;                  /* internal: first SOA, body, last, over */
};

/* Start the transfer asked by query[0..len): one question of type AXFR
 * (IXFR gets the whole zone too, which RFC 1995 section 4 allows) and
 * class IN, for the apex of one of zones[0..nzones) (loaded, checked).
 * Returns 0 when the transfer starts, DNS_R_FORMERR (malformed, not one
 * question, opcode not QUERY, not AXFR/IXFR) or DNS_R_NOTAUTH (not the
 * apex of a zone served here; class not IN) when the reply is that one
 * error message: dns_axfr_next then writes it (header and question, the
 * rcode, no AA) and ends. ATOLL_ERR_FORMAT when nothing must be sent
 * (under 12 bytes, or QR set). No TSIG; an OPT in the query is accepted
 * and not echoed. */
int dns_axfr_begin(struct dns_axfr *x, const struct dns_zone *zones,
                   size_t nzones, const uint8_t *query, size_t len);
/* The next message of the transfer into out (cap bytes, at most 65535;
 * without TCP's 2-byte length): as many whole records as fit, names
 * compressed, AA set, the query's id in every message and its question
 * in the first only (RFC 5936 section 2.2). The apex SOA is the first
 * record and the last; every other record of the zone (glue, DNSSEC
 * records included) once, in the zone's canonical order. Returns the
 * message's length, 0 when the transfer is over, ATOLL_ERR_NOSPC if a
 * single record does not fit in cap (the transfer cannot go on). */
long dns_axfr_next(struct dns_axfr *x, uint8_t *out, size_t cap);

/* ---- response rate limiting (rrl.c) ------------------------------------- */

/* RRL as NSD, Knot and BIND do it: each response falls into a bucket
 * (source prefix, answer class, name, type) that may send `rate`
 * responses a second (a token bucket holding one second's worth); over
 * it, responses are dropped but every slip-th one goes out truncated (TC,
 * question only) so that a real client behind a spoofed flood retries
 * over TCP. Buckets (qname is the name hashed, lower-cased):
 *   answer (NOERROR, answer section not empty): qname and qtype;
 *   referral (NOERROR, NS records in authority, none in answer): the
 *     delegation's owner;
 *   nodata (NOERROR, nothing in answer, no referral): qname and qtype;
 *   nxdomain: the zone (the authority section's first owner, the SOA's);
 *   error (any other rcode): the source prefix only.
 * The table is the caller's memory (no malloc), direct-mapped on the
 * SipHash of the bucket under config.key: set a random key per boot so
 * that nobody can aim collisions. A bucket met in a slot held by another
 * replaces it (starting full), so a collision can only be lenient. */
struct dns_rrl_config {
    unsigned rate;        /* responses a second per bucket; 0: RRL off */
    unsigned slip;        /* every slip-th limited response goes out
                             truncated; 0: none (all dropped), 1: all */
    unsigned ipv4_prefix; /* bits of an IPv4 source kept (24 as NSD) */
    unsigned ipv6_prefix; /* bits of an IPv6 source kept (56 as NSD) */
    uint64_t key[2];      /* SipHash key: random, per boot */
};

struct dns_rrl_bucket { /* 32 bytes, internal */
    uint64_t hash;
    uint64_t last_ns;
    uint64_t credit;      /* in 1/1e9 responses */
    uint32_t limited;     /* responses limited, for slip */
    uint32_t pad;
};

struct dns_rrl {
    struct dns_rrl_config c;
    struct dns_rrl_bucket *tab;
    size_t n;             /* buckets in tab */
    uint64_t sent, dropped, slipped; /* counters, read by the server */
};

enum dns_rrl_action { DNS_RRL_SEND, DNS_RRL_DROP, DNS_RRL_SLIP };

/* Bytes of table memory per bucket: size / DNS_RRL_BUCKET_BYTES buckets. */
#define DNS_RRL_BUCKET_BYTES sizeof(struct dns_rrl_bucket)

/* Set up r with the table mem[0..size) (aligned for uint64_t; at least
 * one bucket) and config c (copied). ATOLL_ERR_INVAL for too little
 * memory, a prefix longer than the address, or mem misaligned. */
int dns_rrl_init(struct dns_rrl *r, void *mem, size_t size,
                 const struct dns_rrl_config *c);
/* What to do with the response[0..len) (made by dns_answer) to the
 * source address src_addr (addrlen 4: IPv4, 16: IPv6, network order) at
 * time now_ns (monotonic): SEND, DROP, or SLIP (send dns_rrl_slip's
 * form instead). Counts it in sent, dropped or slipped. Responses over
 * TCP must not be checked (they are not spoofable). A response it cannot
 * read, or another address length, is SENT (and counted). */
enum dns_rrl_action dns_rrl_check(struct dns_rrl *r, const uint8_t *src_addr,
                                  size_t addrlen, const uint8_t *response,
                                  size_t len, uint64_t now_ns);
/* Turn response[0..len) in place into its slipped form: the header with
 * TC set and AA kept, the question, nothing else (no OPT). Returns the
 * new length, or ATOLL_ERR_FORMAT if the response has no readable
 * question. */
int dns_rrl_slip(uint8_t *response, size_t len);

#endif
