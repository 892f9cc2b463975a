// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The library's one thread per object, started on demand: it moves the
 * data of a callback-mode transfer and calls the callback, and it keeps
 * machine_i2s_fileno()'s eventfd readable exactly while the PCM can make
 * progress.  It never runs from a signal handler.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"

static void eventfd_set(int fd)
{
	uint64_t one = 1;

	while (write(fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
}

static void eventfd_clear(int fd)
{
	uint64_t count;

	while (read(fd, &count, sizeof(count)) < 0 && errno == EINTR)
		;
}

static void set_ready(struct machine_i2s *i2s, bool ready)
{
	if (ready == i2s->ready)
		return;
	i2s->ready = ready;
	if (ready)
		eventfd_set(i2s->ready_fd);
	else
		eventfd_clear(i2s->ready_fd);
}

/* Wake the worker so that it looks at the object's state again. */
void mi2s_worker_kick(struct machine_i2s *i2s)
{
	if (i2s->worker_running)
		eventfd_set(i2s->wake_fd);
}

bool mi2s_on_worker(struct machine_i2s *i2s)
{
	return i2s->worker_running && pthread_equal(pthread_self(), i2s->worker);
}

/*
 * Ready means a period's worth can move, as ALSA's own poll() means, so
 * that an event loop moves whole periods instead of waking per frame; an
 * error state is ready too, for the caller's next call to handle.
 */
static bool worth_waking(struct machine_i2s *i2s, ssize_t avail)
{
	return avail < 0 || (size_t)avail >= i2s->period_frames;
}

/**
 * mi2s_ready_update() - bring the fileno() descriptor up to date
 * @i2s: an initialised object, lock held
 *
 * Called after the caller moved data: when less than a period can move
 * the descriptor goes quiet and the worker waits on the PCM again.
 */
void mi2s_ready_update(struct machine_i2s *i2s)
{
	if (!i2s->notify)
		return;
	if (!worth_waking(i2s, mi2s_avail(i2s))) {
		set_ready(i2s, false);
		mi2s_worker_kick(i2s);
	} else {
		set_ready(i2s, true);
	}
}

/*
 * Finish a callback-mode transfer and run the callback without the lock.
 * A failed transfer still calls back, so the program is not left waiting;
 * its error comes from the next write()/readinto().
 */
static void complete_job(struct machine_i2s *i2s, int err)
{
	machine_i2s_callback fn = i2s->fn;
	void *arg = i2s->fn_arg;

	i2s->job.active = false;
	if (err)
		i2s->pending_err = err;
	if (fn) {
		i2s->in_callback = true;
		mi2s_unlock(&i2s->lock);
		fn(i2s, arg);
		mi2s_lock(&i2s->lock);
		i2s->in_callback = false;
	}
	mi2s_cond_broadcast(&i2s->changed);
}

enum mi2s_next {
	MI2S_AGAIN,	/* progress: look again at once */
	MI2S_POLL_PCM,	/* wait for the PCM (or a kick) */
	MI2S_SLEEP,	/* wait for a kick only */
};

/* One round of work: what to do next. */
static enum mi2s_next work(struct machine_i2s *i2s, int64_t *stalled_since)
{
	unsigned int fb = mi2s_app_frame_bytes(i2s);
	struct mi2s_job *job = &i2s->job;
	ssize_t r;
	bool ready;

	if (job->active) {
		if (!job->head_len && job->done == job->len) {
			complete_job(i2s, 0);
			return MI2S_AGAIN;
		}
		/* The frame completing the last partial one goes first. */
		if (job->head_len)
			r = mi2s_transfer(i2s, job->head, 1, true);
		else
			r = mi2s_transfer(i2s, job->buf + job->done,
					  (job->len - job->done) / fb, true);
		if (r > 0) {
			*stalled_since = 0;
			if (job->head_len)
				job->head_len = 0;
			else
				job->done += (size_t)r * fb;
			return MI2S_AGAIN;
		}
		if (r == -EAGAIN) {
			if (!*stalled_since)
				*stalled_since = mi2s_now_ms();
			if (mi2s_now_ms() - *stalled_since <= mi2s_stall_ms(i2s))
				return MI2S_POLL_PCM;
			r = -ETIMEDOUT;
		}
		*stalled_since = 0;
		complete_job(i2s, (int)r);
		return MI2S_AGAIN;
	}
	if (!i2s->notify)
		return MI2S_SLEEP;
	ready = worth_waking(i2s, mi2s_avail(i2s));
	set_ready(i2s, ready);
	return ready ? MI2S_SLEEP : MI2S_POLL_PCM;
}

static void *worker_main(void *data)
{
	struct machine_i2s *i2s = data;
	struct pollfd pfds[MI2S_MAX_PFDS + 1];
	int64_t stalled_since = 0;
	enum mi2s_next next;
	int n;

	mi2s_lock(&i2s->lock);
	while (!i2s->worker_stop) {
		next = work(i2s, &stalled_since);
		if (i2s->worker_stop)
			break;
		if (next == MI2S_AGAIN)
			continue;
		n = next == MI2S_POLL_PCM ? i2s->npfds : 0;
		memcpy(pfds, i2s->pfds, (size_t)n * sizeof(*pfds));
		pfds[n].fd = i2s->wake_fd;
		pfds[n].events = POLLIN;
		pfds[n].revents = 0;
		mi2s_unlock(&i2s->lock);
		/* A stalled job is noticed even if the PCM never wakes us. */
		poll(pfds, (nfds_t)n + 1, i2s->job.active ? 500 : -1);
		mi2s_lock(&i2s->lock);
		if (pfds[n].revents & POLLIN)
			eventfd_clear(i2s->wake_fd);
		if (n)
			mi2s_pcm_poll_revents(i2s->pcm, pfds, (unsigned int)n);
	}
	mi2s_unlock(&i2s->lock);
	return NULL;
}

/**
 * mi2s_worker_start() - start the object's thread if it is not running
 * @i2s: an initialised object, lock held
 *
 * Return: 0 or a negative errno value with the message set.
 */
int mi2s_worker_start(struct machine_i2s *i2s)
{
	sigset_t all, old;
	int err;

	if (i2s->worker_running)
		return 0;
	i2s->worker_stop = false;
	/* Signals are the program's business: the thread takes none. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&i2s->worker, NULL, worker_main, i2s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return mi2s_error(err, "cannot start the I2S thread");
	i2s->worker_running = true;
	return 0;
}

/**
 * mi2s_worker_stop() - stop and join the object's thread
 * @i2s: the object, lock held (dropped while joining)
 *
 * Must not be called from the thread itself.
 */
void mi2s_worker_stop(struct machine_i2s *i2s)
{
	if (!i2s->worker_running)
		return;
	i2s->worker_stop = true;
	eventfd_set(i2s->wake_fd);
	mi2s_unlock(&i2s->lock);
	pthread_join(i2s->worker, NULL);
	mi2s_lock(&i2s->lock);
	i2s->worker_running = false;
	eventfd_clear(i2s->wake_fd);
	set_ready(i2s, false);
}
