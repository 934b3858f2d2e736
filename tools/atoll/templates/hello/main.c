/*
 * @NAME@: a unikernel that prints a greeting and exits.
 *
 * A unikernel is one program linked with Atoll's runtime and libc into an
 * image the tender (atoll-spt or atoll-hvt) boots; main() is called with
 * the words after a second `--` on the command line, and returning from
 * it ends the unikernel with that status:
 *
 *   atoll run -- --greeting=Hi -- these are argv words
 */
#include <stdio.h>

#include "atoll/rt.h"

/* The name the runtime uses in its messages. */
const char atoll_app_name[] = "@NAME@";

/*
 * A boot parameter: --greeting=TEXT on the command line sets greeting
 * before main() runs. `atoll describe` and `atoll run -- --help` list
 * every parameter with its help text and default.
 */
static const char *greeting = "Hello, world";
static const struct atoll_param greeting_param = {
    .name = "greeting",
    .type = ATOLL_PARAM_STRING,
    .help = "what to print",
    .metavar = "TEXT",
    .u.s = {&greeting, NULL},
};
ATOLL_PARAM(greeting_param);

int main(int argc, char **argv)
{
    printf("%s from @NAME@ (%s target)\n", greeting, atoll_target_name());
    for (int i = 1; i < argc; i++)
        printf("argument %d: %s\n", i, argv[i]);
    return 0;
}
