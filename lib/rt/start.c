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
 * Code built with the compiler's default stack protector (Debian's
 * libbearssl.a, for one) reads its canary at %fs:0x28, where glibc keeps
 * it in the thread control block. Give it such a block: a self pointer at
 * offset 0 and the canary at 0x28. An application that sets its own TLS
 * base must keep that layout.
 */
extern uintptr_t __stack_chk_guard;
static uint64_t tcb[8] __attribute__((aligned(64)));

static void tls_init(void)
{
    tcb[0] = (uint64_t)(uintptr_t)tcb;
    tcb[5] = (uint64_t)__stack_chk_guard;
    if (atoll_set_tls_base((uintptr_t)tcb) != ATOLL_OK)
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

    tls_init();
    rt_malloc_init();
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
        rt_params_help(__start_atoll_params, nparams, print_line, NULL);
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
