// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * From a bus id to a configured ALSA PCM: the id mapping, the per-id table
 * that allows one TX and one RX object per bus, and the hardware and
 * software parameters derived from the MicroPython arguments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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
	char var[32], *name = NULL, *card;
	const char *env;

	if (cfg->device) {
		name = strdup(cfg->device);
	} else {
		snprintf(var, sizeof(var), "MACHINE_I2S_%d", cfg->id);
		env = getenv(var);
		if (env && *env) {
			name = strdup(env);
		} else {
			if (snd_card_get_name(cfg->id, &card) < 0) {
				errno = ENODEV;
				mi2s_error(ENODEV, "invalid id");
				return NULL;
			}
			free(card);
			if (asprintf(&name, "hw:%d,0", cfg->id) < 0)
				name = NULL;
		}
	}
	if (!name) {
		errno = ENOMEM;
		mi2s_error(ENOMEM, "out of memory");
	}
	return name;
}

struct mi2s_dev_format {
	snd_pcm_format_t format;
	struct mi2s_layout layout;	/* channels filled in later */
};

static const struct mi2s_dev_format dev_formats[] = {
	{ SND_PCM_FORMAT_S16_LE, { 2, 16, 0 } },
	{ SND_PCM_FORMAT_S24_3LE, { 3, 24, 0 } },
	{ SND_PCM_FORMAT_S24_LE, { 4, 24, 0 } },
	{ SND_PCM_FORMAT_S32_LE, { 4, 32, 0 } },
};

/* Device formats to try for each caller width, best first: the same
 * layout, then wider (zero-padded, lossless), then narrower. */
static const unsigned char pref16[] = { 0, 3, 2, 1 };
static const unsigned char pref24[] = { 1, 2, 3, 0 };
static const unsigned char pref32[] = { 3, 2, 1, 0 };

static int choose_format(struct machine_i2s *i2s, snd_pcm_hw_params_t *hw,
			 int bits)
{
	const unsigned char *pref = bits == 16 ? pref16 :
				    bits == 24 ? pref24 : pref32;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		const struct mi2s_dev_format *f = &dev_formats[pref[i]];

		if (snd_pcm_hw_params_test_format(i2s->pcm, hw, f->format))
			continue;
		i2s->dev = f->layout;
		if (snd_pcm_hw_params_set_format(i2s->pcm, hw, f->format))
			break;
		return 0;
	}
	return mi2s_error(EINVAL, "invalid bits");
}

static int choose_channels(struct machine_i2s *i2s, snd_pcm_hw_params_t *hw)
{
	unsigned int want = i2s->app.channels;

	if (snd_pcm_hw_params_test_channels(i2s->pcm, hw, want)) {
		/* MONO on a stereo-only device: both channels carry it. */
		if (want != 1 ||
		    snd_pcm_hw_params_test_channels(i2s->pcm, hw, 2))
			return mi2s_error(EINVAL, "invalid format");
		want = 2;
	}
	i2s->dev.channels = want;
	if (snd_pcm_hw_params_set_channels(i2s->pcm, hw, want))
		return mi2s_error(EINVAL, "invalid format");
	return 0;
}

