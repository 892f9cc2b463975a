// SPDX-License-Identifier: GPL-2.0
/*
 * openi2s_test: an alsa-lib I/O plugin that behaves like timer-paced
 * hardware, for host tests of code written against alsa-lib.
 *
 * After start the hardware position advances at exactly the configured
 * rate against CLOCK_MONOTONIC, wakeups come at period boundaries, and
 * xruns happen when the application falls behind, as on a real card.
 * Playback data is appended to a file, capture data is a known pattern
 * (testpcm.h), and faults (one xrun, one clock stall) can be injected.
 *
 * Everything is computed from the clock when asked: there is no thread.
 * The poll descriptor is an epoll set holding a timerfd, armed for the
 * moment the stream becomes ready (avail reaches avail_min, by default a
 * period), and an eventfd, kept readable for as long as the stream is
 * ready, so that the descriptor is level-triggered like a real PCM's.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>
#include <alsa/pcm_external.h>

#include "testpcm.h"

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_MSEC	1000000ULL
#define OT_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((format(printf, a, b)))

/* What the clock is doing; the ioplug state is not ours to read unlocked. */
enum ot_state {
	OT_SETUP,	/* open, set up, or stopped */
	OT_PREPARED,
	OT_RUNNING,
	OT_DRAINING,	/* playback running until the written data is out */
	OT_PAUSED,
	OT_XRUN,
};

struct ot_pcm {
	snd_pcm_ioplug_t io;
	pthread_mutex_t lock;	/* poll_revents and drain run unlocked */

	int epoll_fd;
	int timer_fd;
	int ready_fd;		/* eventfd: readable while ready */
	bool ready_set;
	uint64_t timer_when;	/* as last armed, 0 = disarmed */
	int record_fd;
	int log_fd;

	/* configuration */
	unsigned int chmin, chmax;
	unsigned int rate_min, rate_max;
	long long xrun_at;	/* frame, -1 = never */
	long long stall_at;	/* frame, -1 = never */
	unsigned int stall_ms;

	/* hw_params and sw_params */
	unsigned int bits;	/* pattern width */
	unsigned int sample_bytes;
	unsigned int frame_bytes;
	snd_pcm_uframes_t boundary;
	snd_pcm_uframes_t avail_min;
	snd_pcm_uframes_t stop_threshold;

	/* run state */
	enum ot_state state;
	bool xrun_armed;	/* once per open */
	bool stall_armed;	/* once per open */
	bool stall_run;		/* this run stalls */
	uint64_t t0;		/* CLOCK_MONOTONIC ns at start */
	uint64_t frozen;	/* position while the clock is stopped */
	snd_pcm_uframes_t appl;	/* last application pointer seen */

	unsigned char *gather;	/* for non-contiguous playback areas */
	size_t gather_size;
};

static uint64_t ot_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* One write() per line, so lines from several PCMs do not interleave. */
static __printf(2, 3) void ot_log(struct ot_pcm *p, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	if (p->log_fd < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(p->log_fd, line, n) != n)
		SNDERR("openi2s_test: cannot write the log");
}

static bool ot_clock_runs(const struct ot_pcm *p)
{
	return p->state == OT_RUNNING || p->state == OT_DRAINING;
}

static uint64_t ot_stall_start_ns(const struct ot_pcm *p)
{
	/* The first instant at which the position reaches stall_at. */
	return ((__uint128_t)p->stall_at * NSEC_PER_SEC +
		p->io.rate - 1) / p->io.rate;
}

/*
 * The position (frames since start) at @now: elapsed time times the rate,
 * with the clock frozen at stall_at for stall_ms.  A pure function of
 * time, so it needs no updating and cannot drift.
 */
