#include <stdlib.h>

#include "rpn.h"

int stack_push(struct stack *s, long long x)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        long long *v = realloc(s->v, cap * sizeof *v);

        if (v == NULL)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return 0;
}

int stack_pop(struct stack *s, long long *x)
{
    if (s->n == 0)
        return -1;
    *x = s->v[--s->n];
    return 0;
}

void stack_free(struct stack *s)
{
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}
