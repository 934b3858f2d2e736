/* Random bits for hash keys and store ids: the platform's entropy (boot
 * entropy in a guest; in host builds the program provides atoll_entropy:
 * tools/kv/entropy.c for atoll-kv, the fake platform in tests). */
#include "atoll/platform.h"
#include "random.h"

void kv_random(uint64_t out[2])
{
    atoll_entropy(out, 2 * sizeof out[0]);
}
