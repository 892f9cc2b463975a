/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic I2S codec: what other modules may ask of it, the description of
 * the part a devicetree node stands for (the simulated SoC builds its part
 * models from the same nodes the card links).
 */
#ifndef GENERIC_I2S_H
#define GENERIC_I2S_H

#include "generic-i2s-part.h"

struct device;
struct device_node;

/* The KUnit suite's devicetree nodes (generic-i2s-test-dtbo.S). */
extern u8 generic_i2s_test_dtbo[];
extern u8 generic_i2s_test_dtbo_end[];

int generic_i2s_parse_node(struct device *dev, struct device_node *np,
			   struct generic_i2s_part *part,
			   enum generic_i2s_prop *bad);

#endif /* GENERIC_I2S_H */
