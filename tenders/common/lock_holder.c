/*
 * Who holds a flock lock on a file: shared by the tenders (tenders/common/
 * attach.c), which lock every block image they attach, and atoll-kv, which
 * refuses an image in use; both name the holder in their message.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "lock_holder.h"

/*
 * Who holds the lock on the file of st: "pid N (COMMAND)" from /proc/locks,
 * which records the pid that took a flock lock (the lock itself belongs to
 * the open file, so that process may have passed it on); "" if not listed.
 */
void tender_lock_holder(const struct stat *st, char *out, size_t n)
{
    FILE *f = fopen("/proc/locks", "re");
    char line[256], comm[32] = "";
    long pid = 0;

    out[0] = '\0';
    if (f == NULL)
        return;
    while (pid == 0 && fgets(line, sizeof line, f) != NULL) {
        unsigned maj, min;
        unsigned long long ino;
        char kind[16];
        long p;

        if (strstr(line, "->") == NULL && /* not a waiter */
            sscanf(line, "%*d: %15s %*s %*s %ld %x:%x:%llu", kind, &p, &maj,
                   &min, &ino) == 5 &&
            strcmp(kind, "FLOCK") == 0 && ino == st->st_ino &&
            makedev(maj, min) == st->st_dev)
            pid = p;
    }
    fclose(f);
    if (pid <= 0)
        return;
    snprintf(line, sizeof line, "/proc/%ld/comm", pid);
    if ((f = fopen(line, "re")) != NULL) {
        if (fgets(comm, sizeof comm, f) != NULL)
            comm[strcspn(comm, "\n")] = '\0';
        fclose(f);
    }
    snprintf(out, n, comm[0] ? " by pid %ld (%s)" : " by pid %ld", pid, comm);
}
