/*
 * atoll_rt_start: from the bindings to main().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

int main(int argc, char **argv);

/* Section bounds from the targets' linker scripts. */
extern const struct atoll_param *const __start_atoll_params[];
extern const struct atoll_param *const __stop_atoll_params[];

__attribute__((weak)) const char atoll_app_name[] = "unikernel";

/* 8192 bytes of command line make at most 4096 words. */
#define CMDLINE_MAX 8192
#define ARGV_MAX (CMDLINE_MAX / 2 + 2)

static char line[CMDLINE_MAX];
static char *argv[ARGV_MAX];

const struct atoll_param *const *atoll_params_list(size_t *count)
{
    *count = (size_t)(__stop_atoll_params - __start_atoll_params);
    return __start_atoll_params;
}

/*
 * The thread pointer (%fs base) and what lies around it, laid out as
 * x86_64 TLS variant II, as the compiler and linker expect:
 *
 *  - below it, the image's TLS block: .tdata's initial bytes, then .tbss
 *    zeroed, ending round_up(memsz, align) bytes below the thread pointer,
 *    which is aligned to the TLS segment's alignment. Code built as an
 *    executable reaches _Thread_local variables at those fixed negative
 *    offsets.
 *  - at it, a thread control block: a self pointer at offset 0 and, at
 *    0x28, the stack protector canary, which code built with the
 *    compiler's default stack protector (Debian's libbearssl.a, for one)
 *    reads there as glibc keeps it.
 *
 * An application that sets its own TLS base must keep that layout.
 */
extern uintptr_t __stack_chk_guard;
static uint64_t tcb[8] __attribute__((aligned(64)));

/* From the target's linker script. __tls_memsz and __tls_align are
 * absolute symbols (their addresses are the values); weak so that an image
 * linked by a script without them still links, and is refused at boot only
 * if it has thread-local variables. */
extern const char __tdata_start[], __tdata_end[], __tbss_size[];
extern const char __tls_memsz[] __attribute__((weak));
extern const char __tls_align[] __attribute__((weak));

#define TCB_SIZE sizeof tcb

/* The value of an absolute linker symbol, 0 for a weak one left undefined.
 * The empty asm keeps the compiler from folding arithmetic into the
 * relocation: "sym - 1" does not fit R_X86_64_32 when sym is 0. */
static size_t abs_sym(const char *sym)
{
    uintptr_t v = (uintptr_t)sym;

    __asm__("" : "+r"(v));
    return (size_t)v;
}

/* The thread pointer for an image with a TLS segment of memsz bytes. */
static uint64_t *tls_block(size_t memsz)
{
    size_t filesz = (size_t)(__tdata_end - __tdata_start);
    size_t align = abs_sym(__tls_align);
    size_t block, lead, a;
    char *base;
    uint64_t *tp;

    if (align == 0 || (align & (align - 1)) != 0 || filesz > memsz ||
        memsz > SIZE_MAX / 4 || align > SIZE_MAX / 4)
        atoll_panic("bad TLS segment (size %zu, alignment %zu)", memsz,
                    align);
    block = (memsz + align - 1) & ~(align - 1);
    /* The control block's own alignment too. */
    a = align > 64 ? align : 64;
    lead = (block + a - 1) & ~(a - 1);
    base = aligned_alloc(a, lead + TCB_SIZE);
    if (base == NULL)
        atoll_panic("no memory for %zu bytes of thread-local storage",
                    memsz);
    tp = (uint64_t *)(void *)(base + lead);
    memcpy((char *)tp - block, __tdata_start, filesz);
    memset((char *)tp - block + filesz, 0, block - filesz);
    memset(tp, 0, TCB_SIZE);
    return tp;
}

static void tls_init(void)
{
    size_t memsz = abs_sym(__tls_memsz);
    uint64_t *tp = tcb;

    if (memsz == 0 && (__tdata_end - __tdata_start != 0 ||
                       abs_sym(__tbss_size) != 0))
        atoll_panic("the image has thread-local variables but its linker "
                    "script gives no TLS layout (__tls_memsz, __tls_align)");
    if (memsz != 0)
        tp = tls_block(memsz);
    tp[0] = (uint64_t)(uintptr_t)tp;
    tp[5] = (uint64_t)__stack_chk_guard;
    if (atoll_set_tls_base((uintptr_t)tp) != ATOLL_OK)
        atoll_panic("cannot set the TLS base");
}

static void print_line(const char *text, void *arg)
{
    (void)arg;
    atoll_console_write(text, strlen(text));
    atoll_console_write("\n", 1);
}

_Noreturn void atoll_rt_start(void)
{
    const char *cmdline = atoll_cmdline();
    size_t nparams = (size_t)(__stop_atoll_params - __start_atoll_params);
    char err[256];
    int argc = 0;

    /* The TLS block comes from the heap; nothing before it reads %fs. */
    rt_malloc_init();
    tls_init();
    if (strlen(cmdline) >= sizeof line) {
        print_line("boot: command line too long", NULL);
        exit(2);
    }
    strcpy(line, cmdline);
    switch (rt_params_parse(__start_atoll_params, nparams, line,
                            atoll_app_name, argv, ARGV_MAX, &argc, err,
                            sizeof err)) {
    case RT_PARSE_OK:
        break;
    case RT_PARSE_HELP:
        atoll_params_help(__start_atoll_params, nparams, print_line, NULL);
        exit(0);
    case RT_PARSE_ERROR:
        atoll_console_write("boot: ", 6);
        print_line(err, NULL);
        exit(2);
    }
    rt_malloc_configure();
    rt_log_init();
    atoll_log(ATOLL_LOG_DEBUG, "boot: %s, %d argument(s)",
              atoll_target_name(), argc - 1);
    exit(main(argc, argv));
}
