#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpn.h"

static int cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return (x > y) - (x < y);
}

int op_apply(struct stack *s, const char *w, char *err, size_t errsize)
{
    long long a, b, r;

    if (strcmp(w, "sort") == 0) {
        qsort(s->v, s->n, sizeof *s->v, cmp);
        return 0;
    }
    if (strcmp(w, "sum") == 0) {
        for (r = 0; stack_pop(s, &a) == 0;)
            r += a;
        return stack_push(s, r);
    }
    if (strlen(w) != 1 || strchr("+-x/%", w[0]) == NULL)
        return 1;
    if (stack_pop(s, &b) != 0 || stack_pop(s, &a) != 0) {
        snprintf(err, errsize, "'%s' needs two numbers", w);
        return -1;
    }
    switch (w[0]) {
    case '+': r = a + b; break;
    case '-': r = a - b; break;
    case 'x': r = a * b; break;
    default:
        if (b == 0) {
            snprintf(err, errsize, "'%s' by zero", w);
            return -1;
        }
        r = w[0] == '/' ? a / b : a % b;
    }
    return stack_push(s, r);
}
