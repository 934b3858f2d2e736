/*
 * atoll-spt: run an spt unikernel image as a seccomp-sandboxed process.
 *
 *   atoll-spt [--mem=MB] [--net:NAME=TAP] [--block:NAME=FILE] ... KERNEL ARGS
 *
 * The image is read and validated before anything else is set up. The
 * tender exits with the guest's own exit status; when the guest faulted or
 * made a system call the sandbox forbids it reports that on stderr and
 * dies of the signal (fault.c), as solo5-spt does; it exits with
 * ATOLL_EXIT_TENDER_ERROR / ATOLL_EXIT_TENDER_USAGE when it refused to start
 * the guest.
 */
#include <asm/prctl.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "spt.h"
#include "../common/dwarf_line.h"
#include "../common/symbol.h"

static _Noreturn void refuse(int status, const char *file, const char *err)
{
    if (file != NULL)
        fprintf(stderr, SPT_PROG ": %s: %s\n", file, err);
    else
        fprintf(stderr, SPT_PROG ": %s\n", err);
    exit(status);
}

/* With READ_IMPLIES_EXEC every readable mapping is executable: no W^X. */
static void check_personality(void)
{
    int p = personality(0xffffffff);

    if (p == -1)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL,
               "cannot read the process personality");
    if (p & READ_IMPLIES_EXEC)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL,
               "refusing to run with the READ_IMPLIES_EXEC personality "
               "(readable memory would be executable)");
}

/* Descriptors 0-2 are the console. If one is closed, fill it with
 * /dev/null so that no device or epoll descriptor lands there. */
static void console_fds(void)
{
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) == -1 && open("/dev/null", O_RDWR) != fd)
            exit(ATOLL_EXIT_TENDER_ERROR);
}

/*
 * What the guest must not find in this process's memory, which it shares:
 * the environment strings (they may hold secrets; the tender reads none
 * after this) and the 16 random bytes the kernel gave glibc for its stack
 * protector and pointer guard, both on the tender's stack. argv stays:
 * ps and /proc/PID/cmdline show it to every local user anyway. And the
 * %gs base, which glibc does not use (%fs is cleared in spt_launch, the
 * tender's code needs it until then).
 */
static void hide_tender(void)
{
    extern char **environ;
    void *r = (void *)getauxval(AT_RANDOM);

    for (char **e = environ; e != NULL && *e != NULL; e++)
        explicit_bzero(*e, strlen(*e));
    if (r != NULL)
        explicit_bzero(r, 16);
    if (syscall(SYS_arch_prctl, ARCH_SET_GS, 0ul) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL, "cannot clear the %gs base");
}

/*
 * Virtio-net headers and offloads on the TAPs when the image asks
 * (include/atoll/abi/ext.h), unless ATOLL_SPT_NET_OFFLOAD=0: then the
 * guest gets plain frames, as on a tender without the extension.
 */
static bool spt_vnet_wanted(const struct tender_image *img)
{
    const char *v = getenv("ATOLL_SPT_NET_OFFLOAD");

    if ((img->ext_request & ATOLL_EXT_F_NET_VNET) == 0)
        return false;
    return v == NULL || strcmp(v, "0") != 0;
}

/* Grant them in the extension block spt_boot_info wrote after the
 * command line area (include/atoll/abi/ext.h). */
static void spt_ext_vnet(const struct spt *spt)
{
    const struct atoll_spt_boot_info *bi =
        (const void *)(uintptr_t)ATOLL_SPT_BOOT_INFO_BASE;
    struct atoll_ext *ext =
        (void *)(uintptr_t)(bi->cmdline + ATOLL_SPT_CMDLINE_SIZE);

    if (!spt->vnet)
        return;
    ext->features |= ATOLL_EXT_F_NET_VNET;
    ext->net_vnet = spt->net_vnet;
}

int main(int argc, char **argv)
{
    static struct tender_args args;
    static struct tender_image img;
    static struct spt spt = {.epollfd = -1, .timerfd = -1};
    static struct tender_symtab syms;
    static struct tender_linetab lines;
    char err[TENDER_ERR_SIZE];
    uint8_t *file;
    size_t file_len;

    console_fds();
    if (tender_parse_args(argc, argv, &args, err) != 0)
        refuse(ATOLL_EXIT_TENDER_USAGE, NULL, err);
    if (args.help) {
        tender_usage(SPT_PROG, NULL);
        return 0;
    }
    if (args.version) {
        printf(SPT_PROG ": Atoll spt tender (seccomp-sandboxed process), spt "
               "ABI version %u, manifest version %u\n",
               ATOLL_SPT_ABI_VERSION, ATOLL_MFT_VERSION);
        return 0;
    }
    if (args.kernel == NULL)
        refuse(ATOLL_EXIT_TENDER_USAGE, NULL, "missing KERNEL operand");
    spt.mem_size = args.mem_size;

    if (tender_read_file(args.kernel, &file, &file_len, err) != 0 ||
        tender_image_parse(file, file_len, ATOLL_ABI_TARGET_SPT,
                           ATOLL_SPT_ABI_VERSION, ATOLL_SPT_GUEST_MIN_BASE,
                           spt.mem_size, &img, err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, args.kernel, err);
    spt.mft = img.mft;

    check_personality();
    if (spt_mem_init(&spt, err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL, err);
    if (spt_mem_load(&spt, &img, file, err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, args.kernel, err);
    /* Function names for fault reports; a malformed symbol table only
     * leaves them out (the image itself was accepted). */
    if (tender_symtab_load(file, file_len, &img, &syms, err) == 0)
        spt_fault_symbols(&syms);
    /* Source lines likewise: without line information, none. */
    if (tender_lines_load(file, file_len, &img, &lines) > 0)
        spt_fault_lines(&lines);
    free(file);
    spt.vnet = spt_vnet_wanted(&img);
    args.vnet_want = spt.vnet;
    if (tender_attach(spt.mft, &args, err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL, err);
    spt.net_vnet = args.vnet_got;
    if (spt_poll_init(&spt, err) != 0 ||
        spt_boot_info(&spt, &img, args.guest_argc, args.guest_argv, err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL, err);
    spt_ext_vnet(&spt);
    if (spt_mem_seal_low(err) != 0 || spt_sandbox_build(&spt, err) != 0 ||
        spt_close_fds(&spt, err) != 0 || spt_fault_init(err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL, err);

    fflush(stdout);
    hide_tender();
    if (spt_sandbox_enter(err) != 0)
        refuse(ATOLL_EXIT_TENDER_ERROR, NULL, err);
    /* x86_64: the entry sees the stack as if it had been called. */
    spt_launch(spt.mem_size - 8, img.entry, ATOLL_SPT_BOOT_INFO_BASE);
}
