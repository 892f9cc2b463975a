// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S simulated SoC: the parts on the board's wire. The SoC node's
 * "openi2s,bus-parts" lists generic codec nodes, the same ones the sound
 * card links; each becomes a part model (openi2s-part.c) in its own
 * hard-wired format. Sinks hear the transmit data line, sources drive the
 * receive data line. Without the property the board's wire loops the
 * transmit data line back into the receiver.
 *
 * debugfs, per part, in parts/<node name>/:
 *   state    what it is, what it heard or sent, and a sink's verdict
 *   reset    write anything: a sink forgets what it heard, its receiver
 *            staying in step (all sinks also forget, and their receivers
 *            start over, when the controller's transmitter starts)
 *   record   write N: keep a sink's next N output frames; read them back
 *            as little-endian s32, one per channel
 *   signal   a source's signal: "sine <Hz> <level/1000>" or "ramp <step>"
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <asm/byteorder.h>

#include "../../codecs/generic-i2s.h"
#include "openi2s-sim.h"

#define RECORD_MAX_FRAMES	SZ_1M

/**
 * struct openi2s_sim_part - one part on the wire
 * @sim: the SoC whose wire it is on
 * @name: its node's name
 * @path: its node's full path
 * @part: what its node says it can do
 * @sink: set when it listens to the transmit data line
 * @source: set when it drives the receive data line
 * @hear: its sink model
 * @speak: its source model
 * @rec_lock: serialises arming and reading @rec
 * @rec: recorded output frames of the sink
 * @rec_want: frames to record
 * @rec_len: frames recorded
 */
struct openi2s_sim_part {
	struct openi2s_sim *sim;
	const char *name;
	const char *path;
	struct generic_i2s_part part;
	bool sink;
	bool source;
	struct openi2s_sink hear;
	struct openi2s_source speak;
	struct mutex rec_lock; /* the record buffer's owner */
	__le32 *rec;
	unsigned int rec_want;
	unsigned int rec_len;
};

static void record(struct openi2s_sim_part *p, const s32 *out,
		   unsigned int frames)
{
	unsigned int ch = p->hear.channels, c;

	while (frames-- && p->rec_len < p->rec_want) {
		__le32 *row = p->rec + (size_t)p->rec_len * ch;

		for (c = 0; c < ch; c++)
			row[c] = cpu_to_le32(*out++);
		p->rec_len++;
	}
}

/**
 * openi2s_sim_parts_frame() - the parts hear and drive one bus frame
 * @sim: the SoC
 * @wire: the frame: frame sync and the transmit data line
 * @tx_fmt: the controller's transmit format, NULL while it sends nothing
 * @tx_samples: the samples it sent, one per channel
 * @rx: receives the receive data line the sources drive (frame sync
 *	copied from @wire)
 *
 * Called from the frame loop with the model lock held.
 */
void openi2s_sim_parts_frame(struct openi2s_sim *sim,
			     const struct openi2s_wire *wire,
			     const struct openi2s_frame_fmt *tx_fmt,
			     const u32 *tx_samples, struct openi2s_wire *rx)
{
	const struct openi2s_sink *before = NULL;
	s32 out[2 * OPENI2S_FRAME_MAX_SLOTS];
	unsigned int i, k, n;

	rx->bits = wire->bits;
	for (k = 0; k < OPENI2S_FRAME_WORDS; k++) {
		rx->fs[k] = wire->fs[k];
		rx->sd[k] = 0;
	}
	for (i = 0; i < sim->n_parts; i++) {
		struct openi2s_sim_part *p = &sim->parts[i];

		if (p->sink) {
			n = openi2s_sink_frame(&p->hear, before, wire, tx_fmt,
					       tx_samples, out);
			before = &p->hear;
			if (unlikely(p->rec_len < p->rec_want))
				record(p, out, n);
		}
		if (p->source)
			openi2s_source_frame(&p->speak, wire, rx->sd);
	}
}

/**
 * openi2s_sim_parts_clock_start() - the bus clock starts
 * @sim: the SoC
 * @rate: its frame rate, Hz
 *
 * Called with the model lock held: sources start their signals over.
 */
void openi2s_sim_parts_clock_start(struct openi2s_sim *sim, u32 rate)
{
	unsigned int i;

	for (i = 0; i < sim->n_parts; i++)
		if (sim->parts[i].source)
			openi2s_source_start(&sim->parts[i].speak, rate);
}

/**
 * openi2s_sim_parts_tx_start() - the controller starts transmitting
 * @sim: the SoC
 *
 * Called with the model lock held: sinks forget what they heard before,
 * so what they report is the stream that starts.
 */
void openi2s_sim_parts_tx_start(struct openi2s_sim *sim)
{
	unsigned int i;

	for (i = 0; i < sim->n_parts; i++)
		if (sim->parts[i].sink)
			openi2s_sink_restart(&sim->parts[i].hear);
}

/**
 * openi2s_sim_parts_show() - the parts on the wire, a line each
 * @sim: the SoC
 * @s: where to print: "part NAME ROLES FORMAT SLOT_MASK" for the wire
 *	trace, which labels the slots with them
 */
void openi2s_sim_parts_show(struct openi2s_sim *sim, struct seq_file *s)
{
	unsigned int i;

	/* What is printed is fixed at probe: no lock needed. */
	for (i = 0; i < sim->n_parts; i++) {
		const struct openi2s_sim_part *p = &sim->parts[i];

		seq_printf(s, "part %s %s%s%s %s 0x%04x\n", p->name,
			   p->sink ? "sink" : "",
			   p->sink && p->source ? "," : "",
			   p->source ? "source" : "",
			   generic_i2s_format_names[p->hear.pf.mode],
			   p->hear.pf.slot_mask);
	}
}

static void show_fmt(struct seq_file *s, const struct openi2s_part_fmt *pf)
{
	seq_printf(s, "format: %s%s%s\n",
		   generic_i2s_format_names[pf->mode],
		   pf->bclk_inv ? " bitclock-inversion" : "",
		   pf->fs_inv ? " frame-inversion" : "");
	if (pf->slots)
		seq_printf(s, "slots: %u\n", pf->slots);
	else
		seq_puts(s, "slots: frame bits / slot width (tdm)\n");
	if (pf->slot_width)
		seq_printf(s, "slot_width: %u\n", pf->slot_width);
	else
		seq_puts(s, "slot_width: frame bits / slots (counted)\n");
	seq_printf(s, "slot_mask: 0x%04x\nsample_width: %u\nsig_bits: %u\n",
		   pf->slot_mask, pf->sample_width, pf->sig_bits);
}

static void show_sink(struct seq_file *s, const struct openi2s_sink *h)
{
	const struct openi2s_evidence *ev;
	enum openi2s_verdict v = openi2s_sink_verdict(h, &ev), i;
	unsigned int k, c;

	seq_printf(s, "channel_mode: %s\nchannels: %u\n",
		   generic_i2s_chmode_names[h->pf.chmode], h->channels);
	seq_printf(s, "bus_frame_bits: %u\nbus_frames: %llu\nframes: %llu\n",
		   h->bus_bits, h->bus_frames, h->frames);
	seq_printf(s, "checksum: 0x%08x\nverdict: %s\n", h->checksum,
		   openi2s_verdict_names[v]);
	seq_puts(s, "evidence:");
	if (v == OPENI2S_VERDICT_RATIO)
		seq_printf(s, " %u bit clocks per frame, the part takes",
			   h->bad_bits);
	for (k = 0; v == OPENI2S_VERDICT_RATIO && k < h->pf.bclk_fs.n; k++)
		seq_printf(s, " %u", h->pf.bclk_fs.v[k]);
	if (v == OPENI2S_VERDICT_NO_FS)
		seq_printf(s, " %llu bus frames, none decoded, %u frame sync errors",
			   h->bus_frames,
			   h->rx.fs_errors - h->fs_errors_at_reset);
	if (ev)
		seq_printf(s, " slot %u heard 0x%08x, slot %u sent 0x%08x (top %u bits)",
			   ev->slot, ev->heard, ev->from_slot, ev->sent,
			   ev->bits);
	seq_puts(s, "\njudged:");
	for (i = OPENI2S_VERDICT_LOCKED; i < OPENI2S_NUM_VERDICTS; i++)
		if (i != OPENI2S_VERDICT_NO_FS && i != OPENI2S_VERDICT_RATIO)
			seq_printf(s, " %s=%llu", openi2s_verdict_names[i],
				   h->judged[i]);
	seq_puts(s, "\nlast:");
	for (k = 0; k < OPENI2S_PART_LAST; k++) {
		const s32 *row = h->last[(h->last_head + OPENI2S_PART_LAST - k) %
					 OPENI2S_PART_LAST];

		for (c = 0; c < h->channels; c++)
			seq_printf(s, " %d", row[c]);
		if (k + 1 < OPENI2S_PART_LAST)
			seq_puts(s, " |");
	}
	seq_putc(s, '\n');
}

static void show_source(struct seq_file *s, const struct openi2s_source *src)
{
	seq_printf(s, "signal: %s %u %u\nrate: %u\n",
		   openi2s_signal_names[src->sig.kind], src->sig.freq,
		   src->sig.level, src->sig.rate);
	seq_printf(s, "source_bus_frames: %llu\nframes_sent: %llu\n",
		   src->bus_frames, src->frames);
	if (src->bad_bits) {
		unsigned int k;

		seq_printf(s, "source_verdict: clock_ratio\nsource_evidence: %u bit clocks per frame, the part takes",
			   src->bad_bits);
		for (k = 0; k < src->pf.bclk_fs.n; k++)
			seq_printf(s, " %u", src->pf.bclk_fs.v[k]);
		seq_putc(s, '\n');
	} else {
		seq_printf(s, "source_verdict: %s\n",
			   src->frames ? "sending" : "idle");
	}
}

static int state_show(struct seq_file *s, void *unused)
{
	struct openi2s_sim_part *p = s->private;
	struct openi2s_sim_ctrl *c = &p->sim->ctrl;
	struct openi2s_source *src;
	struct openi2s_sink *h;
	unsigned long flags;

	/* Copies: printing under the model's spinlock would stall frames. */
	h = kmalloc(sizeof(*h), GFP_KERNEL);
	src = kmalloc(sizeof(*src), GFP_KERNEL);
	if (!h || !src) {
		kfree(h);
		kfree(src);
		return -ENOMEM;
	}
	spin_lock_irqsave(&c->lock, flags);
	*h = p->hear;
	*src = p->speak;
	spin_unlock_irqrestore(&c->lock, flags);

	seq_printf(s, "part: %s\nnode: %s\nrole:%s%s\n", p->part.name, p->path,
		   p->sink ? " sink" : "", p->source ? " source" : "");
	show_fmt(s, p->sink ? &h->pf : &src->pf);
	if (p->sink)
		show_sink(s, h);
	if (p->source)
		show_source(s, src);
	kfree(h);
	kfree(src);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(state);

static ssize_t reset_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct openi2s_sim_part *p = file_inode(file)->i_private;
	unsigned long flags;

	spin_lock_irqsave(&p->sim->ctrl.lock, flags);
	openi2s_sink_reset(&p->hear);
	spin_unlock_irqrestore(&p->sim->ctrl.lock, flags);
	return len;
}

static const struct file_operations reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = reset_write,
	.llseek = noop_llseek,
};

