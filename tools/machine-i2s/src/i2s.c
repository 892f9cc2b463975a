// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The public machine.I2S object: construction, init/deinit, and the three
 * transfer styles built on io.c's non-waiting step and wait.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"

/* Take the lock of an initialised object, or fail with the message set. */
static int lock_open(struct machine_i2s *i2s)
{
	if (!i2s)
		return mi2s_error(EINVAL, "invalid object");
	mi2s_lock(&i2s->lock);
	if (i2s->pcm)
		return 0;
	mi2s_unlock(&i2s->lock);
	return mi2s_error(EBADF, "I2S is deinitialised");
}

struct machine_i2s *machine_i2s_new(const struct machine_i2s_config *cfg)
{
	struct machine_i2s *i2s;
	int err;

	err = machine_i2s_validate(cfg);
	if (err) {
		errno = -err;
		return NULL;
	}
	i2s = calloc(1, sizeof(*i2s));
	if (!i2s) {
		mi2s_error(ENOMEM, "out of memory");
		return NULL;
	}
	i2s->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	i2s->ready_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (i2s->wake_fd < 0 || i2s->ready_fd < 0) {
		err = mi2s_error(errno, "eventfd: %m");
		goto fail;
	}
	err = machine_i2s_init(i2s, cfg);
	if (!err)
		return i2s;
fail:
	machine_i2s_free(i2s);
	errno = -err;
	return NULL;
}

int machine_i2s_init(struct machine_i2s *i2s,
		     const struct machine_i2s_config *cfg)
{
	int err;

	if (!i2s)
		return mi2s_error(EINVAL, "invalid object");
	err = machine_i2s_deinit(i2s);
	if (err)
		return err;
	err = machine_i2s_validate(cfg);
	if (err)
		return err;
	err = mi2s_claim(cfg->id, cfg->mode, i2s);
	if (err)
		return err;
	mi2s_lock(&i2s->lock);
	err = mi2s_open(i2s, cfg);
	mi2s_unlock(&i2s->lock);
	if (err)
		mi2s_release(cfg->id, cfg->mode, i2s);
	return err;
}

int machine_i2s_deinit(struct machine_i2s *i2s)
{
	if (!i2s)
		return 0;
	mi2s_lock(&i2s->lock);
	if (mi2s_on_worker(i2s)) {
		mi2s_unlock(&i2s->lock);
		return mi2s_error(EDEADLK, "deinit() from the I2S callback");
	}
	if (i2s->pcm) {
		mi2s_worker_stop(i2s);
		i2s->job.active = false;
		i2s->fn = NULL;
		i2s->fn_arg = NULL;
		i2s->notify = false;
		i2s->nonblocking = false;
		/* The device first, then the bus: a new owner can open it. */
		mi2s_close(i2s);
		mi2s_release(i2s->cfg.id, i2s->cfg.mode, i2s);
	}
	mi2s_unlock(&i2s->lock);
	return 0;
}

void machine_i2s_free(struct machine_i2s *i2s)
{
	if (!i2s || machine_i2s_deinit(i2s))
		return;
	if (i2s->wake_fd >= 0)
		close(i2s->wake_fd);
	if (i2s->ready_fd >= 0)
		close(i2s->ready_fd);
	free(i2s);
}

/* The blocking and event-loop styles: move what can be moved, waiting
 * for more unless non-blocking. */
