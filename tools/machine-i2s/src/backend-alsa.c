// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The backend of backend.h over alsa-lib: the only file of the library
 * that knows ALSA.  A stream is the snd_pcm_t itself, so that write()'s
 * fast path passes it straight to snd_pcm_writei().
 */
#include <alsa/asoundlib.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "backend.h"

/*
 * mi2s_pcm_write() and _read() are snd_pcm_writei() and _readi(): the
 * same function types, the handle apart, which is the snd_pcm_t itself.
 */
_Static_assert(__builtin_types_compatible_p(snd_pcm_sframes_t, long) &&
	       __builtin_types_compatible_p(snd_pcm_uframes_t, unsigned long),
	       "alsa-lib's frame types are not long and unsigned long");
_Static_assert(__builtin_types_compatible_p(
		       __typeof__(&snd_pcm_writei),
		       long (*)(snd_pcm_t *, const void *, unsigned long)) &&
	       __builtin_types_compatible_p(
		       __typeof__(&mi2s_pcm_write),
		       long (*)(struct mi2s_pcm *, const void *,
				unsigned long)),
	       "mi2s_pcm_write() is not snd_pcm_writei()");
_Static_assert(__builtin_types_compatible_p(
		       __typeof__(&snd_pcm_readi),
		       long (*)(snd_pcm_t *, void *, unsigned long)) &&
	       __builtin_types_compatible_p(
		       __typeof__(&mi2s_pcm_read),
		       long (*)(struct mi2s_pcm *, void *, unsigned long)),
	       "mi2s_pcm_read() is not snd_pcm_readi()");

static snd_pcm_t *alsa(struct mi2s_pcm *pcm)
{
	return (snd_pcm_t *)pcm;
}

int mi2s_pcm_bus_name(int id, char **name)
{
	char *card;

	if (snd_card_get_name(id, &card) < 0)
		return -ENODEV;
	free(card);
	if (asprintf(name, "hw:%d,0", id) < 0) {
		*name = NULL;
		return -ENOMEM;
	}
	return 0;
}

int mi2s_pcm_open(struct mi2s_pcm **pcm, const char *name, bool tx)
{
	snd_pcm_t *p;
	int err;

	err = snd_pcm_open(&p, name, tx ? SND_PCM_STREAM_PLAYBACK :
			   SND_PCM_STREAM_CAPTURE, SND_PCM_NONBLOCK);
	*pcm = err < 0 ? NULL : (struct mi2s_pcm *)p;
	return err;
}

/* The sample layouts the library converts to and from. */
static const struct {
	snd_pcm_format_t format;
	unsigned int bytes, bits;
} formats[] = {
	{ SND_PCM_FORMAT_S16_LE, 2, 16 },
	{ SND_PCM_FORMAT_S24_3LE, 3, 24 },
	{ SND_PCM_FORMAT_S24_LE, 4, 24 },
	{ SND_PCM_FORMAT_S32_LE, 4, 32 },
};

static int format_of(const struct mi2s_layout *l)
{
	unsigned int i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].bytes == l->bytes && formats[i].bits == l->bits)
			return formats[i].format;
	return SND_PCM_FORMAT_UNKNOWN;
}

static int choose_format(snd_pcm_t *pcm, snd_pcm_hw_params_t *hw,
			 const struct mi2s_pcm_want *want,
			 struct mi2s_pcm_got *got)
{
	unsigned int i;

	for (i = 0; i < want->nlayouts; i++) {
		int f = format_of(&want->layouts[i]);

		if (f == SND_PCM_FORMAT_UNKNOWN ||
		    snd_pcm_hw_params_test_format(pcm, hw, f))
			continue;
		got->dev = want->layouts[i];
		if (snd_pcm_hw_params_set_format(pcm, hw, f))
			break;
		return 0;
	}
	return mi2s_error(EINVAL, "invalid bits");
}

static int choose_channels(snd_pcm_t *pcm, snd_pcm_hw_params_t *hw,
			   unsigned int want, struct mi2s_pcm_got *got)
{
	if (snd_pcm_hw_params_test_channels(pcm, hw, want)) {
		/* MONO on a stereo-only device: both channels carry it. */
		if (want != 1 || snd_pcm_hw_params_test_channels(pcm, hw, 2))
			return mi2s_error(EINVAL, "invalid format");
		want = 2;
	}
	got->dev.channels = want;
	if (snd_pcm_hw_params_set_channels(pcm, hw, want))
		return mi2s_error(EINVAL, "invalid format");
	return 0;
}

static int set_hw_params(snd_pcm_t *pcm, const char *name,
			 const struct mi2s_pcm_want *want,
			 struct mi2s_pcm_got *got)
{
	snd_pcm_uframes_t frames = want->buffer_frames, pmin, size;
	snd_pcm_uframes_t floor = want->min_buffer_frames;
	snd_pcm_hw_params_t *hw;
	unsigned int periods = 4;
	int err;

