/*
 * atoll-hvt: run an hvt unikernel image on Linux KVM.
 *
 *   atoll-hvt [--mem=MB] [--net:NAME=TAP] [--block:NAME=FILE] ... KERNEL ARGS
 *
 * The image is read and validated before /dev/kvm is opened, so a malformed
 * image is refused on any host. The tender exits with the guest's exit
 * status; when the guest faulted or misbehaved it reports that on stderr
 * and dies of the signal atoll-spt would die of (run.c); it exits with a
 * status below 128 when it refused to start the guest.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvt.h"

#define PROG "atoll-hvt"

/*
 * Virtio-net headers and offloads on the TAPs when the image asks
 * (include/atoll/abi/ext.h), unless ATOLL_HVT_NET_OFFLOAD=0: then the
 * guest gets plain frames, as from a tender without the extension.
 */
static bool vnet_wanted(const struct tender_image *img)
{
    const char *v = getenv("ATOLL_HVT_NET_OFFLOAD");

    if ((img->ext_request & ATOLL_EXT_F_NET_VNET) == 0)
        return false;
    return v == NULL || strcmp(v, "0") != 0;
}

static _Noreturn void refuse(int status, const char *file, const char *err)
{
    if (file != NULL)
        fprintf(stderr, PROG ": %s: %s\n", file, err);
    else
        fprintf(stderr, PROG ": %s\n", err);
    exit(status);
}

int main(int argc, char **argv)
{
    static struct tender_args args;
    static struct tender_image img;
    static struct hvt hvt;
    char err[TENDER_ERR_SIZE];

    if (tender_parse_args(argc, argv, &args, err) != 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return ATOLL_EXIT_TENDER_USAGE;
    }
    if (args.help) {
        tender_usage(PROG, "guest memory is rounded up to a multiple of "
                           "2 MiB, at most 4096 MiB\n");
        return 0;
    }
    if (args.version) {
        printf(PROG ": Atoll hvt tender (Linux KVM), hvt ABI version %u, "
               "manifest version %u\n", ATOLL_HVT_ABI_VERSION,
               ATOLL_MFT_VERSION);
        return 0;
    }
    if (args.kernel == NULL)
        refuse(ATOLL_EXIT_TENDER_USAGE, NULL, "missing KERNEL operand");

    uint64_t mem = (args.mem_size + HVT_LARGE_PAGE - 1) & ~(HVT_LARGE_PAGE - 1);
    if (args.mem_size == 0 || mem > HVT_MEM_MAX)
        refuse(ATOLL_EXIT_TENDER_USAGE, NULL,
               "--mem must be from 2 to 4096 (MiB) on hvt");
    hvt.mem_size = mem;
    hvt.ext_features = ATOLL_EXT_F_BLOCK_FLUSH | ATOLL_EXT_F_TRAP_REPORT;

    uint8_t *file;
    size_t file_len;
    if (tender_read_file(args.kernel, &file, &file_len, err) != 0 ||
        tender_image_parse(file, file_len, ATOLL_ABI_TARGET_HVT,
                           ATOLL_HVT_ABI_VERSION, ATOLL_HVT_GUEST_MIN_BASE,
                           hvt.mem_size, &img, err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, args.kernel, err);
    args.vnet_want = vnet_wanted(&img);
    if (tender_attach(img.mft, &args, err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL, err);
    hvt.mft = img.mft;
    if (args.vnet_want) {
        hvt.ext_features |= ATOLL_EXT_F_NET_VNET;
        hvt.net_vnet = args.vnet_got;
    }

    if (hvt_kvm_open(&hvt, err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL, err);
    if (hvt_netring_setup(&hvt, err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL, err);
    /* Guest memory is a fresh mapping: nothing above 1 MiB written yet. */
    tender_image_load(&img, file, (uintptr_t)hvt.mem);
    /* Function names for fault reports; a malformed symbol table only
     * leaves them out (the image itself was accepted). */
    (void)tender_symtab_load(file, file_len, &img, &hvt.syms, err);
    (void)tender_lines_load(file, file_len, &img, &hvt.lines);
    free(file);
    hvt_gdt_build(hvt.mem);
    if (hvt_paging_build(hvt.mem, hvt.mem_size, &img, err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, args.kernel, err);
    if (hvt_kvm_vcpu_init(&hvt, img.entry, err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL, err);
    if (hvt_bootinfo_build(&hvt, &img, args.guest_argc, args.guest_argv,
                           err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL, err);
    hvt_poll_init(&hvt);

    /* A console on a closed pipe, a block write past ulimit -f: let the
     * system call fail (the guest sees an I/O error) instead of dying. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    hvt_fault_init();
    fflush(stdout);
    if (hvt_netring_start(&hvt, err) != 0 || hvt_sandbox(&hvt, err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL, err);
    return hvt_run(&hvt);
}