static int set_hw_params(struct machine_i2s *i2s,
			 const struct machine_i2s_config *cfg)
{
	snd_pcm_uframes_t frames, floor, pmin;
	snd_pcm_hw_params_t *hw;
	unsigned int periods = 4;
	int err;

	snd_pcm_hw_params_alloca(&hw);
	err = snd_pcm_hw_params_any(i2s->pcm, hw);
	if (err < 0)
		return mi2s_error(-err, "%s: no parameters: %s", i2s->pcm_name,
				  snd_strerror(err));
	/* An I2S bus runs at the rate asked for or not at all. */
	snd_pcm_hw_params_set_rate_resample(i2s->pcm, hw, 0);
	err = snd_pcm_hw_params_set_access(i2s->pcm, hw,
					   SND_PCM_ACCESS_RW_INTERLEAVED);
	if (err < 0)
		return mi2s_error(-err, "%s: no interleaved access: %s",
				  i2s->pcm_name, snd_strerror(err));
	err = choose_format(i2s, hw, cfg->bits);
	if (err < 0)
		return err;
	err = choose_channels(i2s, hw);
	if (err < 0)
		return err;
	if (snd_pcm_hw_params_set_rate(i2s->pcm, hw, (unsigned int)cfg->rate, 0))
		return mi2s_error(EINVAL, "invalid rate");
	frames = (unsigned int)cfg->ibuf / mi2s_frame_bytes(cfg);
	floor = (snd_pcm_uframes_t)cfg->rate * MI2S_MIN_BUFFER_MS / 1000;
	/* Nor fewer than four of the device's smallest periods: with two,
	 * a wake-up one period late already loses data. */
	if (!snd_pcm_hw_params_get_period_size_min(hw, &pmin, NULL) &&
	    floor < 4 * pmin)
		floor = 4 * pmin;
	if (frames < floor) {
		/* MicroPython's DMA buffers come on top of ibuf; this floor
		 * stands for them.  Short periods keep wake-ups as fine as a
		 * tiny buffer's would be. */
		frames = floor;
		periods = 8;
	}
	if (snd_pcm_hw_params_set_buffer_size_near(i2s->pcm, hw, &frames))
		return mi2s_error(EINVAL, "invalid ibuf");
	snd_pcm_hw_params_set_periods_near(i2s->pcm, hw, &periods, NULL);
	err = snd_pcm_hw_params(i2s->pcm, hw);
	if (err < 0)
		return mi2s_error(-err, "%s: cannot configure: %s",
				  i2s->pcm_name, snd_strerror(err));
	snd_pcm_hw_params_get_buffer_size(hw, &i2s->buffer_frames);
	snd_pcm_hw_params_get_period_size(hw, &i2s->period_frames, NULL);
	i2s->rate = (unsigned int)cfg->rate;
	return 0;
}

static int set_sw_params(struct machine_i2s *i2s)
{
	snd_pcm_sw_params_t *sw;
	int err;

	snd_pcm_sw_params_alloca(&sw);
	snd_pcm_sw_params_current(i2s->pcm, sw);
	snd_pcm_sw_params_set_avail_min(i2s->pcm, sw, i2s->period_frames);
	/* TX runs from the first frame written, as MicroPython's DMA does
	 * from init; RX is started by the first read or by fileno(). */
	snd_pcm_sw_params_set_start_threshold(i2s->pcm, sw,
		i2s->cfg.mode == MACHINE_I2S_TX ? 1 : i2s->buffer_frames + 1);
	err = snd_pcm_sw_params(i2s->pcm, sw);
	if (err < 0)
		return mi2s_error(-err, "%s: cannot set software parameters: %s",
				  i2s->pcm_name, snd_strerror(err));
	return 0;
}

static int setup_poll(struct machine_i2s *i2s)
{
	int n = snd_pcm_poll_descriptors_count(i2s->pcm);

	if (n <= 0 || n > MI2S_MAX_PFDS)
		return mi2s_error(EIO, "%s: %d poll descriptors, not 1 to %d",
				  i2s->pcm_name, n, MI2S_MAX_PFDS);
	i2s->pfds = calloc((size_t)n, sizeof(*i2s->pfds));
	if (!i2s->pfds)
		return mi2s_error(ENOMEM, "out of memory");
	i2s->npfds = snd_pcm_poll_descriptors(i2s->pcm, i2s->pfds,
					      (unsigned int)n);
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
	snd_pcm_stream_t stream = cfg->mode == MACHINE_I2S_TX ?
		SND_PCM_STREAM_PLAYBACK : SND_PCM_STREAM_CAPTURE;
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
	err = snd_pcm_open(&i2s->pcm, i2s->pcm_name, stream, SND_PCM_NONBLOCK);
	if (err < 0) {
		i2s->pcm = NULL;
		err = mi2s_error(-err, "cannot open %s: %s", i2s->pcm_name,
				 snd_strerror(err));
		goto fail;
	}
	err = set_hw_params(i2s, cfg);
	if (!err)
		err = set_sw_params(i2s);
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
	if (i2s->pcm) {
		snd_pcm_drop(i2s->pcm);
		snd_pcm_close(i2s->pcm);
		i2s->pcm = NULL;
	}
	free(i2s->pfds);
	i2s->pfds = NULL;
	i2s->npfds = 0;
	free(i2s->bounce);
	i2s->bounce = NULL;
	i2s->bounce_frames = 0;
	free(i2s->pcm_name);
	i2s->pcm_name = NULL;
}
