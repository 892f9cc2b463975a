/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width types and error codes for the OpenI2S pure logic (clock planner, bit framer),
 * which builds both into the kernel modules and into host unit tests.
 */
#ifndef OPENI2S_PURE_H
#define OPENI2S_PURE_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#endif /* OPENI2S_PURE_H */