static ssize_t record_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct openi2s_sim_part *p = file_inode(file)->i_private;
	unsigned long flags;
	unsigned int n;
	__le32 *buf, *old;
	int ret;

	ret = kstrtouint_from_user(ubuf, len, 0, &n);
	if (ret)
		return ret;
	if (n > RECORD_MAX_FRAMES)
		return -EINVAL;
	buf = n ? vmalloc(array3_size(n, p->hear.channels, sizeof(*buf))) :
		  NULL;
	if (n && !buf)
		return -ENOMEM;
	mutex_lock(&p->rec_lock);
	spin_lock_irqsave(&p->sim->ctrl.lock, flags);
	old = p->rec;
	p->rec = buf;
	p->rec_want = n;
	p->rec_len = 0;
	spin_unlock_irqrestore(&p->sim->ctrl.lock, flags);
	mutex_unlock(&p->rec_lock);
	vfree(old);
	return len;
}

static ssize_t record_read(struct file *file, char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	struct openi2s_sim_part *p = file_inode(file)->i_private;
	unsigned long flags;
	ssize_t ret;
	size_t have;

	/* Frames once kept do not change until the next arming. */
	mutex_lock(&p->rec_lock);
	spin_lock_irqsave(&p->sim->ctrl.lock, flags);
	have = (size_t)p->rec_len * p->hear.channels * sizeof(*p->rec);
	spin_unlock_irqrestore(&p->sim->ctrl.lock, flags);
	ret = simple_read_from_buffer(ubuf, len, ppos, p->rec, have);
	mutex_unlock(&p->rec_lock);
	return ret;
}

