/*
 * Code shared by atoll-hvt and atoll-spt: command line, image loading and
 * validation, manifest checks, and attaching host resources to devices.
 *
 * Every function that can fail writes one human-readable sentence into
 * err (no trailing newline, no program name) and returns -1; the caller
 * prints "atoll-hvt: FILE: <err>" and exits with ATOLL_EXIT_TENDER_ERROR.
 * Nothing here calls exit() or prints, so the fuzz target can drive it.
 */
#ifndef ATOLL_TENDER_H
#define ATOLL_TENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "atoll/abi/ext.h"
#include "atoll/abi/note.h"
#include "atoll/abi/mft.h"

#define TENDER_ERR_SIZE 256

/* Format one sentence into err[TENDER_ERR_SIZE]; always returns -1. For
 * the tenders' own errors too, so that all follow the same convention. */
int tender_err(char *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#define TENDER_MAX_SEGMENTS 16
#define TENDER_PAGE_SIZE 0x1000u

/* ---- command line ------------------------------------------------------ */

/* Guest memory when --mem is not given, and the accepted --mem range. */
#define TENDER_DEFAULT_MEM_MB 512
#define TENDER_MIN_MEM_MB 2
#define TENDER_MAX_MEM_MB 65536
/* Default and accepted block sector sizes. The manifest stores the block
 * size in 16 bits, so 32768 is the largest power of two it can hold. */
#define TENDER_DEFAULT_SECTOR_SIZE 512
#define TENDER_MIN_SECTOR_SIZE 512
#define TENDER_MAX_SECTOR_SIZE 32768
/* A TAP interface's MTU is reported to the guest (as Solo5 does) if in
 * this range; the manifest stores it in 16 bits. */
#define TENDER_NET_MIN_MTU 576
#define TENDER_NET_MAX_MTU 65535

struct tender_dev_arg {
    char name[ATOLL_MFT_NAME_SIZE];
    char *path;       /* --net:NAME=TAP or --block:NAME=FILE; NULL if only
                         --net-mac / --block-sector-size named the device */
    bool has_mac;     /* --net-mac:NAME=xx:xx:xx:xx:xx:xx */
    uint8_t mac[6];
    uint32_t sector_size; /* --block-sector-size:NAME=N, 0 = default 512 */
    bool has_sector_size; /* N given: tender_attach checks it is a power of
                             two in range (a bad device, status 1, as in
                             Solo5), the parser only that it is a number */
    bool used;        /* set by tender_attach when a manifest entry took it */
};


struct tender_args {
    uint64_t mem_size; /* bytes; --mem=MB, default TENDER_DEFAULT_MEM_MB */
    struct tender_dev_arg net[ATOLL_MFT_MAX_ENTRIES];
    int nnet;
    struct tender_dev_arg block[ATOLL_MFT_MAX_ENTRIES];
    int nblock;
    /* Not from the command line: open TAPs with virtio-net headers (the
     * image asked, ATOLL_EXT_F_NET_VNET, and the tender offers them), and
     * the entries that got them (bit i: entry i), set by tender_attach. */
    bool vnet_want;
    uint64_t vnet_got;
    const char *kernel;  /* KERNEL path */
    int guest_argc;      /* words after KERNEL */
    char **guest_argv;   /* NULL-terminated (points into the caller's argv) */
    bool help, version;
};

/*
 * Parse main()'s argc/argv (argv[0] is the program name and is skipped):
 *   [--mem=MB] [--net:NAME=TAP] [--net-mac:NAME=MAC] [--block:NAME=FILE]
 *   [--block-sector-size:NAME=N] [--help] [--version] [--] KERNEL [ARGS...]
 * Options stop at "--" or at the first word not starting with '-'
 * (KERNEL); every word after KERNEL belongs to the guest. --help and
 * --version set the flags and stop parsing (KERNEL is then not required).
 * Returns 0, or -1 with err set (a usage error).
 */
int tender_parse_args(int argc, char **argv, struct tender_args *args,
                      char *err);

/* Print the --help text for program name prog ("atoll-hvt") on stdout;
 * extra_help (may be NULL) is printed after the common options. */
void tender_usage(const char *prog, const char *extra_help);

/* ---- image ------------------------------------------------------------- */

/* One PT_LOAD segment with memsz > 0, in ascending address order. */
struct tender_segment {
    uint64_t vaddr;  /* page-aligned start in guest memory */
    uint64_t memsz;  /* page-aligned size in guest memory */
    uint64_t file_vaddr, filesz, file_offset; /* bytes to copy */
    int prot;        /* PROT_READ / PROT_WRITE / PROT_EXEC from p_flags
                        exactly (Solo5 hvt text is PF_X only); never W+X */
};

struct tender_image {
    uint64_t entry;
    uint64_t kernel_end; /* page-aligned end of the highest segment */
    struct tender_segment seg[TENDER_MAX_SEGMENTS];
    int nseg;
    uint32_t abi_target, abi_version;
    struct atoll_mft *mft; /* malloc'd, validated copy of the manifest */
    size_t mft_size;
    uint32_t ext_request; /* ATOLL_EXT_F_* asked by Atoll request notes */
};

/*
 * Validate an ELF64 image held in buf[0..len): magic, class, data, version,
 * type ET_EXEC, machine x86_64, program headers inside the file, PT_LOAD
 * segments sorted, non-overlapping, at or above min_base, inside mem_size,
 * memsz >= filesz, never writable and executable, the entry point inside an
 * executable segment, the ABI note (want_target, want_version) and a valid
 * manifest note. On success fills img (free with tender_image_free).
 */
int tender_image_parse(const uint8_t *buf, size_t len, uint32_t want_target,
                       uint32_t want_version, uint64_t min_base,
                       uint64_t mem_size, struct tender_image *img, char *err);

/* Largest image file tender_read_file accepts. */
#define TENDER_MAX_IMAGE_SIZE (256u << 20)

/* Read a whole regular file of at most TENDER_MAX_IMAGE_SIZE bytes into a
 * malloc'd buffer (free it with free()). */
int tender_read_file(const char *path, uint8_t **buf, size_t *len, char *err);

/* Copy the file bytes of a parsed image's segments into guest memory,
 * guest address A being host address host_base + A (spt: 0, guest memory
 * is mapped at its own addresses; hvt: where it is mapped), covering at
 * least the mem_size given to tender_image_parse. The rest of each segment
 * (bss, page tails) is left alone: guest memory is a fresh anonymous
 * mapping, zero already, and zeroing it again would make the host back
 * every bss page before the guest touches any (512 faults for a 2 MiB
 * bss). Does not change protections: the caller applies seg[].prot to
 * [seg.vaddr, seg.vaddr + seg.memsz). */
void tender_image_load(const struct tender_image *img, const uint8_t *buf,
                       uintptr_t host_base);

void tender_image_free(struct tender_image *img);

/* Name of an ABI target: "hvt", "spt", ..., or "unknown". */
const char *tender_abi_target_name(uint32_t target);

/* Validate a manifest of mft_size bytes (untrusted): version 1, 1..64
 * entries, size matching the entry count, entry 0 reserved with an empty
 * name, other names non-empty, NUL-terminated, made of [A-Za-z0-9_.-] and
 * unique, types block or net basic, attached false. */
int tender_mft_validate(const struct atoll_mft *mft, size_t mft_size,
                        char *err);

/* ---- devices ----------------------------------------------------------- */

/*
 * Attach host resources to the manifest's devices. First every declared
 * device must have a resource of its kind and every --net/--net-mac/
 * --block/--block-sector-size must name a declared device of that kind;
 * nothing is opened until that holds. Then, for each net entry, the TAP
 * interface is attached through /dev/net/tun (IFF_TAP | IFF_NO_PI,
 * O_NONBLOCK; it must already exist and not be in use) or the open TAP
 * descriptor @FD is taken (with args->vnet_want: IFF_VNET_HDR, 12-byte
 * headers, TUN_F_CSUM | TUN_F_TSO4, and bit i of args->vnet_got for entry
 * i; an @FD with IFF_VNET_HDR then keeps it, and is refused without
 * vnet_want), with the MAC from --net-mac or a random locally
 * administered one and the interface's MTU (SIOCGIFMTU on its name, in
 * the tender's network namespace; refused outside TENDER_NET_MIN_MTU..
 * TENDER_NET_MAX_MTU); for each block entry the file
 * (a regular file or block device) is opened O_RDWR, its size must be a
 * non-zero multiple of the sector size, and capacity = size. Descriptors
 * are O_CLOEXEC. Fills u, b.hostfd and attached, and marks the args used.
 * On error nothing stays open and no entry is marked attached.
 */
int tender_attach(struct atoll_mft *mft, struct tender_args *args, char *err);

/* Join words with single spaces into dst[size]; -1 with err if too long. */
int tender_cmdline(char *dst, size_t size, int argc, char **argv, char *err);

/* Fill the Atoll extension block that follows the command line area. */
void tender_ext_init(struct atoll_ext *ext, uint32_t features);

#endif
