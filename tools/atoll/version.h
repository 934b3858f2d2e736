/* The version of the atoll tools. */
#ifndef ATOLL_TOOL_VERSION_H
#define ATOLL_TOOL_VERSION_H

#define ATOLL_VERSION "0.1.0"

#endif
