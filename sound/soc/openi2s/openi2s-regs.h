/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenI2S controller register map, as specified in
 * Documentation/sound/openi2s.rst. Shared by the driver and the simulated SoC.
 */
#ifndef OPENI2S_REGS_H
#define OPENI2S_REGS_H

#include <linux/bits.h>

#define OPENI2S_ID			0x00
#define   OPENI2S_ID_MAGIC		GENMASK(31, 16)
#define   OPENI2S_ID_MAJOR		GENMASK(15, 8)
#define   OPENI2S_ID_MINOR		GENMASK(7, 0)
#define   OPENI2S_MAGIC			0x4f49
#define   OPENI2S_VERSION_MAJOR		1
#define   OPENI2S_VERSION_MINOR		0

#define OPENI2S_CAP			0x04
#define   OPENI2S_CAP_FIFO_DEPTH	GENMASK(7, 0)
#define   OPENI2S_CAP_MAX_SLOTS		GENMASK(12, 8)
#define   OPENI2S_CAP_SLOT16		BIT(16)
#define   OPENI2S_CAP_SLOT24		BIT(17)
#define   OPENI2S_CAP_SLOT32		BIT(18)
#define   OPENI2S_CAP_WIDTH16		BIT(24)
#define   OPENI2S_CAP_WIDTH20		BIT(25)
#define   OPENI2S_CAP_WIDTH24		BIT(26)
#define   OPENI2S_CAP_WIDTH32		BIT(27)
#define   OPENI2S_CAP_CONSUMER		BIT(28)
#define   OPENI2S_CAP_FRAC		BIT(29)
#define   OPENI2S_CAP_TX		BIT(30)
#define   OPENI2S_CAP_RX		BIT(31)

#define OPENI2S_CTRL			0x08
#define   OPENI2S_CTRL_TX_EN		BIT(0)
#define   OPENI2S_CTRL_RX_EN		BIT(1)
#define   OPENI2S_CTRL_CLK_EN		BIT(2)
#define   OPENI2S_CTRL_PROVIDER		BIT(3)
#define   OPENI2S_CTRL_MCLK_OE		BIT(4)
#define   OPENI2S_CTRL_LOOPBACK		BIT(5)
#define   OPENI2S_CTRL_CLK_SEL		BIT(16)

#define OPENI2S_FMT			0x0c
#define   OPENI2S_FMT_MODE		GENMASK(2, 0)
#define     OPENI2S_FMT_MODE_I2S	0
#define     OPENI2S_FMT_MODE_LEFT_J	1
#define     OPENI2S_FMT_MODE_RIGHT_J	2
#define     OPENI2S_FMT_MODE_DSP_A	3
#define     OPENI2S_FMT_MODE_DSP_B	4
#define   OPENI2S_FMT_BCLK_INV		BIT(4)
#define   OPENI2S_FMT_FS_INV		BIT(5)
#define   OPENI2S_FMT_SLOT_WIDTH	GENMASK(13, 8)
#define   OPENI2S_FMT_SLOTS		GENMASK(19, 16)
#define   OPENI2S_MAX_SLOTS		16

#define OPENI2S_MCLKDIV			0x10
#define   OPENI2S_MCLKDIV_MDIV		GENMASK(7, 0)

#define OPENI2S_BCLKDIV			0x14
#define   OPENI2S_BCLKDIV_BDIV		GENMASK(11, 0)

#define OPENI2S_BCLKFRAC		0x18
#define   OPENI2S_BCLKFRAC_NUM		GENMASK(15, 0)
#define   OPENI2S_BCLKFRAC_DEN		GENMASK(31, 16)

#define OPENI2S_FLUSH			0x1c
#define   OPENI2S_FLUSH_TX		BIT(0)
#define   OPENI2S_FLUSH_RX		BIT(1)

/* Per-direction blocks: RX registers are the TX ones plus 0x10. */
#define OPENI2S_TX_CFG			0x20
#define OPENI2S_TX_SLOTS		0x24
#define OPENI2S_TX_LEVEL		0x28
#define OPENI2S_TX_DATA			0x2c
#define OPENI2S_RX_CFG			0x30
#define OPENI2S_RX_SLOTS		0x34
#define OPENI2S_RX_LEVEL		0x38
#define OPENI2S_RX_DATA			0x3c
#define   OPENI2S_CFG_WIDTH		GENMASK(5, 0)
#define   OPENI2S_CFG_DMA_EN		BIT(8)
#define   OPENI2S_CFG_WATERMARK		GENMASK(23, 16)
#define   OPENI2S_SLOTS_MASK		GENMASK(15, 0)
#define   OPENI2S_LEVEL_MASK		GENMASK(8, 0)

#define OPENI2S_IRQ_EN			0x40
#define OPENI2S_IRQ_STAT		0x44
#define   OPENI2S_IRQ_TXU		BIT(0)
#define   OPENI2S_IRQ_RXO		BIT(1)
#define   OPENI2S_IRQ_FSERR		BIT(2)
#define   OPENI2S_IRQ_TXREQ		BIT(3)
#define   OPENI2S_IRQ_RXREQ		BIT(4)
#define   OPENI2S_IRQ_W1C		(OPENI2S_IRQ_TXU | OPENI2S_IRQ_RXO | \
					 OPENI2S_IRQ_FSERR)

#define OPENI2S_TXU_COUNT		0x48
#define OPENI2S_RXO_COUNT		0x4c
#define OPENI2S_FSERR_COUNT		0x50
#define OPENI2S_FRAME_COUNT		0x54

#define OPENI2S_REG_MAX			OPENI2S_FRAME_COUNT
#define OPENI2S_REG_SIZE		0x100

/* DMA request lines, the cell of a "dmas" specifier. */
#define OPENI2S_DRQ_TX			0
#define OPENI2S_DRQ_RX			1

#endif /* OPENI2S_REGS_H */
