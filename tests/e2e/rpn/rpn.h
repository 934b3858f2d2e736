/* rpn: a reverse-Polish calculator over 64-bit integers. */
#ifndef RPN_H
#define RPN_H

#include <stddef.h>

struct stack {
    long long *v;
    size_t n, cap;
};

int stack_push(struct stack *s, long long x);
int stack_pop(struct stack *s, long long *x);
void stack_free(struct stack *s);

/* Apply the operator word to s. Returns 0, 1 if word is not an
 * operator, or -1 with a message in err. */
int op_apply(struct stack *s, const char *word, char *err, size_t errsize);

#endif
