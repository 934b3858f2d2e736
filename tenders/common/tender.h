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

#include "atoll/abi/atoll_ext.h"
#include "atoll/abi/solo5_elf.h"
#include "atoll/abi/solo5_mft.h"

#define TENDER_ERR_SIZE 256
#define TENDER_MAX_SEGMENTS 16
#define TENDER_PAGE_SIZE 0x1000u

/* ---- command line ------------------------------------------------------ */

struct tender_dev_arg {
    char name[ATOLL_MFT_NAME_SIZE];
    char *path;       /* --net:NAME=TAP or --block:NAME=FILE */
    bool has_mac;     /* --net-mac:NAME=xx:xx:xx:xx:xx:xx */
    uint8_t mac[6];
    uint32_t sector_size; /* --block-sector-size:NAME=N, 0 = default 512 */
    bool used;        /* set by tender_attach when a manifest entry took it */
};

struct tender_args {
    uint64_t mem_size; /* bytes; --mem=MB, default 512 MiB (hvt), 512 (spt) */
    struct tender_dev_arg net[ATOLL_MFT_MAX_ENTRIES];
    int nnet;
    struct tender_dev_arg block[ATOLL_MFT_MAX_ENTRIES];
    int nblock;
    const char *kernel;  /* KERNEL path */
    int guest_argc;      /* words after KERNEL */
    char **guest_argv;
    bool help, version;
};

/* Parse argv; `extra` lists tender-specific flags ("--x-exec-heap"?) that
 * are accepted and left for the caller: NULL-terminated, may be NULL.
 * Returns 0, or -1 with err set (a usage error). */
int tender_parse_args(int argc, char **argv, struct tender_args *args,
                      char *err);

/* Print the usage text for program name prog ("atoll-hvt"). */
void tender_usage(const char *prog, const char *extra_help);

/* ---- image ------------------------------------------------------------- */

struct tender_segment {
    uint64_t vaddr;  /* page-aligned start in guest memory */
    uint64_t memsz;  /* page-aligned size in guest memory */
    uint64_t file_vaddr, filesz, file_offset; /* bytes to copy */
    int prot;        /* PROT_READ / PROT_WRITE / PROT_EXEC bits, never W+X */
};

struct tender_image {
    uint64_t entry;
    uint64_t kernel_end; /* page-aligned end of the highest segment */
    struct tender_segment seg[TENDER_MAX_SEGMENTS];
    int nseg;
    uint32_t abi_target, abi_version;
    struct atoll_mft *mft; /* malloc'd, validated copy of the manifest */
    size_t mft_size;
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

/* Read a whole image file (bounded size) into a malloc'd buffer. */
int tender_read_file(const char *path, uint8_t **buf, size_t *len, char *err);

/* Copy the segments into guest memory mem[0..mem_size) and zero their bss.
 * Does not change protections: the caller applies seg[].prot. */
void tender_image_load(const struct tender_image *img, const uint8_t *buf,
                       uint8_t *mem);

void tender_image_free(struct tender_image *img);

/* Validate a manifest of mft_size bytes (untrusted). */
int tender_mft_validate(const struct atoll_mft *mft, size_t mft_size,
                        char *err);

/* ---- devices ----------------------------------------------------------- */

/*
 * Attach host resources to the manifest's devices: for each net entry the
 * --net TAP (opened non-blocking, MAC from --net-mac or generated, MTU
 * 1500), for each block entry the --block file (opened O_RDWR, capacity =
 * file size rounded down to the sector size, which must divide it). Fills
 * u, b.hostfd and attached. Errors: a declared device without a resource,
 * a resource for no declared device, a TAP or file that cannot be opened.
 */
int tender_attach(struct atoll_mft *mft, struct tender_args *args, char *err);

/* Join words with single spaces into dst[size]; -1 with err if too long. */
int tender_cmdline(char *dst, size_t size, int argc, char **argv, char *err);

/* Fill the Atoll extension block that follows the command line area. */
void tender_ext_init(struct atoll_ext *ext, uint32_t features);

#endif
