/*
 * hello: greets, echoes its command line, and ends as asked:
 *   hello [WORDS...]        exit 0
 *   hello exit N [WORDS...] exit N (pass-through of the exit status)
 *   hello abort             abort() (tender exit 255)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atoll/platform.h"

int main(int argc, char **argv)
{
    printf("hello from %s\n", atoll_target_name());
    printf("argv:");
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    if (argc >= 3 && strcmp(argv[1], "exit") == 0)
        return atoi(argv[2]);
    if (argc >= 2 && strcmp(argv[1], "abort") == 0) {
        fflush(stdout);
        abort();
    }
    return 0;
}
