/*
 * rpn WORD...: push the numbers, apply the operators (+ - x / % sum sort),
 * print the stack bottom to top. Exit status 0, or 1 on an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "rpn.h"

int main(int argc, char **argv)
{
    struct stack s = {0};
    char err[128];

    for (int i = 1; i < argc; i++) {
        char *end;
        long long x;
        int rc = op_apply(&s, argv[i], err, sizeof err);

        if (rc < 0) {
            fprintf(stderr, "rpn: %s\n", err);
            return 1;
        }
        if (rc == 0)
            continue;
        errno = 0;
        x = strtoll(argv[i], &end, 0);
        if (errno != 0 || *end != '\0' || end == argv[i]) {
            fprintf(stderr, "rpn: '%s' is neither a number nor an "
                    "operator\n", argv[i]);
            return 1;
        }
        if (stack_push(&s, x) != 0) {
            fprintf(stderr, "rpn: out of memory\n");
            return 1;
        }
    }
    for (size_t i = 0; i < s.n; i++)
        printf("%s%lld", i ? " " : "", s.v[i]);
    printf("\n");
    stack_free(&s);
    return 0;
}
