/*
 * hello: the smallest useful unikernel. It prints a greeting (the
 * --greeting boot parameter, --repeat times), its command line, and the
 * value of every boot parameter it was built with.
 *
 *   atoll-spt build/examples/hello.spt --greeting=Bonjour -- one two
 */
#include <stdio.h>

#include "atoll/rt.h"

ATOLL_PARAM_STRING(greeting, "greeting", "Hello from Atoll", "TEXT",
                   "what to say");
ATOLL_PARAM_INT(repeat, "repeat", 1, 0, 100, "how many times to say it");

const char atoll_app_name[] = "hello";

int main(int argc, char **argv)
{
    const struct atoll_param *const *params;
    size_t nparams;

    for (int64_t i = 0; i < repeat; i++)
        printf("%s (%s target)\n", greeting, atoll_target_name());
    printf("command line: \"%s\"\n", atoll_cmdline());
    printf("arguments:");
    for (int i = 0; i < argc; i++)
        printf(" [%d]=%s", i, argv[i]);
    printf("\n");
    params = atoll_params_list(&nparams);
    printf("boot parameters:\n");
    for (size_t i = 0; i < nparams; i++) {
        char value[128];

        atoll_param_format(params[i], value, sizeof value);
        printf("  --%s=%s\n", params[i]->name, value);
    }
    return 0;
}