static const struct file_operations record_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = record_read,
	.write = record_write,
	.llseek = default_llseek,
};

static int signal_show(struct seq_file *s, void *unused)
{
	struct openi2s_sim_part *p = s->private;
	struct openi2s_signal sig;
	unsigned long flags;

	spin_lock_irqsave(&p->sim->ctrl.lock, flags);
	sig = p->speak.sig;
	spin_unlock_irqrestore(&p->sim->ctrl.lock, flags);
	if (sig.kind == OPENI2S_SIGNAL_RAMP)
		seq_printf(s, "ramp %u\n", sig.freq);
	else
		seq_printf(s, "sine %u %u\n", sig.freq, sig.level);
	return 0;
}

static int signal_open(struct inode *inode, struct file *file)
{
	return single_open(file, signal_show, inode->i_private);
}

static ssize_t signal_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct openi2s_sim_part *p = file_inode(file)->i_private;
	unsigned int freq, level = 0;
	enum openi2s_signal_kind kind;
	unsigned long flags;
	char buf[40], *end;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	end = strim(buf);
	if (sscanf(end, "sine %u %u", &freq, &level) == 2 && freq &&
	    level <= 1000)
		kind = OPENI2S_SIGNAL_SINE;
	else if (sscanf(end, "ramp %u", &freq) == 1 && freq)
		kind = OPENI2S_SIGNAL_RAMP;
	else
		return -EINVAL;
	spin_lock_irqsave(&p->sim->ctrl.lock, flags);
	p->speak.sig.kind = kind;
	p->speak.sig.freq = freq;
	p->speak.sig.level = level;
	spin_unlock_irqrestore(&p->sim->ctrl.lock, flags);
	return len;
}

