// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S simulated SoC: the wire trace, a logic analyser on the bus.
 *
 * Writing N (1 to OPENI2S_SIM_TRACE_FRAMES; 0 disarms) to debugfs
 * "wire_trace" arms it; the next N frames the model puts on the wire are
 * kept bit for bit (and, on a board with parts on its wire, the receive
 * data line they drove), with the framing registers as they were. Reading
 * gives them as text for tools/wire-trace, which draws the timing diagram.
 */
#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/lockdep.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../openi2s-regs.h"
#include "openi2s-sim.h"

/**
 * openi2s_sim_trace_frame() - keep a frame for the armed trace
 * @c: the controller, lock held
 * @wire: the frame as it is on the wire
 * @rx: the receive data line the parts drove, or NULL on a loopback wire
 *
 * Called per frame only while the trace still wants frames (the caller
 * checks, so an idle trace costs the frame loop nothing).
 */
void openi2s_sim_trace_frame(struct openi2s_sim_ctrl *c,
			     const struct openi2s_wire *wire,
			     const struct openi2s_wire *rx)
{
	struct openi2s_sim_trace *t = &c->trace;

	lockdep_assert_held(&c->lock);
	if (!t->len) {
		/* The framing the frames were made with. */
		t->fmt = c->fmt;
		t->cfg[0] = c->cfg[0];
		t->cfg[1] = c->cfg[1];
		t->slots[0] = c->slots[0];
		t->slots[1] = c->slots[1];
		t->ctrl = c->ctrl;
		t->frame_rate = openi2s_sim_ctrl_frame_rate(c);
		t->has_sdi = rx;
	}
	if (rx)
		memcpy(t->sdi[t->len], rx->sd, sizeof(t->sdi[0]));
	t->frames[t->len++] = *wire;
}

static void print_line(struct seq_file *s, const char *name, const u32 *line,
		       unsigned int bits)
{
	unsigned int i;

	seq_printf(s, "%s ", name);
	for (i = 0; i < bits; i++)
		seq_putc(s, '0' + openi2s_wire_bit(line, i));
	seq_putc(s, '\n');
}

static int trace_show(struct seq_file *s, void *unused)
{
	struct openi2s_sim_ctrl *c = s->private;
	struct openi2s_sim_trace *t;
	unsigned long flags;
	unsigned int i;

	/* A copy: printing under the model's spinlock would stall frames. */
	t = kmalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	spin_lock_irqsave(&c->lock, flags);
	*t = c->trace;
	spin_unlock_irqrestore(&c->lock, flags);

	if (!t->want) {
		seq_puts(s, "idle: write a frame count (1-16) to arm\n");
	} else if (t->len < t->want) {
		seq_printf(s, "armed: %u of %u frames\n", t->len, t->want);
	} else {
		seq_printf(s, "openi2s-wire-trace 1\nctrl 0x%08x\nfmt 0x%08x\n",
			   t->ctrl, t->fmt);
		seq_printf(s, "tx_cfg 0x%08x\nrx_cfg 0x%08x\n", t->cfg[0],
			   t->cfg[1]);
		seq_printf(s, "tx_slots 0x%04x\nrx_slots 0x%04x\n", t->slots[0],
			   t->slots[1]);
		seq_printf(s, "frame_rate %llu\nframes %u\n", t->frame_rate,
			   t->len);
		openi2s_sim_parts_show(c->sim, s);
		for (i = 0; i < t->len; i++) {
			seq_printf(s, "frame %u bits %u\n", i, t->frames[i].bits);
			print_line(s, "fs", t->frames[i].fs, t->frames[i].bits);
			print_line(s, "sd", t->frames[i].sd, t->frames[i].bits);
			if (t->has_sdi)
				print_line(s, "sdi", t->sdi[i],
					   t->frames[i].bits);
		}
	}
	kfree(t);
	return 0;
}

static int trace_open(struct inode *inode, struct file *file)
{
	/* Sized for 16 frames of 512 bits, so it is built once. */
	return single_open_size(file, trace_show, inode->i_private, SZ_32K);
}

static ssize_t trace_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct openi2s_sim_ctrl *c = file_inode(file)->i_private;
	unsigned long flags;
	unsigned int n;
	int ret;

	ret = kstrtouint_from_user(ubuf, len, 0, &n);
	if (ret)
		return ret;
	if (n > OPENI2S_SIM_TRACE_FRAMES)
		return -EINVAL;
	spin_lock_irqsave(&c->lock, flags);
	c->trace.len = 0;
	c->trace.want = n;
	spin_unlock_irqrestore(&c->lock, flags);
	return len;
}

static const struct file_operations trace_fops = {
	.owner = THIS_MODULE,
	.open = trace_open,
	.read = seq_read,
	.write = trace_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/**
 * openi2s_sim_trace_debugfs() - add the "wire_trace" file
 * @c: the controller
 * @dir: its debugfs directory
 */
void openi2s_sim_trace_debugfs(struct openi2s_sim_ctrl *c, struct dentry *dir)
{
	debugfs_create_file("wire_trace", 0600, dir, c, &trace_fops);
}