	snd_pcm_hw_params_alloca(&hw);
	err = snd_pcm_hw_params_any(pcm, hw);
	if (err < 0)
		return mi2s_error(-err, "%s: no parameters: %s", name,
				  snd_strerror(err));
	/* An I2S bus runs at the rate asked for or not at all. */
	snd_pcm_hw_params_set_rate_resample(pcm, hw, 0);
	err = snd_pcm_hw_params_set_access(pcm, hw,
					   SND_PCM_ACCESS_RW_INTERLEAVED);
	if (err < 0)
		return mi2s_error(-err, "%s: no interleaved access: %s", name,
				  snd_strerror(err));
	err = choose_format(pcm, hw, want, got);
	if (err < 0)
		return err;
	err = choose_channels(pcm, hw, want->channels, got);
	if (err < 0)
		return err;
	if (snd_pcm_hw_params_set_rate(pcm, hw, want->rate, 0))
		return mi2s_error(EINVAL, "invalid rate");
	/* Nor fewer than four of the device's smallest periods: with two,
	 * a wake-up one period late already loses data. */
	if (!snd_pcm_hw_params_get_period_size_min(hw, &pmin, NULL) &&
	    floor < 4 * pmin)
		floor = 4 * pmin;
	if (frames < floor) {
		/* MicroPython's DMA buffers come on top of ibuf; the floor
		 * stands for them.  Short periods keep wake-ups as fine as a
		 * tiny buffer's would be. */
		frames = floor;
		periods = 8;
	}
	if (snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &frames))
		return mi2s_error(EINVAL, "invalid ibuf");
	snd_pcm_hw_params_set_periods_near(pcm, hw, &periods, NULL);
	err = snd_pcm_hw_params(pcm, hw);
	if (err < 0)
		return mi2s_error(-err, "%s: cannot configure: %s", name,
				  snd_strerror(err));
	snd_pcm_hw_params_get_buffer_size(hw, &size);
	got->buffer_frames = size;
	snd_pcm_hw_params_get_period_size(hw, &size, NULL);
	got->period_frames = size;
	return 0;
}

static int set_sw_params(snd_pcm_t *pcm, const char *name,
			 const struct mi2s_pcm_want *want,
			 const struct mi2s_pcm_got *got)
{
	snd_pcm_sw_params_t *sw;
	int err;

	snd_pcm_sw_params_alloca(&sw);
	snd_pcm_sw_params_current(pcm, sw);
	snd_pcm_sw_params_set_avail_min(pcm, sw, got->period_frames);
	/* Past the buffer, only mi2s_pcm_start() starts it. */
	snd_pcm_sw_params_set_start_threshold(pcm, sw, want->autostart ? 1 :
					      got->buffer_frames + 1);
	err = snd_pcm_sw_params(pcm, sw);
	if (err < 0)
		return mi2s_error(-err, "%s: cannot set software parameters: %s",
				  name, snd_strerror(err));
	return 0;
}

int mi2s_pcm_configure(struct mi2s_pcm *pcm, const char *name,
		       const struct mi2s_pcm_want *want,
		       struct mi2s_pcm_got *got)
{
	int err = set_hw_params(alsa(pcm), name, want, got);

	return err ? err : set_sw_params(alsa(pcm), name, want, got);
}

int mi2s_pcm_start(struct mi2s_pcm *pcm)
{
	if (snd_pcm_state(alsa(pcm)) != SND_PCM_STATE_PREPARED)
		return 0;
	return snd_pcm_start(alsa(pcm));
}

ssize_t mi2s_pcm_avail(struct mi2s_pcm *pcm)
{
	return snd_pcm_avail_update(alsa(pcm));
}

int mi2s_pcm_recover(struct mi2s_pcm *pcm, int err)
{
	return snd_pcm_recover(alsa(pcm), err, 1);
}

int mi2s_pcm_poll_fds(struct mi2s_pcm *pcm, struct pollfd *pfds,
		      unsigned int space)
{
	int n = snd_pcm_poll_descriptors_count(alsa(pcm));

	if (n <= 0 || (unsigned int)n > space)
		return n;
	return snd_pcm_poll_descriptors(alsa(pcm), pfds, (unsigned int)n);
}

int mi2s_pcm_poll_revents(struct mi2s_pcm *pcm, struct pollfd *pfds,
			  unsigned int n)
{
	unsigned short revents;
	int err;

	err = snd_pcm_poll_descriptors_revents(alsa(pcm), pfds, n, &revents);
	return err < 0 ? err : revents;
}

int mi2s_pcm_drain(struct mi2s_pcm *pcm, bool started)
{
	snd_pcm_t *p = alsa(pcm);
	snd_pcm_state_t state;
	int err;

	if (!started) {
		state = snd_pcm_state(p);
		if (state != SND_PCM_STATE_RUNNING &&
		    state != SND_PCM_STATE_DRAINING)
			return 0;
		err = snd_pcm_drain(p);
	} else {
		/* Look at the device first: that moves the state on. */
		snd_pcm_avail_update(p);
		err = snd_pcm_state(p) == SND_PCM_STATE_DRAINING ? -EAGAIN : 0;
	}
	if (err != -EAGAIN)
		snd_pcm_prepare(p);
	return err;
}

void mi2s_pcm_close(struct mi2s_pcm *pcm)
{
	if (!pcm)
		return;
	snd_pcm_drop(alsa(pcm));
	snd_pcm_close(alsa(pcm));
}

const char *mi2s_pcm_strerror(int err)
{
	return snd_strerror(err);
}