static const struct file_operations signal_fops = {
	.owner = THIS_MODULE,
	.open = signal_open,
	.read = seq_read,
	.write = signal_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static void openi2s_sim_parts_free(void *data)
{
	struct openi2s_sim *sim = data;
	unsigned int i;

	for (i = 0; i < sim->n_parts; i++) {
		vfree(sim->parts[i].rec);
		mutex_destroy(&sim->parts[i].rec_lock);
	}
}

/* One part from its node: what the codec driver reads, as the bus sees it. */
static int add_part(struct openi2s_sim *sim, struct openi2s_sim_part *p,
		    struct device_node *np)
{
	struct device *dev = sim->dev;
	struct openi2s_part_fmt pf;
	struct generic_i2s_err err;
	int ret;

	ret = generic_i2s_parse_node(dev, np, &p->part, NULL);
	if (ret)
		return ret;
	if (openi2s_part_fmt_from(&p->part, &pf, &err)) {
		char val[16] = "";

		if (err.why[strlen(err.why) - 1] == ':')
			snprintf(val, sizeof(val), " %u", err.val);
		return dev_err_probe(dev, -EINVAL,
				     "%pOF: property \"%s\" %s%s: the simulated bus cannot carry the part\n",
				     np, generic_i2s_prop_names[err.prop],
				     err.why, val);
	}
	p->sim = sim;
	p->name = devm_kstrdup(dev, kbasename(np->full_name), GFP_KERNEL);
	p->path = devm_kasprintf(dev, GFP_KERNEL, "%pOF", np);
	if (!p->name || !p->path)
		return -ENOMEM;
	mutex_init(&p->rec_lock);
	p->sink = p->part.dirs & GENERIC_I2S_PLAYBACK;
	p->source = p->part.dirs & GENERIC_I2S_CAPTURE;
	openi2s_sink_init(&p->hear, &pf);
	openi2s_source_init(&p->speak, &pf);
	return 0;
}

/* A part's name is its debugfs directory and its label in the trace. */
static int unique_name(struct openi2s_sim *sim, int i, const char *prop)
{
	int k;

	for (k = 0; k < i; k++)
		if (!strcmp(sim->parts[k].name, sim->parts[i].name))
			return dev_err_probe(sim->dev, -EINVAL,
					     "%pOF: property \"%s\": %s and %s share the name %s\n",
					     sim->dev->of_node, prop,
					     sim->parts[k].path,
					     sim->parts[i].path,
					     sim->parts[i].name);
	return 0;
}

/**
 * openi2s_sim_parts_probe() - build the part models the SoC node lists
 * @sim: the SoC, its device's node holding "openi2s,bus-parts"
 *
 * The models are freed after the SoC's clock and debugfs files are gone:
 * call this before setting those up.
 *
 * Return: 0, or an error naming the node and property at fault.
 */
int openi2s_sim_parts_probe(struct openi2s_sim *sim)
{
	static const char prop[] = "openi2s,bus-parts";
	struct device *dev = sim->dev;
	struct device_node *np;
	int n, i, ret;

	n = of_count_phandle_with_args(dev->of_node, prop, NULL);
	if (n == -ENOENT)
		return 0;
	if (n <= 0)
		return dev_err_probe(dev, -EINVAL,
				     "%pOF: property \"%s\": not a list of part nodes\n",
				     dev->of_node, prop);
	sim->parts = devm_kcalloc(dev, n, sizeof(*sim->parts), GFP_KERNEL);
	if (!sim->parts)
		return -ENOMEM;
	ret = devm_add_action(dev, openi2s_sim_parts_free, sim);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		np = of_parse_phandle(dev->of_node, prop, i);
		if (!np)
			return dev_err_probe(dev, -EINVAL,
					     "%pOF: property \"%s\": entry %d is no node\n",
					     dev->of_node, prop, i);
		ret = add_part(sim, &sim->parts[i], np);
		of_node_put(np);
		if (ret)
			return ret;
		sim->n_parts++;
		ret = unique_name(sim, i, prop);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * openi2s_sim_parts_debugfs() - the parts' debugfs files
 * @sim: the SoC, its debugfs directory made
 */
void openi2s_sim_parts_debugfs(struct openi2s_sim *sim)
{
	struct dentry *dir;
	unsigned int i;

	if (!sim->n_parts)
		return;
	dir = debugfs_create_dir("parts", sim->debugfs);
	for (i = 0; i < sim->n_parts; i++) {
		struct openi2s_sim_part *p = &sim->parts[i];
		struct dentry *d = debugfs_create_dir(p->name, dir);

		debugfs_create_file("state", 0400, d, p, &state_fops);
		if (p->sink) {
			debugfs_create_file("reset", 0200, d, p, &reset_fops);
			debugfs_create_file("record", 0600, d, p, &record_fops);
		}
		if (p->source)
			debugfs_create_file("signal", 0600, d, p, &signal_fops);
	}
}