static ssize_t transfer_all(struct machine_i2s *i2s, unsigned char *buf,
			    size_t frames)
{
	unsigned int fb = mi2s_app_frame_bytes(i2s);
	int64_t waiting_since = 0;	/* read the clock only to wait */
	ssize_t r;
	size_t done = 0;
	int w;

	while (done < frames) {
		r = mi2s_transfer(i2s, buf + done * fb, frames - done, false);
		if (r > 0) {
			done += (size_t)r;
			waiting_since = 0;
			continue;
		}
		if (r != -EAGAIN) {
			/* What moved stays moved: report the rest next time. */
			if (!done)
				return r;
			i2s->pending_err = (int)r;
			break;
		}
		if (i2s->nonblocking)
			break;
		if (!waiting_since)
			waiting_since = mi2s_now_ms();
		else if (mi2s_now_ms() - waiting_since > mi2s_stall_ms(i2s))
			return mi2s_error(ETIMEDOUT, "%s: the device stalled",
					  i2s->pcm_name);
		w = mi2s_wait(i2s, mi2s_stall_ms(i2s));
		if (w == -EBADF)
			return w;	/* the buffer layout may be gone */
		if (w == -EINTR) {
			/* Nothing is wrong: return what moved, or -EINTR. */
			if (!done)
				return w;
			break;
		}
		if (w < 0) {
			if (!done)
				return w;
			i2s->pending_err = w;
			break;
		}
	}
	mi2s_ready_update(i2s);
	if (!done && frames)
		return mi2s_error(EAGAIN, "no room or data now");
	return (ssize_t)(done * fb);
}

/*
 * Split a TX write of @len bytes into the frame that completes the kept
 * partial frame (*@head bytes of @len), whole frames (*@body bytes) and
 * a new partial frame (*@tail bytes), which write() keeps; RX has none.
 */
static void split(const struct machine_i2s *i2s, size_t len, size_t *head,
		  size_t *body, size_t *tail)
{
	size_t fb = mi2s_app_frame_bytes(i2s);

	*head = 0;
	if (i2s->carry_len)
		*head = len < fb - i2s->carry_len ? len : fb - i2s->carry_len;
	*body = (len - *head) / fb * fb;
	*tail = len - *head - *body;
}

/* Keep @n more bytes of a partial frame. */
static void keep(struct machine_i2s *i2s, const unsigned char *bytes,
		 size_t n)
{
	memcpy(i2s->carry + i2s->carry_len, bytes, n);
	i2s->carry_len += (unsigned int)n;
}

/* Callback style: queue the transfer for the worker; the caller goes on. */
static ssize_t queue_job(struct machine_i2s *i2s, unsigned char *bytes,
			 size_t len)
{
	unsigned int fb = mi2s_app_frame_bytes(i2s);
	struct mi2s_job *job = &i2s->job;
	size_t head, body, tail;

	split(i2s, len, &head, &body, &tail);
	job->head_len = 0;
	if (i2s->carry_len + head == fb) {
		memcpy(job->head, i2s->carry, i2s->carry_len);
		memcpy(job->head + i2s->carry_len, bytes, head);
		job->head_len = fb;
		i2s->carry_len = 0;
	} else {
		keep(i2s, bytes, head);	/* still short of a frame */
	}
	job->buf = bytes + head;
	job->len = body;
	job->done = 0;
	job->active = true;
	keep(i2s, bytes + head + body, tail);
	mi2s_worker_kick(i2s);
	return (ssize_t)len;
}

/*
 * The common write(): whole frames in the device's own layout, no partial
 * frame kept.  One mi2s_pcm_write() and nothing else, so the library
 * costs little more than a bare writei() loop.  What it leaves, an error
 * included, goes to write_split(), the general way, which meets the error
 * again and handles it.  Returns the bytes moved (0 when nothing did).
 */
static size_t write_direct(struct machine_i2s *i2s, const void *bytes,
			   size_t len)
{
	unsigned int fb = mi2s_app_frame_bytes(i2s);
	ssize_t r;

	if (!i2s->direct || i2s->carry_len || len % fb)
		return 0;
	r = mi2s_pcm_write(i2s->pcm, bytes, len / fb);
	if (r <= 0)
		return 0;
	i2s->frames += (uint64_t)r;
	return (size_t)r * fb;
}

/* write_rest() the general way: partial frames kept, waiting for room. */
static __attribute__((noinline)) ssize_t
write_split(struct machine_i2s *i2s, unsigned char *bytes, size_t len)
{
	unsigned int fb = mi2s_app_frame_bytes(i2s);
	unsigned char frame[MI2S_MAX_FRAME];
	size_t head, body, tail;
	ssize_t r;

	split(i2s, len, &head, &body, &tail);
	if (i2s->carry_len + len < fb) {
		keep(i2s, bytes, len);	/* still short of a frame */
		return (ssize_t)len;
	}
	if (head) {
		memcpy(frame, i2s->carry, i2s->carry_len);
		memcpy(frame + i2s->carry_len, bytes, head);
		r = transfer_all(i2s, frame, 1);
		if (r < 0)
			return r;	/* nothing taken: the bytes stay the caller's */
		i2s->carry_len = 0;
	}
	r = body ? transfer_all(i2s, bytes + head, body / fb) : 0;
	if (r < 0) {
		if (!head || r == -EBADF)
			return r;
		/* The completed frame moved: report the rest next time. */
		if (r != -EAGAIN && r != -EINTR)
			i2s->pending_err = (int)r;
		return (ssize_t)head;
	}
	if ((size_t)r == body)
		keep(i2s, bytes + head + body, tail);
	else
		tail = 0;
	return (ssize_t)(head + (size_t)r + tail);
}

/*
 * The blocking and event-loop styles of write(), once @done bytes moved
 * with one mi2s_pcm_write().
 */
static ssize_t write_rest(struct machine_i2s *i2s, unsigned char *bytes,
			  size_t len, size_t done)
{
	ssize_t r;

	if (done == len) {
		mi2s_ready_update(i2s);
		return (ssize_t)len;
	}
	if (!done)
		return write_split(i2s, bytes, len);
	/* Short, and non-blocking: the device is full, that is all. */
	if (i2s->nonblocking) {
		mi2s_ready_update(i2s);
		return (ssize_t)done;
	}
	/*
	 * Short and blocking: the rest goes the general way.  What moved
	 * stays moved, as there; a stall or a closed object fails the call.
	 */
	r = write_split(i2s, bytes + done, len - done);
	if (r == -EBADF || r == -ETIMEDOUT)
		return r;
	if (r < 0) {
		if (r != -EINTR && r != -EAGAIN)
			i2s->pending_err = (int)r;
		r = 0;
	}
	return (ssize_t)done + r;
}

/* Inlined into write() and readinto(), so each keeps only its checks. */
static inline __attribute__((always_inline)) ssize_t
start_io(struct machine_i2s *i2s, void *buf, size_t len, int mode)
{
	size_t fb;
	ssize_t ret;

	ret = lock_open(i2s);
	if (ret)
		return ret;
	if (i2s->cfg.mode != mode) {
		ret = mi2s_error(EPERM, mode == MACHINE_I2S_TX ?
				 "write() on an RX object" :
				 "readinto() on a TX object");
		goto out;
	}
	fb = mi2s_app_frame_bytes(i2s);
	if (!buf && len) {
		ret = mi2s_error(EINVAL, "invalid buffer");
		goto out;
	}
	if (mode == MACHINE_I2S_RX && len % fb) {
		ret = mi2s_error(EINVAL, "buffer length %zu is not a multiple of the %zu-byte frame",
				 len, fb);
		goto out;
	}
	if (i2s->job.active) {
		ret = mi2s_error(EBUSY, "the previous transfer is still in progress");
		goto out;
	}
	if (i2s->pending_err) {
		ret = mi2s_report(i2s, i2s->pending_err);
		i2s->pending_err = 0;
		goto out;
	}
	if (!len)
		ret = 0;
	else if (i2s->fn)
		ret = queue_job(i2s, buf, len);
	else if (mode == MACHINE_I2S_TX)
		ret = write_rest(i2s, buf, len, write_direct(i2s, buf, len));
	else
		ret = transfer_all(i2s, buf, len / fb);
out:
	mi2s_unlock(&i2s->lock);
	return ret;
}

/* write() after a short mi2s_pcm_write() of @r; unlocks. */
static __attribute__((noinline)) ssize_t
write_short(struct machine_i2s *i2s, unsigned char *bytes, size_t len,
	    ssize_t r)
{
	ssize_t ret;

	if (r > 0)
		i2s->frames += (uint64_t)r;
	ret = write_rest(i2s, bytes, len,
			 r > 0 ? (size_t)r * mi2s_app_frame_bytes(i2s) : 0);
	mi2s_unlock(&i2s->lock);
	return ret;
}

/* Out of line, so that write()'s own path saves few registers. */
static __attribute__((noinline)) ssize_t
write_general(struct machine_i2s *i2s, unsigned char *bytes, size_t len)
{
	return start_io(i2s, bytes, len, MACHINE_I2S_TX);
}

ssize_t machine_i2s_write(struct machine_i2s *i2s, const void *buf,
			  size_t len)
{
	/* TX only reads from buf; the casts serve the shared code paths. */
	unsigned char *bytes = (unsigned char *)buf;
	size_t fb;
	ssize_t r;
	ssize_t ret;

	/*
	 * Nearly every call: whole frames the device takes as they are, no
	 * callback, nothing left over from an earlier call.  Its checks are
	 * the general path's, cut to what this case needs, so that the
	 * library costs little more than the snd_pcm_writei() it makes
	 * (mi2s_pcm_write() is that, see backend.h).
	 */
	if (!i2s || !bytes)
		return write_general(i2s, bytes, len);
	mi2s_lock(&i2s->lock);
	fb = mi2s_app_frame_bytes(i2s);
	/* One test for both: neither is set on this path. */
	if (!i2s->tx_direct || i2s->fn ||
	    (i2s->carry_len | (unsigned int)i2s->pending_err) || len % fb) {
		mi2s_unlock(&i2s->lock);
		return write_general(i2s, bytes, len);
	}
	/* Whole frames: len 0 moves none, and returns 0 as the general path. */
	r = mi2s_pcm_write(i2s->pcm, bytes, len / fb);
	if (__builtin_expect((size_t)r != len / fb, 0))
		return write_short(i2s, bytes, len, r);
	i2s->frames += (uint64_t)r;
	if (i2s->notify)
		mi2s_ready_update(i2s);
	ret = (ssize_t)len;
	mi2s_unlock(&i2s->lock);
	return ret;
}

ssize_t machine_i2s_readinto(struct machine_i2s *i2s, void *buf, size_t len)
{
	return start_io(i2s, buf, len, MACHINE_I2S_RX);
}

/* Wait until no transfer is queued and the callback is not running. */
static void wait_job(struct machine_i2s *i2s)
{
	while (i2s->job.active || i2s->in_callback)
		mi2s_cond_wait(&i2s->changed, &i2s->lock);
}

/*
 * Play out what is queued without holding the lock for that long: start
 * a non-blocking drain once, then look at the state every few ms (a
 * draining PCM polls ready all the time, so poll() would spin).
 */
static int drain_locked(struct machine_i2s *i2s)
{
	unsigned int generation = i2s->generation;
	int64_t deadline;
	struct timespec nap;
	int err, slept, why;

	deadline = mi2s_now_ms() + mi2s_stall_ms(i2s) +
		   (int64_t)i2s->buffer_frames * 1000 / i2s->rate;
	nap.tv_sec = 0;
	nap.tv_nsec = (long)(i2s->period_frames * 1000000000ULL / i2s->rate);
	if (nap.tv_nsec > 10000000)
		nap.tv_nsec = 10000000;
	err = mi2s_pcm_drain(i2s->pcm, false);
	while (err == -EAGAIN) {
		err = mi2s_pcm_drain(i2s->pcm, true);
		if (err != -EAGAIN)
			break;
		if (mi2s_now_ms() > deadline)
			return mi2s_error(ETIMEDOUT, "%s: the device stalled",
					  i2s->pcm_name);
		mi2s_unlock(&i2s->lock);
		slept = nanosleep(&nap, NULL);
		why = errno;
		mi2s_lock(&i2s->lock);
		if (!i2s->pcm || i2s->generation != generation)
			return mi2s_error(EBADF, "I2S deinitialised while draining");
		/* Still draining: a second drain() goes on waiting. */
		if (slept < 0 && why == EINTR &&
		    (i2s->cfg.flags & MACHINE_I2S_EINTR))
			return mi2s_error(EINTR, "interrupted by a signal");
	}
	if (err == -EPIPE) {
		i2s->xruns++;	/* an underrun at the very end: all played */
		err = 0;
	}
	if (err < 0)
		err = mi2s_error(-err, "%s: drain: %s", i2s->pcm_name,
				 mi2s_pcm_strerror(err));
	return err;
}

