// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One step of moving samples between the caller and the PCM, without ever
 * waiting, and the wait for the PCM to make room or data.  Every style
 * (blocking, callback, event loop) is built from these two.  All are
 * called with i2s->lock held.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "backend.h"

static bool is_tx(const struct machine_i2s *i2s)
{
	return i2s->cfg.mode == MACHINE_I2S_TX;
}

/*
 * An underrun or overrun (or a suspend): count it and restart the stream
 * where it stood, as MicroPython's DMA would just carry on.  Returns 0 to
 * go on, or -EPIPE when the caller asked to see xruns as errors.
 */
static int recover(struct machine_i2s *i2s, int err, bool count_only)
{
	int ret;

	i2s->xruns++;
	ret = mi2s_pcm_recover(i2s->pcm, err);
	if (ret < 0)
		return mi2s_error(-ret, "%s: cannot recover from %s: %s",
				  i2s->pcm_name, mi2s_pcm_strerror(err),
				  mi2s_pcm_strerror(ret));
	if (!count_only && (i2s->cfg.flags & MACHINE_I2S_XRUN_ERRORS))
		return mi2s_error(EPIPE, is_tx(i2s) ? "underrun" : "overrun");
	return 0;
}

/**
 * mi2s_avail() - frames that can be moved now, starting capture if needed
 * @i2s: an initialised object
 *
 * Return: the frame count, or a negative error code straight from the
 * backend (-EPIPE after an xrun), not yet recovered.
 */
ssize_t mi2s_avail(struct machine_i2s *i2s)
{
	if (!is_tx(i2s)) {
		int err = mi2s_pcm_start(i2s->pcm);

		if (err < 0)
			return err;
	}
	return mi2s_pcm_avail(i2s->pcm);
}

static ssize_t move(struct machine_i2s *i2s, void *buf, size_t n)
{
	ssize_t r;

	if (i2s->direct)
		return is_tx(i2s) ? mi2s_pcm_write(i2s->pcm, buf, n) :
				    mi2s_pcm_read(i2s->pcm, buf, n);
	if (n > i2s->bounce_frames)
		n = i2s->bounce_frames;
	if (is_tx(i2s)) {
		mi2s_convert(i2s->bounce, &i2s->dev, buf, &i2s->app, n);
		return mi2s_pcm_write(i2s->pcm, i2s->bounce, n);
	}
	r = mi2s_pcm_read(i2s->pcm, i2s->bounce, n);
	if (r > 0)
		mi2s_convert(buf, &i2s->app, i2s->bounce, &i2s->dev,
			     (size_t)r);
	return r;
}

/**
 * mi2s_transfer() - move up to @frames frames without waiting
 * @i2s: an initialised object
 * @buf: the caller's samples
 * @frames: how many frames @buf holds
 * @count_only: recover xruns even when the caller wants them as errors
 *
 * Return: frames moved (> 0), -EAGAIN when the PCM has no room or data,
 * or another negative errno value with the message set.
 */
ssize_t mi2s_transfer(struct machine_i2s *i2s, void *buf, size_t frames,
		      bool count_only)
{
	ssize_t avail, r;
	size_t n;
	int err;

	for (;;) {
		n = frames;
		r = 0;
		if (!i2s->direct) {
			/* Convert no more than the PCM takes now. */
			avail = mi2s_avail(i2s);
			if (avail == 0)
				return -EAGAIN;
			if (avail > 0 && (size_t)avail < n)
				n = (size_t)avail;
			r = avail < 0 ? avail : 0;
		} else if (!is_tx(i2s)) {
			r = mi2s_pcm_start(i2s->pcm);
		}
		if (r == 0) {
			r = move(i2s, buf, n);
			if (r > 0) {
				i2s->frames += (uint64_t)r;
				return r;
			}
			if (r == -EAGAIN || r == 0)
				return -EAGAIN;
		}
		if (r != -EPIPE && r != -ESTRPIPE)
			return mi2s_error((int)-r, "%s: %s", i2s->pcm_name,
					  mi2s_pcm_strerror((int)r));
		err = recover(i2s, (int)r, count_only);
		if (err)
			return err;
	}
}

/**
 * mi2s_wait() - wait, with the lock dropped, until the PCM can move frames
 * @i2s: an initialised object
 * @timeout_ms: how long at most; -1 for ever
 *
 * Return: 1 when the PCM reports readiness (or an error state to act on),
 * 0 on timeout, -EINTR when a signal interrupted it and the caller asked
 * to see that (MACHINE_I2S_EINTR), another negative errno value on
 * failure.
 */
int mi2s_wait(struct machine_i2s *i2s, int timeout_ms)
{
	struct pollfd pfds[MI2S_MAX_PFDS];
	unsigned int generation = i2s->generation;
	int n = i2s->npfds, ret, err;

	memcpy(pfds, i2s->pfds, (size_t)n * sizeof(*pfds));
	mi2s_unlock(&i2s->lock);
	ret = poll(pfds, (nfds_t)n, timeout_ms);
	err = errno;
	mi2s_lock(&i2s->lock);
	/* Another thread broke the rules and closed or reopened it. */
	if (!i2s->pcm || i2s->generation != generation)
		return mi2s_error(EBADF, "I2S deinitialised while waiting");
	if (ret < 0 && err == EINTR)
		return i2s->cfg.flags & MACHINE_I2S_EINTR ?
		       mi2s_error(EINTR, "interrupted by a signal") : 1;
	if (ret < 0)
		return mi2s_error(err, "poll: %s", strerror(err));
	if (ret == 0)
		return 0;
	ret = mi2s_pcm_poll_revents(i2s->pcm, pfds, (unsigned int)n);
	if (ret < 0)
		return mi2s_error(-ret, "%s: %s", i2s->pcm_name,
				  mi2s_pcm_strerror(ret));
	return 1;
}

int64_t mi2s_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A transfer that sees no progress for this long fails: the device is
 * dead, and hanging for ever would hide it. */
int mi2s_stall_ms(const struct machine_i2s *i2s)
{
	int64_t ms = (int64_t)i2s->buffer_frames * 4000 / i2s->rate;

	return ms > MI2S_STALL_MIN_MS ? (int)ms : MI2S_STALL_MIN_MS;
}

/**
 * mi2s_report() - set the message for an error found earlier
 * @i2s: the object
 * @err: the negative errno value saved in pending_err
 *
 * Return: @err.
 */
int mi2s_report(struct machine_i2s *i2s, int err)
{
	if (err == -EPIPE)
		return mi2s_error(EPIPE, is_tx(i2s) ? "underrun" : "overrun");
	if (err == -ETIMEDOUT)
		return mi2s_error(ETIMEDOUT, "%s: the device stalled",
				  i2s->pcm_name);
	return mi2s_error(-err, "%s: %s", i2s->pcm_name,
			  mi2s_pcm_strerror(err));
}
