// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * From a bus id to a configured stream: the id mapping, the per-id table
 * that allows one TX and one RX object per bus, and the stream's
 * parameters derived from the MicroPython arguments (backend.h sets them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

/* The smallest ring buffer, in ms of audio, whatever ibuf says. */
#define MI2S_MIN_BUFFER_MS	20

/* The only global state: which objects hold which bus direction. */
struct mi2s_claim {
	int id;
	int mode;
	struct machine_i2s *owner;
	struct mi2s_claim *next;
};

static pthread_mutex_t claims_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mi2s_claim *claims;

int mi2s_claim(int id, int mode, struct machine_i2s *i2s)
{
	struct mi2s_claim *c;
	int ret = 0;

	pthread_mutex_lock(&claims_lock);
	for (c = claims; c; c = c->next)
		if (c->id == id && c->mode == mode)
			break;
	if (c) {
		ret = mi2s_error(EBUSY, "I2S(%d) already has a %s object", id,
				 mode == MACHINE_I2S_TX ? "TX" : "RX");
	} else {
		c = malloc(sizeof(*c));
		if (!c) {
			ret = mi2s_error(ENOMEM, "out of memory");
		} else {
			c->id = id;
			c->mode = mode;
			c->owner = i2s;
			c->next = claims;
			claims = c;
		}
	}
	pthread_mutex_unlock(&claims_lock);
	return ret;
}

void mi2s_release(int id, int mode, struct machine_i2s *i2s)
{
	struct mi2s_claim **pc, *c;

	pthread_mutex_lock(&claims_lock);
	for (pc = &claims; (c = *pc); pc = &c->next) {
		if (c->id == id && c->mode == mode && c->owner == i2s) {
			*pc = c->next;
			free(c);
			break;
		}
	}
	pthread_mutex_unlock(&claims_lock);
}

/**
 * mi2s_pcm_name() - the ALSA PCM name for a configuration's bus id
 * @cfg: a validated configuration
 *
 * Return: a string to free(), or NULL with the error message set.
 */
char *mi2s_pcm_name(const struct machine_i2s_config *cfg)
{
	char var[32], *name = NULL;
	const char *env;

	if (cfg->device) {
		name = strdup(cfg->device);
	} else {
		snprintf(var, sizeof(var), "MACHINE_I2S_%d", cfg->id);
		env = getenv(var);
		if (env && *env) {
			name = strdup(env);
		} else if (mi2s_pcm_bus_name(cfg->id, &name) == -ENODEV) {
			errno = ENODEV;
			mi2s_error(ENODEV, "invalid id");
			return NULL;
		}
	}
	if (!name) {
		errno = ENOMEM;
		mi2s_error(ENOMEM, "out of memory");
	}
	return name;
}

/* Device layouts to try for each caller width, best first: the same
 * layout, then wider (zero-padded, lossless), then narrower. */
static const struct mi2s_layout pref16[] = {
	{ 2, 16, 0 }, { 4, 32, 0 }, { 4, 24, 0 }, { 3, 24, 0 },
};

static const struct mi2s_layout pref24[] = {
	{ 3, 24, 0 }, { 4, 24, 0 }, { 4, 32, 0 }, { 2, 16, 0 },
};

static const struct mi2s_layout pref32[] = {
	{ 4, 32, 0 }, { 4, 24, 0 }, { 3, 24, 0 }, { 2, 16, 0 },
};

static int configure(struct machine_i2s *i2s,
		     const struct machine_i2s_config *cfg)
{
	struct mi2s_pcm_want want = {
		.layouts = cfg->bits == 16 ? pref16 :
			   cfg->bits == 24 ? pref24 : pref32,
		.nlayouts = sizeof(pref16) / sizeof(pref16[0]), /* all alike */
		.channels = i2s->app.channels,
		.rate = (unsigned int)cfg->rate,
		.buffer_frames = (unsigned int)cfg->ibuf / mi2s_frame_bytes(cfg),
		.min_buffer_frames = (size_t)cfg->rate * MI2S_MIN_BUFFER_MS / 1000,
		/* TX runs from the first frame written, as MicroPython's DMA
		 * does from init; RX is started by the first read or by
		 * fileno(). */
		.autostart = cfg->mode == MACHINE_I2S_TX,
	};
	struct mi2s_pcm_got got;
	int err;

	err = mi2s_pcm_configure(i2s->pcm, i2s->pcm_name, &want, &got);
	if (err)
		return err;
	i2s->dev = got.dev;
	i2s->buffer_frames = got.buffer_frames;
	i2s->period_frames = got.period_frames;
	i2s->rate = (unsigned int)cfg->rate;
	return 0;
}

static int setup_poll(struct machine_i2s *i2s)
{
	int n = mi2s_pcm_poll_fds(i2s->pcm, NULL, 0);

	if (n <= 0 || n > MI2S_MAX_PFDS)
		return mi2s_error(EIO, "%s: %d poll descriptors, not 1 to %d",
				  i2s->pcm_name, n, MI2S_MAX_PFDS);
	i2s->pfds = calloc((size_t)n, sizeof(*i2s->pfds));
	if (!i2s->pfds)
		return mi2s_error(ENOMEM, "out of memory");
	i2s->npfds = mi2s_pcm_poll_fds(i2s->pcm, i2s->pfds, (unsigned int)n);
	return 0;
}

/**
 * mi2s_open() - open and configure the PCM for a validated configuration
 * @i2s: a deinitialised object
 * @cfg: the configuration
 *
 * Return: 0, or a negative errno value with the message set; on failure
 * nothing is left open.
 */
int mi2s_open(struct machine_i2s *i2s, const struct machine_i2s_config *cfg)
{
	int err;

	i2s->cfg = *cfg;
	/* The caller's strings are not kept. */
	i2s->cfg.device = NULL;
	i2s->cfg.sck = i2s->cfg.ws = i2s->cfg.sd = i2s->cfg.mck = NULL;
	i2s->app.bytes = (unsigned int)cfg->bits / 8;
	i2s->app.bits = (unsigned int)cfg->bits;
	i2s->app.channels = cfg->format == MACHINE_I2S_STEREO ? 2 : 1;
	i2s->app_frame = i2s->app.bytes * i2s->app.channels;

	i2s->pcm_name = mi2s_pcm_name(cfg);
	if (!i2s->pcm_name)
		return -errno;
	err = mi2s_pcm_open(&i2s->pcm, i2s->pcm_name,
			    cfg->mode == MACHINE_I2S_TX);
	if (err < 0) {
		err = mi2s_error(-err, "cannot open %s: %s", i2s->pcm_name,
				 mi2s_pcm_strerror(err));
		goto fail;
	}
	err = configure(i2s, cfg);
	if (!err)
		err = setup_poll(i2s);
	if (err)
		goto fail;

	i2s->direct = i2s->app.bytes == i2s->dev.bytes &&
		      i2s->app.bits == i2s->dev.bits &&
		      i2s->app.channels == i2s->dev.channels;
	if (!i2s->direct) {
		i2s->bounce_frames = i2s->period_frames;
		i2s->bounce = malloc(i2s->bounce_frames * i2s->dev.bytes *
				     i2s->dev.channels);
		if (!i2s->bounce) {
			err = mi2s_error(ENOMEM, "out of memory");
			goto fail;
		}
	}
	i2s->tx_direct = i2s->direct && cfg->mode == MACHINE_I2S_TX;
	i2s->frames = 0;
	i2s->xruns = 0;
	return 0;

fail:
	mi2s_close(i2s);
	return err;
}

/* Release everything mi2s_open() acquired; safe on a partial open. */
void mi2s_close(struct machine_i2s *i2s)
{
	i2s->generation++;
	i2s->tx_direct = false;
	i2s->pending_err = 0;
	i2s->carry_len = 0;
	mi2s_pcm_close(i2s->pcm);
	i2s->pcm = NULL;
	free(i2s->pfds);
	i2s->pfds = NULL;
	i2s->npfds = 0;
	free(i2s->bounce);
	i2s->bounce = NULL;
	i2s->bounce_frames = 0;
	free(i2s->pcm_name);
	i2s->pcm_name = NULL;
}
