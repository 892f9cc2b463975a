/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic codec KUnit suite's devicetree nodes, compiled from
 * generic-i2s-test.dtso and linked into the suite's module.
 */
	.section .rodata, "a"
	.balign 8
	.global generic_i2s_test_dtbo
generic_i2s_test_dtbo:
	.incbin "generic-i2s-test.dtbo"
	.global generic_i2s_test_dtbo_end
generic_i2s_test_dtbo_end:
