/* strdup, strndup: copies on the runtime's heap. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

char *strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = malloc(len + 1);

    if (p == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *strdup(const char *s)
{
    return strndup(s, (size_t)-1);
}