static uint64_t ot_position(struct ot_pcm *p, uint64_t now)
{
	uint64_t e, stall_start;

	if (!ot_clock_runs(p))
		return p->frozen;
	e = now > p->t0 ? now - p->t0 : 0;
	if (p->stall_run) {
		stall_start = ot_stall_start_ns(p);
		if (e >= stall_start) {
			p->stall_armed = false;
			if (e < stall_start + p->stall_ms * NSEC_PER_MSEC)
				e = stall_start;
			else
				e -= p->stall_ms * NSEC_PER_MSEC;
		}
	}
	return (__uint128_t)e * p->io.rate / NSEC_PER_SEC;
}

/* The first CLOCK_MONOTONIC time at which the position is @pos or more. */
static uint64_t ot_time_of(const struct ot_pcm *p, uint64_t pos)
{
	uint64_t e = ((__uint128_t)pos * NSEC_PER_SEC + p->io.rate - 1) /
		     p->io.rate;

	if (p->stall_run && (long long)pos > p->stall_at)
		e += p->stall_ms * NSEC_PER_MSEC;
	return p->t0 + e;
}

/* Frames the application can transfer, as alsa-lib counts them. */
static snd_pcm_sframes_t ot_avail(const struct ot_pcm *p, uint64_t pos)
{
	long long hw = pos % p->boundary;
	long long avail;

	if (p->io.stream == SND_PCM_STREAM_PLAYBACK)
		avail = hw + (long long)p->io.buffer_size - (long long)p->appl;
	else
		avail = hw - (long long)p->appl;
	if (avail < 0)
		avail += p->boundary;
	else if (avail >= (long long)p->boundary)
		avail -= p->boundary;
	return avail;
}

static void ot_set_ready(struct ot_pcm *p, bool ready)
{
	uint64_t v = 1;

	if (ready == p->ready_set)
		return;
	if (ready) {
		if (write(p->ready_fd, &v, sizeof(v)) != sizeof(v))
			SNDERR("openi2s_test: eventfd write failed");
	} else {
		if (read(p->ready_fd, &v, sizeof(v)) != sizeof(v))
			SNDERR("openi2s_test: eventfd read failed");
	}
	p->ready_set = ready;
}

