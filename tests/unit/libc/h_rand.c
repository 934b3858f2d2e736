/* Built with the host's headers: rand, random, rand_r against glibc's
 * sequences for the same seeds. */
#include <stdlib.h>

#include "../../lib/check.h"

void h_rand_compare(void);

int alc_rand(void);
void alc_srand(unsigned seed);
long alc_random(void);
void alc_srandom(unsigned seed);
int alc_rand_r(unsigned *seed);

void h_rand_compare(void)
{
    static const unsigned seeds[] = {0, 1, 2, 42, 127773, 0x7fffffff,
                                     0x80000000u, 0xffffffffu, 2147483647,
                                     16807};
    int fails = 0;

    t_case("rand/unseeded like glibc (seed 1)");
    /* Neither side seeded yet: glibc starts as if srand(1). */
    for (int i = 0; i < 1000; i++)
        if (!t_ok(alc_rand() == rand(), "output %d", i))
            break;

    t_case("rand/srand and srandom sequences vs glibc");
    for (unsigned k = 0; k < 10 + 200 && fails < 5; k++) {
        unsigned seed = k < 10 ? seeds[k] : (unsigned)t_rand();
        alc_srand(seed);
        srand(seed);
        for (int i = 0; i < 500; i++)
            if (!t_ok(alc_rand() == rand(), "seed %u output %d", seed, i)) {
                fails++;
                break;
            }
        alc_srandom(seed);
        srandom(seed);
        for (int i = 0; i < 100; i++)
            if (!t_ok(alc_random() == random(), "srandom %u output %d",
                      seed, i)) {
                fails++;
                break;
            }
    }

    t_case("rand/rand_r vs glibc");
    for (int k = 0; k < 1000; k++) {
        unsigned a = (unsigned)t_rand(), b = a;
        if (k < 10)
            a = b = seeds[k];
        for (int i = 0; i < 20; i++) {
            int x = alc_rand_r(&a), y = rand_r(&b);
            if (!t_ok(x == y && a == b, "rand_r seed step %d", i))
                return;
        }
    }
}
