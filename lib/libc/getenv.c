/* A unikernel has no environment: settings are boot parameters (lib/rt). */
#include <stdlib.h>

char *getenv(const char *name)
{
    (void)name;
    return NULL;
}