static void ot_set_timer(struct ot_pcm *p, uint64_t when)
{
	struct itimerspec its = { 0 };

	/* An unchanged time has not expired yet: no need to re-arm. */
	if (when == p->timer_when)
		return;
	p->timer_when = when;
	/* Re-arming also clears expirations the poller has not read. */
	its.it_value.tv_sec = when / NSEC_PER_SEC;
	its.it_value.tv_nsec = when % NSEC_PER_SEC;
	if (timerfd_settime(p->timer_fd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		SNDERR("openi2s_test: timerfd_settime: %s", strerror(errno));
}

/*
 * Work out whether the stream is ready for the application now (avail at
 * least avail_min, an injected xrun due, drain done, or an error state)
 * and, if not, arm the timer for the moment it will be.  Returns whether
 * it is ready.
 */
static bool ot_rearm(struct ot_pcm *p, uint64_t now)
{
	uint64_t pos, wake = 0, target;
	snd_pcm_sframes_t avail;
	bool ready = false;

	switch (p->state) {
	case OT_SETUP:
	case OT_XRUN:
		/* Like the kernel: POLLERR wakes anyone still waiting. */
		ready = true;
		break;
	case OT_PREPARED:
	case OT_PAUSED:
		/* The clock stands still: nothing will change by itself. */
		ready = ot_avail(p, p->frozen) >= (snd_pcm_sframes_t)p->avail_min;
		break;
	case OT_DRAINING:
		pos = ot_position(p, now);
		avail = ot_avail(p, pos);
		if (avail >= (snd_pcm_sframes_t)p->io.buffer_size)
			ready = true;
		else
			wake = ot_time_of(p, pos + p->io.buffer_size - avail);
		break;
	case OT_RUNNING:
		pos = ot_position(p, now);
		if (p->xrun_armed && p->xrun_at >= 0) {
			if ((long long)pos >= p->xrun_at) {
				ready = true;
				break;
			}
			wake = ot_time_of(p, p->xrun_at);
		}
		avail = ot_avail(p, pos);
		if (avail >= (snd_pcm_sframes_t)p->avail_min) {
			ready = true;
			break;
		}
		/*
		 * When avail reaches avail_min: with the default avail_min
		 * of a period and period-sized transfers that is a period
		 * boundary.  Not rounded up to the next multiple of the
		 * period, or an application that took one frame more after
		 * a late wakeup would wait a whole period extra each time.
		 */
		target = ot_time_of(p, pos + p->avail_min - avail);
		if (!wake || target < wake)
			wake = target;
		break;
	}

	ot_set_ready(p, ready);
	ot_set_timer(p, ready ? 0 : wake);
	return ready;
}

static void ot_xrun(struct ot_pcm *p, uint64_t now, const char *why)
{
	p->frozen = ot_position(p, now);
	p->state = OT_XRUN;
	ot_log(p, "xrun %s", why);
}

static void ot_start_clock(struct ot_pcm *p, uint64_t now)
{
	p->t0 = now;
	p->frozen = 0;
	p->stall_run = p->stall_armed && p->stall_at >= 0 && p->stall_ms;
	p->state = OT_RUNNING;
	ot_log(p, "start");
}

static int ot_start(snd_pcm_ioplug_t *io)
{
	struct ot_pcm *p = io->private_data;
	uint64_t now = ot_now();

	pthread_mutex_lock(&p->lock);
	ot_start_clock(p, now);
	ot_rearm(p, now);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

static int ot_stop(snd_pcm_ioplug_t *io)
{
	struct ot_pcm *p = io->private_data;
	uint64_t now = ot_now();

	pthread_mutex_lock(&p->lock);
	/* alsa-lib also calls this for streams that never ran. */
	if (ot_clock_runs(p) || p->state == OT_PAUSED) {
		p->frozen = ot_position(p, now);
		ot_log(p, "stop");
	}
	p->state = OT_SETUP;
	ot_rearm(p, now);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/*
 * Pausing freezes the position; releasing restarts the clock from there.
 * A stall that has begun is over once paused, one still ahead stays.
 */
static int ot_pause(snd_pcm_ioplug_t *io, int enable)
{
	struct ot_pcm *p = io->private_data;
	uint64_t now = ot_now();

	pthread_mutex_lock(&p->lock);
	if (enable && p->state == OT_RUNNING) {
		p->frozen = ot_position(p, now);
		if (p->stall_run && now - p->t0 >= ot_stall_start_ns(p))
			p->stall_run = false;
		p->state = OT_PAUSED;
		ot_log(p, "pause");
	} else if (!enable && p->state == OT_PAUSED) {
		/* The earliest start from which the position is frozen now. */
		p->t0 = now - ((__uint128_t)p->frozen * NSEC_PER_SEC +
			       io->rate - 1) / io->rate;
		p->state = OT_RUNNING;
		ot_log(p, "pause_release");
	}
	ot_rearm(p, now);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/*
 * Called by alsa-lib with its lock held whenever it wants the position.
 * With SND_PCM_IOPLUG_FLAG_BOUNDARY_WA the result is the position modulo
 * the boundary rather than the buffer size, so any time may pass between
 * two calls.  This is the one place that declares an xrun, because it is
 * the one place where alsa-lib's application pointer can be trusted.
 */
static snd_pcm_sframes_t ot_pointer(snd_pcm_ioplug_t *io)
{
	struct ot_pcm *p = io->private_data;
	uint64_t now = ot_now(), pos;
	snd_pcm_sframes_t ret;

	pthread_mutex_lock(&p->lock);
	if (p->state == OT_XRUN) {
		ret = -EPIPE;
		goto out;
	}
	p->appl = io->appl_ptr;
	pos = ot_position(p, now);
	if (p->state == OT_RUNNING) {
		if (p->xrun_armed && p->xrun_at >= 0 &&
		    (long long)pos >= p->xrun_at) {
			p->xrun_armed = false;
			ot_xrun(p, now, "injected");
			ret = -EPIPE;
			goto out;
		}
		if (ot_avail(p, pos) >= (snd_pcm_sframes_t)p->stop_threshold) {
			ot_xrun(p, now, io->stream == SND_PCM_STREAM_PLAYBACK ?
				"underrun" : "overrun");
			ret = -EPIPE;
			goto out;
		}
	} else if (p->state == OT_DRAINING) {
		/* Draining ends exactly when the last written frame is out. */
		snd_pcm_sframes_t avail = ot_avail(p, pos);

		if (avail > (snd_pcm_sframes_t)io->buffer_size)
			pos -= avail - io->buffer_size;
	}
	ret = pos % p->boundary;
out:
	ot_rearm(p, now);
	pthread_mutex_unlock(&p->lock);
	return ret;
}

static void ot_put_sample(unsigned char *d, snd_pcm_format_t format,
			  int32_t v)
{
	uint32_t u = (uint32_t)v;

	d[0] = u;
	d[1] = u >> 8;
	if (format == SND_PCM_FORMAT_S16_LE)
		return;
	d[2] = u >> 16;
	if (format == SND_PCM_FORMAT_S24_3LE)
		return;
	/* S24_LE is already sign-extended into the top byte. */
	d[3] = u >> 24;
}

static unsigned char *ot_area_ptr(const snd_pcm_channel_area_t *a,
				  snd_pcm_uframes_t frame)
{
	return (unsigned char *)a->addr + (a->first + frame * a->step) / 8;
}

/* Capture: the pattern for the frames at the application pointer. */
static void ot_fill(struct ot_pcm *p, const snd_pcm_channel_area_t *areas,
		    snd_pcm_uframes_t offset, snd_pcm_uframes_t size)
{
	uint64_t frame0 = p->io.appl_ptr;
	snd_pcm_uframes_t i;
	unsigned int c;

	for (i = 0; i < size; i++)
		for (c = 0; c < p->io.channels; c++)
			ot_put_sample(ot_area_ptr(&areas[c], offset + i),
				      p->io.format,
				      testpcm_pattern(frame0 + i, c, p->bits));
}

static bool ot_areas_contiguous(const struct ot_pcm *p,
				const snd_pcm_channel_area_t *areas)
{
	unsigned int c;

	for (c = 0; c < p->io.channels; c++)
		if (areas[c].addr != areas[0].addr ||
		    areas[c].first != areas[0].first + c * p->sample_bytes * 8 ||
		    areas[c].step != p->frame_bytes * 8)
			return false;
	return areas[0].first % 8 == 0;
}

/* Playback: append exactly what the application delivered. */
static int ot_record(struct ot_pcm *p, const snd_pcm_channel_area_t *areas,
		     snd_pcm_uframes_t offset, snd_pcm_uframes_t size)
{
	size_t len = size * p->frame_bytes, done = 0;
	const unsigned char *buf;
	snd_pcm_uframes_t i;
	unsigned int c;
	ssize_t n;

	if (p->record_fd < 0)
		return 0;
	if (ot_areas_contiguous(p, areas)) {
		buf = ot_area_ptr(&areas[0], offset);
	} else {
		if (len > p->gather_size) {
			unsigned char *g = realloc(p->gather, len);

			if (!g)
				return -ENOMEM;
			p->gather = g;
			p->gather_size = len;
		}
		for (i = 0; i < size; i++)
			for (c = 0; c < p->io.channels; c++)
				memcpy(p->gather + i * p->frame_bytes +
				       c * p->sample_bytes,
				       ot_area_ptr(&areas[c], offset + i),
				       p->sample_bytes);
		buf = p->gather;
	}
	while (done < len) {
		n = write(p->record_fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			SNDERR("openi2s_test: cannot write the record file");
			return -EIO;
		}
		done += n;
	}
	return 0;
}

static snd_pcm_sframes_t ot_transfer(snd_pcm_ioplug_t *io,
				     const snd_pcm_channel_area_t *areas,
				     snd_pcm_uframes_t offset,
				     snd_pcm_uframes_t size)
{
	struct ot_pcm *p = io->private_data;
	snd_pcm_sframes_t ret = size;
	int err;

	pthread_mutex_lock(&p->lock);
	if (io->stream == SND_PCM_STREAM_PLAYBACK) {
		err = ot_record(p, areas, offset, size);
		if (err < 0)
			ret = err;
		else
			/* alsa-lib moves appl_ptr on after we return. */
			p->appl = (io->appl_ptr + size) % p->boundary;
	} else {
		/* Also called again for the same frames by mmap_begin. */
		ot_fill(p, areas, offset, size);
	}
	ot_rearm(p, ot_now());
	pthread_mutex_unlock(&p->lock);
	return ret;
}

static int ot_prepare(snd_pcm_ioplug_t *io)
{
	struct ot_pcm *p = io->private_data;

	pthread_mutex_lock(&p->lock);
	p->state = OT_PREPARED;
	p->frozen = 0;
	p->appl = 0;
	p->stall_run = false;
	ot_log(p, "prepare");
	ot_rearm(p, ot_now());
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/*
 * Our own drain rather than ioplug's poll loop: it is logged, it starts a
 * stream that never started, and it honours SND_PCM_NONBLOCK.  alsa-lib
 * drops the stream when this returns 0 and leaves it draining on -EAGAIN;
 * the descriptor then becomes ready when the data is out, and the next
 * snd_pcm_drain() or avail update finishes the job.
 */
static int ot_drain(snd_pcm_ioplug_t *io)
{
	struct ot_pcm *p = io->private_data;
	struct pollfd pfd = { .fd = p->epoll_fd, .events = POLLIN };
	uint64_t now = ot_now(), pos, v;
	int ret = 0;

	pthread_mutex_lock(&p->lock);
	if (io->stream == SND_PCM_STREAM_CAPTURE) {
		/* Nothing to wait for: what was captured is dropped. */
		ot_log(p, "drain");
		goto out;
	}
	if (p->state == OT_PREPARED) {
		/* alsa-lib leaves starting a prepared stream to us. */
		ot_start_clock(p, now);
	}
	if (p->state == OT_RUNNING) {
		p->state = OT_DRAINING;
		ot_log(p, "drain");
	}
	while (p->state == OT_DRAINING) {
		p->appl = io->appl_ptr;
		now = ot_now();
		pos = ot_position(p, now);
		if (ot_avail(p, pos) >= (snd_pcm_sframes_t)io->buffer_size)
			break;
		ot_rearm(p, now);
		if (io->nonblock) {
			ret = -EAGAIN;
			break;
		}
		/* Wakes at the end, or at once if another thread stops us. */
		pthread_mutex_unlock(&p->lock);
		if (poll(&pfd, 1, 1000) < 0 && errno != EINTR)
			ret = -errno;
		pthread_mutex_lock(&p->lock);
		if (read(p->timer_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
			SNDERR("openi2s_test: timerfd read failed");
		if (ret < 0)
			break;
	}
out:
	pthread_mutex_unlock(&p->lock);
	return ret;
}

/*
 * The timer fired or the ready flag is set: tell the application whether
 * it may transfer.  The position is taken from the clock, the application
 * pointer from the last call that could see it; a stale one only causes a
 * spurious wakeup, which alsa-lib's wait loop absorbs.
 */
static int ot_poll_revents(snd_pcm_ioplug_t *io, struct pollfd *pfd,
			   unsigned int nfds, unsigned short *revents)
{
	struct ot_pcm *p = io->private_data;
	unsigned short dir;
	uint64_t v;

	if (nfds != 1 || pfd->fd != p->epoll_fd)
		return -EINVAL;
	dir = io->stream == SND_PCM_STREAM_PLAYBACK ? POLLOUT : POLLIN;

	pthread_mutex_lock(&p->lock);
	if (read(p->timer_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		SNDERR("openi2s_test: timerfd read failed");
	*revents = 0;
	if (ot_rearm(p, ot_now()))
		*revents = dir;
	/* Only where alsa-lib's state agrees, or snd_pcm_wait() says -EIO. */
	if (p->state == OT_XRUN || p->state == OT_SETUP)
		*revents |= POLLERR;
	pthread_mutex_unlock(&p->lock);
	return 0;
}

static int ot_hw_params(snd_pcm_ioplug_t *io, snd_pcm_hw_params_t *params)
{
	struct ot_pcm *p = io->private_data;

	(void)params;
	pthread_mutex_lock(&p->lock);
	p->sample_bytes = snd_pcm_format_physical_width(io->format) / 8;
	p->bits = snd_pcm_format_width(io->format);
	p->frame_bytes = p->sample_bytes * io->channels;
	/* alsa-lib's default; sw_params tells us the real one. */
	p->boundary = io->buffer_size;
	while (p->boundary * 2 <= LONG_MAX - io->buffer_size)
		p->boundary *= 2;
	p->avail_min = io->period_size;
	p->stop_threshold = io->buffer_size;
	p->state = OT_SETUP;
	ot_log(p, "hw_params format=%s channels=%u rate=%u period=%lu buffer=%lu",
	       snd_pcm_format_name(io->format), io->channels, io->rate,
	       io->period_size, io->buffer_size);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

static int ot_sw_params(snd_pcm_ioplug_t *io, snd_pcm_sw_params_t *params)
{
	struct ot_pcm *p = io->private_data;
	snd_pcm_uframes_t v;

	pthread_mutex_lock(&p->lock);
	if (!snd_pcm_sw_params_get_boundary(params, &v) && v)
		p->boundary = v;
	if (!snd_pcm_sw_params_get_avail_min(params, &v))
		p->avail_min = v ? v : 1;
	if (!snd_pcm_sw_params_get_stop_threshold(params, &v))
		p->stop_threshold = v;
	ot_rearm(p, ot_now());
	pthread_mutex_unlock(&p->lock);
	return 0;
}

static void ot_free(struct ot_pcm *p)
{
	if (p->epoll_fd >= 0)
		close(p->epoll_fd);
	if (p->timer_fd >= 0)
		close(p->timer_fd);
	if (p->ready_fd >= 0)
		close(p->ready_fd);
	if (p->record_fd >= 0)
		close(p->record_fd);
	if (p->log_fd >= 0)
		close(p->log_fd);
	pthread_mutex_destroy(&p->lock);
	free(p->gather);
	free(p);
}

static int ot_close(snd_pcm_ioplug_t *io)
{
	struct ot_pcm *p = io->private_data;

	ot_log(p, "close");
	ot_free(p);
	return 0;
}

static const snd_pcm_ioplug_callback_t ot_callback = {
	.start = ot_start,
	.stop = ot_stop,
	.pointer = ot_pointer,
	.transfer = ot_transfer,
	.close = ot_close,
	.hw_params = ot_hw_params,
	.sw_params = ot_sw_params,
	.prepare = ot_prepare,
	.drain = ot_drain,
	.pause = ot_pause,
	.poll_revents = ot_poll_revents,
};

static int ot_set_constraints(struct ot_pcm *p)
{
	static const unsigned int access[] = {
		SND_PCM_ACCESS_RW_INTERLEAVED,
		SND_PCM_ACCESS_MMAP_INTERLEAVED,
	};
	static const unsigned int formats[] = {
		SND_PCM_FORMAT_S16_LE,
		SND_PCM_FORMAT_S24_3LE,
		SND_PCM_FORMAT_S24_LE,
		SND_PCM_FORMAT_S32_LE,
	};
	snd_pcm_ioplug_t *io = &p->io;
	int err;

	err = snd_pcm_ioplug_set_param_list(io, SND_PCM_IOPLUG_HW_ACCESS,
					    OT_ARRAY_SIZE(access), access);
	if (!err)
		err = snd_pcm_ioplug_set_param_list(io, SND_PCM_IOPLUG_HW_FORMAT,
						    OT_ARRAY_SIZE(formats), formats);
	if (!err)
		err = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_CHANNELS,
						      p->chmin, p->chmax);
	if (!err)
		err = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_RATE,
						      p->rate_min, p->rate_max);
	if (!err)
		err = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_PERIOD_BYTES,
						      TESTPCM_PERIOD_BYTES_MIN,
						      TESTPCM_PERIOD_BYTES_MAX);
	if (!err)
		err = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_PERIODS,
						      TESTPCM_PERIODS_MIN,
						      TESTPCM_PERIODS_MAX);
	if (!err)
		err = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_BUFFER_BYTES,
						      2 * TESTPCM_PERIOD_BYTES_MIN,
						      TESTPCM_BUFFER_BYTES_MAX);
	return err;
}

/* Integers may come as integers (from @args) or as strings. */
static int ot_conf_int(snd_config_t *n, const char *id, long long *val)
{
	const char *s;
	char *end;
	long v;

	if (!snd_config_get_integer(n, &v)) {
		*val = v;
		return 0;
	}
	if (!snd_config_get_string(n, &s) && *s) {
		errno = 0;
		*val = strtoll(s, &end, 0);
		if (!errno && !*end)
			return 0;
	}
	SNDERR("openi2s_test: %s needs an integer", id);
	return -EINVAL;
}

static int ot_open_file(const char *path, int flags, const char *what)
{
	int fd = open(path, flags | O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		SNDERR("openi2s_test: cannot open %s %s: %s", what, path,
		       strerror(errno));
	return fd;
}

static int ot_parse(struct ot_pcm *p, snd_config_t *conf,
		    const char **record, const char **log)
{
	snd_config_iterator_t i, next;

	snd_config_for_each(i, next, conf) {
		snd_config_t *n = snd_config_iterator_entry(i);
		const char *id;
		long long v;
		int err;

		if (snd_config_get_id(n, &id) < 0)
			continue;
		if (!strcmp(id, "comment") || !strcmp(id, "type") ||
		    !strcmp(id, "hint"))
			continue;
		if (!strcmp(id, "record") || !strcmp(id, "log")) {
			const char *s;

			if (snd_config_get_string(n, &s) < 0) {
				SNDERR("openi2s_test: %s needs a string", id);
				return -EINVAL;
			}
			*(id[0] == 'r' ? record : log) = s;
			continue;
		}
		err = ot_conf_int(n, id, &v);
		if (err < 0)
			return err;
		if (v < -1 || v > UINT32_MAX) {
			SNDERR("openi2s_test: %s out of range", id);
			return -EINVAL;
		}
		if (!strcmp(id, "chmin"))
			p->chmin = v;
		else if (!strcmp(id, "chmax"))
			p->chmax = v;
		else if (!strcmp(id, "rate_min"))
			p->rate_min = v;
		else if (!strcmp(id, "rate_max"))
			p->rate_max = v;
		else if (!strcmp(id, "xrun"))
			p->xrun_at = v;
		else if (!strcmp(id, "stall"))
			p->stall_at = v;
		else if (!strcmp(id, "stall_ms"))
			p->stall_ms = v;
		else {
			SNDERR("openi2s_test: unknown field %s", id);
			return -EINVAL;
		}
	}
	if (p->chmin < 1 || p->chmax < p->chmin ||
	    p->chmax > TESTPCM_CHANNELS_MAX || p->rate_min < 1 ||
	    p->rate_max < p->rate_min) {
		SNDERR("openi2s_test: bad channel or rate range");
		return -EINVAL;
	}
	return 0;
}

static int ot_open_fds(struct ot_pcm *p)
{
	struct epoll_event ev = { .events = EPOLLIN };

	p->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	p->timer_fd = timerfd_create(CLOCK_MONOTONIC,
				     TFD_NONBLOCK | TFD_CLOEXEC);
	p->ready_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p->epoll_fd < 0 || p->timer_fd < 0 || p->ready_fd < 0)
		return -errno;
	ev.data.fd = p->timer_fd;
	if (epoll_ctl(p->epoll_fd, EPOLL_CTL_ADD, p->timer_fd, &ev) < 0)
		return -errno;
	ev.data.fd = p->ready_fd;
	if (epoll_ctl(p->epoll_fd, EPOLL_CTL_ADD, p->ready_fd, &ev) < 0)
		return -errno;
	return 0;
}

SND_PCM_PLUGIN_DEFINE_FUNC(openi2s_test)
{
	const char *record = NULL, *log = NULL;
	struct ot_pcm *p;
	int err;

	(void)root;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	pthread_mutex_init(&p->lock, NULL);
	p->epoll_fd = p->timer_fd = p->ready_fd = -1;
	p->record_fd = p->log_fd = -1;
	p->chmin = 1;
	p->chmax = 2;
	p->rate_min = 8000;
	p->rate_max = 192000;
	p->xrun_at = -1;
	p->stall_at = -1;

	err = ot_parse(p, conf, &record, &log);
	if (err < 0)
		goto fail;
	err = ot_open_fds(p);
	if (err < 0)
		goto fail;
	if (log && *log) {
		p->log_fd = ot_open_file(log, O_APPEND, "log");
		if (p->log_fd < 0) {
			err = -errno;
			goto fail;
		}
	}
	/* Only playback records: a capture PCM must not truncate it. */
	if (record && *record && stream == SND_PCM_STREAM_PLAYBACK) {
		p->record_fd = ot_open_file(record, O_TRUNC, "record");
		if (p->record_fd < 0) {
			err = -errno;
			goto fail;
		}
	}
	p->xrun_armed = p->xrun_at >= 0;
	p->stall_armed = p->stall_at >= 0;
	p->boundary = LONG_MAX;

	p->io.version = SND_PCM_IOPLUG_VERSION;
	p->io.name = "OpenI2S timer-paced test PCM";
	/*
	 * No SND_PCM_IOPLUG_FLAG_MONOTONIC: ioplug never sets
	 * SND_PCM_INFO_MONOTONIC, so applications (aplay) would compare
	 * monotonic trigger timestamps with gettimeofday().
	 */
	p->io.flags = SND_PCM_IOPLUG_FLAG_BOUNDARY_WA;
	p->io.poll_fd = p->epoll_fd;
	p->io.poll_events = POLLIN;
	p->io.mmap_rw = 0;
	p->io.callback = &ot_callback;
	p->io.private_data = p;

	err = snd_pcm_ioplug_create(&p->io, name, stream, mode);
	if (err < 0)
		goto fail;
	/* alsa-lib 1.2.8 does not pass an open-time SND_PCM_NONBLOCK on. */
	p->io.nonblock = !!(mode & SND_PCM_NONBLOCK);

	err = ot_set_constraints(p);
	if (err < 0) {
		snd_pcm_ioplug_delete(&p->io);
		return err;
	}
	ot_log(p, "open %s",
	       stream == SND_PCM_STREAM_PLAYBACK ? "playback" : "capture");
	pthread_mutex_lock(&p->lock);
	ot_rearm(p, ot_now());
	pthread_mutex_unlock(&p->lock);
	*pcmp = p->io.pcm;
	return 0;

fail:
	ot_free(p);
	return err;
}

SND_PCM_PLUGIN_SYMBOL(openi2s_test);
