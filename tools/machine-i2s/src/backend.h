/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The seam between libmachine-i2s's front end (machine.I2S's rules, as
 * MicroPython's shared extmod/machine_i2s.c holds them) and the one audio
 * stream it drives, as a MicroPython port's back end holds it.
 * backend-alsa.c implements it over alsa-lib and is the only file that
 * knows ALSA; a test links the front end's objects against another
 * backend to produce the faults a real device rarely does.
 *
 * A link-time seam, not a table of function pointers: write()'s fast
 * path must cost what a bare snd_pcm_writei() loop costs, so the two
 * transfer calls carry the backend's own link names (see below) and the
 * front end calls alsa-lib's functions directly, with no wrapper between.
 * The other calls are out-of-line functions of the backend's.
 *
 * All return 0 or a count on success and a negative errno value on
 * failure; none sets the error message unless it says so.  None waits:
 * the stream is always non-blocking, and the front end waits in poll().
 */
#ifndef MACHINE_I2S_BACKEND_H
#define MACHINE_I2S_BACKEND_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "internal.h"

struct mi2s_pcm;	/* the backend's stream, opaque to the front end */

/* The ALSA name for bus @id in @*name (to free()); -ENODEV if none. */
int mi2s_pcm_bus_name(int id, char **name);

/* Open the stream @name for playback (@tx) or capture, non-blocking. */
int mi2s_pcm_open(struct mi2s_pcm **pcm, const char *name, bool tx);

/* What mi2s_pcm_configure() is asked for. */
struct mi2s_pcm_want {
	const struct mi2s_layout *layouts;	/* best first; no .channels */
	unsigned int nlayouts;
	unsigned int channels;	/* 1 may be granted as 2 */
	unsigned int rate;	/* exactly, or fail */
	size_t buffer_frames;	/* from ibuf */
	size_t min_buffer_frames;	/* the floor under it */
	bool autostart;		/* run from the first frame written */
};

/* What it granted. */
struct mi2s_pcm_got {
	struct mi2s_layout dev;	/* the device's samples */
	size_t buffer_frames;
	size_t period_frames;
};

/*
 * Set the stream's parameters; on failure sets the error message
 * (MicroPython's "invalid rate" and the like), @name in it.
 */
int mi2s_pcm_configure(struct mi2s_pcm *pcm, const char *name,
		       const struct mi2s_pcm_want *want,
		       struct mi2s_pcm_got *got);

/*
 * The transfer: up to @frames interleaved frames, without waiting.
 * Returns frames moved, -EAGAIN when there is no room or data, -EPIPE
 * after an xrun, -ESTRPIPE when suspended, or another error.  Declared
 * with alsa-lib's link names and its frame types (snd_pcm_sframes_t is
 * long, snd_pcm_uframes_t unsigned long, on every ABI), so that the front
 * end's call is alsa-lib's (backend-alsa.c checks the types); a test
 * backend defining mi2s_pcm_write() defines that name instead.
 */
long mi2s_pcm_write(struct mi2s_pcm *pcm, const void *buf,
		    unsigned long frames) __asm__("snd_pcm_writei");
long mi2s_pcm_read(struct mi2s_pcm *pcm, void *buf, unsigned long frames)
	__asm__("snd_pcm_readi");

/* Start capture if it is prepared and not yet running; 0 otherwise. */
int mi2s_pcm_start(struct mi2s_pcm *pcm);

/* Frames that can move now, or the error state (-EPIPE after an xrun). */
ssize_t mi2s_pcm_avail(struct mi2s_pcm *pcm);

/* After -EPIPE or -ESTRPIPE (@err): restart the stream where it stood. */
int mi2s_pcm_recover(struct mi2s_pcm *pcm, int err);

/*
 * The wait: the descriptors to poll() for the stream's readiness (returns
 * how many it has; fills @pfds only if @space holds them all), and then
 * what woke it (its events, which a PCM may have to translate).
 */
int mi2s_pcm_poll_fds(struct mi2s_pcm *pcm, struct pollfd *pfds,
		      unsigned int space);
int mi2s_pcm_poll_revents(struct mi2s_pcm *pcm, struct pollfd *pfds,
			  unsigned int n);

/*
 * A drain in steps, none waiting: @started false starts it, true asks
 * whether it has ended.  Returns -EAGAIN while it plays on, 0 once all
 * played (at once if nothing was playing or the stream is in an xrun,
 * which the next write recovers), or another negative error (a backend
 * may report an underrun at the end as -EPIPE; ALSA's non-blocking drain
 * does not).  Once it has ended cleanly the stream takes more writes.
 */
int mi2s_pcm_drain(struct mi2s_pcm *pcm, bool started);

/* Drop whatever is queued and close; NULL is ignored. */
void mi2s_pcm_close(struct mi2s_pcm *pcm);

/* The text of one of the backend's (negative) error codes. */
const char *mi2s_pcm_strerror(int err);

#endif
