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
 * A boot parameter: this line defines the variable greeting ("Hello,
 * world" unless --greeting=TEXT is on the command line, which sets it
 * before main() runs). `atoll describe` and `atoll run -- --help` list
 * every parameter with its help text and default; atoll/param.h has the
 * other kinds (ATOLL_PARAM_INT, ATOLL_PARAM_BOOL, checked strings).
 */
ATOLL_PARAM_STRING(greeting, "greeting", "Hello, world", "TEXT",
                   "what to print");

int main(int argc, char **argv)
{
    printf("%s from @NAME@ (%s target)\n", greeting, atoll_target_name());
    for (int i = 1; i < argc; i++)
        printf("argument %d: %s\n", i, argv[i]);
    return 0;
}
