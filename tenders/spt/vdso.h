/*
 * vdso.c: symbols of the kernel's vDSO, for ATOLL_EXT_F_SPT_VDSO_CLOCK.
 */
#ifndef ATOLL_SPT_VDSO_H
#define ATOLL_SPT_VDSO_H

#include <stdint.h>

/* The address of the function NAME in the vDSO image mapped at vdso (its
 * ELF header), or 0 if there is none or the image does not hold up. */
uint64_t spt_vdso_symbol(const void *vdso, const char *name);

/* This process's __vdso_clock_gettime, or 0 (also with ATOLL_SPT_VDSO=0
 * in the environment). */
uint64_t spt_vdso_clock_gettime(void);

#endif