int machine_i2s_drain(struct machine_i2s *i2s)
{
	int err = lock_open(i2s);

	if (err)
		return err;
	if (i2s->cfg.mode != MACHINE_I2S_TX) {
		err = mi2s_error(EPERM, "drain() on an RX object");
	} else if (mi2s_on_worker(i2s)) {
		err = mi2s_error(EDEADLK, "drain() from the I2S callback");
	} else {
		wait_job(i2s);
		if (i2s->pcm)
			err = drain_locked(i2s);
		if (i2s->pcm)
			mi2s_ready_update(i2s);
	}
	mi2s_unlock(&i2s->lock);
	return err;
}

int machine_i2s_irq(struct machine_i2s *i2s, machine_i2s_callback fn,
		    void *arg)
{
	int err;

	if (i2s && !fn && arg)
		return mi2s_error(EINVAL, "invalid callback");
	err = lock_open(i2s);
	if (err)
		return err;
	if (mi2s_on_worker(i2s)) {
		err = mi2s_error(EDEADLK, "irq() from the I2S callback");
	} else if (fn) {
		err = mi2s_worker_start(i2s);
		if (!err) {
			i2s->fn = fn;
			i2s->fn_arg = arg;
		}
	} else {
		wait_job(i2s);
		i2s->fn = NULL;
		i2s->fn_arg = NULL;
	}
	mi2s_unlock(&i2s->lock);
	return err;
}

int machine_i2s_set_nonblocking(struct machine_i2s *i2s, bool nonblocking)
{
	if (!i2s)
		return mi2s_error(EINVAL, "invalid object");
	mi2s_lock(&i2s->lock);
	i2s->nonblocking = nonblocking;
	mi2s_unlock(&i2s->lock);
	return 0;
}

int machine_i2s_fileno(struct machine_i2s *i2s)
{
	int err = lock_open(i2s);

	if (err)
		return err;
	err = mi2s_worker_start(i2s);
	if (!err) {
		i2s->notify = true;
		mi2s_worker_kick(i2s);
	}
	mi2s_unlock(&i2s->lock);
	return err ? err : i2s->ready_fd;
}

int machine_i2s_get_stats(struct machine_i2s *i2s,
			  struct machine_i2s_stats *st)
{
	unsigned int fb;
	ssize_t avail;
	int err;

	if (!st)
		return mi2s_error(EINVAL, "invalid object");
	err = lock_open(i2s);
	if (err)
		return err;
	fb = mi2s_app_frame_bytes(i2s);
	memset(st, 0, sizeof(*st));
	st->frames = i2s->frames;
	st->xruns = i2s->xruns;
	st->buffer_bytes = i2s->buffer_frames * fb;
	st->period_bytes = i2s->period_frames * fb;
	avail = mi2s_pcm_avail(i2s->pcm);
	if (avail < 0)		/* in an xrun: nothing to play or all lost */
		avail = i2s->cfg.mode == MACHINE_I2S_TX ?
			(ssize_t)i2s->buffer_frames : 0;
	if (i2s->cfg.mode == MACHINE_I2S_TX)
		avail = (ssize_t)i2s->buffer_frames - avail;
	st->fill_bytes = (size_t)(avail > 0 ? avail : 0) * fb;
	st->device_channels = i2s->dev.channels;
	st->device_bits = i2s->dev.bits;
	st->device_rate = i2s->rate;
	mi2s_unlock(&i2s->lock);
	return 0;
}

const char *machine_i2s_device(const struct machine_i2s *i2s)
{
	return i2s ? i2s->pcm_name : NULL;
}
