/* The one errno (one vCPU, no threads). */
#include <errno.h>

int errno;

int *__errno_location(void)
{
    return &errno;
}
