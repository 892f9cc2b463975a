/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual board's devicetree overlay, compiled from
 * dts/openi2s-virtual-board.dtso and linked into the board module.
 */
	.section .rodata, "a"
	.balign 8
	.global openi2s_board_dtbo
openi2s_board_dtbo:
	.incbin "openi2s-virtual-board.dtbo"
	.global openi2s_board_dtbo_end
openi2s_board_dtbo_end:
