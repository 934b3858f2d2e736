/* Shared by every block device adapter. */
#include "atoll/blockdev.h"

