/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel types, error codes and symbol exports for the OpenI2S pure logic
 * (clock planner, bit framer, part models), which builds both into the kernel modules and
 * into host unit tests; tests/host/openi2s-host.h stands in for the kernel
 * headers there.
 */
#ifndef OPENI2S_PURE_H
#define OPENI2S_PURE_H

#ifdef __KERNEL__
#include <linux/array_size.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/math64.h>
#include <linux/types.h>
#else
#include "openi2s-host.h"
#endif

#endif /* OPENI2S_PURE_H */
