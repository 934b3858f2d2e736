/*
 * Timers in a pairing heap: arming is O(1), firing and cancelling are
 * O(log n) amortised, and the nodes live inside the callers' structures,
 * so thousands of connections with a timer each need no allocation.
 *
 * Links: child is the first child; sibling the next child of the same
 * parent; prev the previous sibling, or the parent for a first child
 * (NULL for the root).
 */
#include <string.h>

#include "rt_internal.h"

static struct atoll_timer *root;
static uint64_t next_seq;

static bool before(const struct atoll_timer *a, const struct atoll_timer *b)
{
    if (a->deadline != b->deadline)
        return a->deadline < b->deadline;
    return a->seq < b->seq;
}

/* Join two detached heaps (their roots have no prev and no sibling). */
static struct atoll_timer *meld(struct atoll_timer *a, struct atoll_timer *b)
{
    struct atoll_timer *t;

    if (a == NULL)
        return b;
    if (b == NULL)
        return a;
    if (before(b, a)) {
        t = a;
        a = b;
        b = t;
    }
    b->sibling = a->child;
    if (a->child != NULL)
        a->child->prev = b;
    b->prev = a;
    a->child = b;
    return a;
}

/* The standard two-pass merge of a list of siblings into one heap. */
static struct atoll_timer *merge_pairs(struct atoll_timer *first)
{
    struct atoll_timer *pairs = NULL; /* melded pairs, latest first */
    struct atoll_timer *result = NULL;

    while (first != NULL) {
        struct atoll_timer *a = first;
        struct atoll_timer *b = a->sibling;
        struct atoll_timer *p;

        first = b != NULL ? b->sibling : NULL;
        a->sibling = a->prev = NULL;
        if (b != NULL)
            b->sibling = b->prev = NULL;
        p = meld(a, b);
        p->sibling = pairs;
        pairs = p;
    }
    while (pairs != NULL) {
        struct atoll_timer *next = pairs->sibling;

        pairs->sibling = NULL;
        result = meld(result, pairs);
        pairs = next;
    }
    return result;
}

static void detach(struct atoll_timer *t)
{
    struct atoll_timer *sub;

    if (t == root) {
        root = merge_pairs(t->child);
    } else {
        if (t->prev->child == t)
            t->prev->child = t->sibling;
        else
            t->prev->sibling = t->sibling;
        if (t->sibling != NULL)
            t->sibling->prev = t->prev;
        t->sibling = t->prev = NULL;
        sub = merge_pairs(t->child);
        root = meld(root, sub);
    }
    t->child = NULL;
    t->armed = false;
}

void atoll_timer_init(struct atoll_timer *t)
{
    memset(t, 0, sizeof *t);
}

void atoll_timer_arm(struct atoll_timer *t, atoll_time_t deadline,
                     atoll_timer_fn fn, void *arg)
{
    if (t->armed)
        detach(t);
    t->deadline = deadline;
    t->seq = next_seq++;
    t->fn = fn;
    t->arg = arg;
    t->child = t->sibling = t->prev = NULL;
    t->armed = true;
    root = meld(root, t);
}

void atoll_timer_cancel(struct atoll_timer *t)
{
    if (t->armed)
        detach(t);
}

bool atoll_timer_armed(const struct atoll_timer *t)
{
    return t->armed;
}

bool rt_timers_next(atoll_time_t *deadline)
{
    if (root == NULL)
        return false;
    *deadline = root->deadline;
    return true;
}

void rt_timers_run(atoll_time_t now)
{
    /* Timers armed by the callbacks wait for the next round, so a timer
     * that keeps re-arming itself in the past cannot starve the I/O. */
    uint64_t limit = next_seq;

    while (root != NULL && root->deadline <= now && root->seq < limit) {
        struct atoll_timer *t = root;

        detach(t);
        t->fn(t, t->arg);
    }
}
