/* Who holds a flock lock on a file (tenders and atoll-kv). */
#ifndef TENDER_LOCK_HOLDER_H
#define TENDER_LOCK_HOLDER_H

#include <stddef.h>
#include <sys/stat.h>

/* " by pid N (COMMAND)" for the process /proc/locks names as the taker of
 * a flock lock on st's file (the lock belongs to the open file, so that
 * process may have passed it on); "" if none is listed. */
void tender_lock_holder(const struct stat *st, char *out, size_t n);

#endif
