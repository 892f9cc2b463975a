// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S virtual board loader. Applies the board's devicetree overlay
 * (dts/openi2s-virtual-board.dtso, linked in by openi2s-board-dtbo.S) when
 * loaded, and removes it when unloaded.
 *
 * It is a module of its own, loaded after the simulated SoC module has
 * finished loading, because the SoC's DMA controller can only hand out
 * channels once its module is live: applied from the SoC module's own init,
 * the board's consumers would all defer their probes first.
 *
 * /sys/kernel/debug/openi2s-sim/board swaps the board at run time: writing
 * an overlay blob and closing the file replaces the board (removing it
 * unbinds everything on it); closing after writing nothing removes it.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "openi2s-sim.h"

#define OPENI2S_BOARD_MAX	(64 * 1024)

static DEFINE_MUTEX(openi2s_board_lock);
static int openi2s_board_ovcs = -1;
static struct dentry *openi2s_board_file;

struct openi2s_board_buf {
	size_t len;
	u8 data[OPENI2S_BOARD_MAX];
};

/* Replace the applied board by @dtbo, or by none when @size is 0. */
static int openi2s_board_set(const void *dtbo, u32 size)
{
	int ret = 0;

	mutex_lock(&openi2s_board_lock);
	if (openi2s_board_ovcs >= 0) {
		ret = of_overlay_remove(&openi2s_board_ovcs);
		if (ret) {
			pr_err("openi2s-board: removing the board: %d\n", ret);
			goto out;
		}
		openi2s_board_ovcs = -1;
	}
	if (size) {
		ret = of_overlay_fdt_apply(dtbo, size, &openi2s_board_ovcs,
					   NULL);
		if (ret) {
			pr_err("openi2s-board: applying the board overlay: %d\n",
			       ret);
			/* A failed apply is reverted but may leave its id. */
			if (openi2s_board_ovcs >= 0)
				of_overlay_remove(&openi2s_board_ovcs);
			openi2s_board_ovcs = -1;
		}
	}
out:
	mutex_unlock(&openi2s_board_lock);
	return ret;
}

static int board_open(struct inode *inode, struct file *file)
{
	struct openi2s_board_buf *buf;

	buf = kvzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	file->private_data = buf;
	return nonseekable_open(inode, file);
}

static ssize_t board_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	struct openi2s_board_buf *buf = file->private_data;

	if (count > OPENI2S_BOARD_MAX - buf->len)
		return -EFBIG;
	if (copy_from_user(buf->data + buf->len, ubuf, count))
		return -EFAULT;
	buf->len += count;
	return count;
}

static int board_release(struct inode *inode, struct file *file)
{
	struct openi2s_board_buf *buf = file->private_data;
	int ret;

	ret = openi2s_board_set(buf->data, buf->len);
	kvfree(buf);
	return ret;
}

static const struct file_operations board_fops = {
	.owner = THIS_MODULE,
	.open = board_open,
	.write = board_write,
	.release = board_release,
};

static bool apply_board = true;
module_param(apply_board, bool, 0444);
MODULE_PARM_DESC(apply_board,
		 "Apply the built-in virtual board overlay at load (default: yes)");

static int __init openi2s_board_init(void)
{
	int ret;

	if (apply_board) {
		ret = openi2s_board_set(openi2s_board_dtbo,
					openi2s_board_dtbo_end -
					openi2s_board_dtbo);
		if (ret)
			return ret;
	}
	openi2s_board_file = debugfs_create_file("board", 0200,
						 openi2s_sim_debugfs_root(),
						 NULL, &board_fops);
	return 0;
}
module_init(openi2s_board_init);

static void __exit openi2s_board_exit(void)
{
	/* An open board file holds a module reference: nobody writes now. */
	debugfs_remove(openi2s_board_file);
	openi2s_board_set(NULL, 0);
}
module_exit(openi2s_board_exit);

/* The board's drivers first, so its sound card never waits for them. */
MODULE_SOFTDEP("pre: snd-soc-openi2s snd-soc-generic-i2s");
MODULE_DESCRIPTION("OpenI2S virtual board: applies its devicetree overlay");
MODULE_LICENSE("GPL");
