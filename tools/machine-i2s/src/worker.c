// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The library's one thread per object, started on demand: it moves the
 * data of a callback-mode transfer and calls the callback, and it keeps
 * machine_i2s_fileno()'s eventfd readable exactly while the PCM can make
 * progress.  It never runs from a signal handler.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <unistd.h>

#include "internal.h"

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
static bool worth_waking(struct machine_i2s *i2s, snd_pcm_sframes_t avail)
{
	return avail < 0 || (snd_pcm_uframes_t)avail >= i2s->period_frames;
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

/* Finish a callback-mode transfer and run the callback without the lock. */
static void complete_job(struct machine_i2s *i2s)
{
	machine_i2s_callback fn = i2s->fn;
	void *arg = i2s->fn_arg;

	i2s->job.active = false;
	pthread_cond_broadcast(&i2s->changed);
	if (!fn)
		return;
	pthread_mutex_unlock(&i2s->lock);
	fn(i2s, arg);
	pthread_mutex_lock(&i2s->lock);
}

/* One round of work; returns whether the PCM's descriptors must be polled. */
static bool work(struct machine_i2s *i2s)
{
	unsigned int fb = i2s->app.bytes * i2s->app.channels;
	snd_pcm_sframes_t r;

	if (i2s->job.active) {
		struct mi2s_job *job = &i2s->job;

		r = mi2s_transfer(i2s, job->buf + job->done,
				  (job->len - job->done) / fb, true);
		if (r > 0) {
			job->done += (size_t)r * fb;
			if (job->done == job->len)
				complete_job(i2s);
			return false;
		}
		if (r == -EAGAIN)
			return true;
		/* The device failed: give the buffer back rather than hang. */
		complete_job(i2s);
		return false;
	}
	if (i2s->notify) {
		bool ready = worth_waking(i2s, mi2s_avail(i2s));

		set_ready(i2s, ready);
		return !ready;
	}
	return false;
}

static void *worker_main(void *data)
{
	struct machine_i2s *i2s = data;
	struct pollfd pfds[9];
	unsigned short revents;
	int n;

	pthread_mutex_lock(&i2s->lock);
	while (!i2s->worker_stop) {
		bool poll_pcm = work(i2s);

		if (i2s->worker_stop)
			break;
		/* Progress was made: look again before sleeping. */
		if (!poll_pcm && i2s->job.active)
			continue;
		n = poll_pcm ? i2s->npfds : 0;
		if (n > 8)
			n = 8;
		for (int i = 0; i < n; i++)
			pfds[i] = i2s->pfds[i];
		pfds[n].fd = i2s->wake_fd;
		pfds[n].events = POLLIN;
		pfds[n].revents = 0;
		pthread_mutex_unlock(&i2s->lock);
		poll(pfds, (nfds_t)n + 1, -1);
		pthread_mutex_lock(&i2s->lock);
		if (pfds[n].revents & POLLIN)
			eventfd_clear(i2s->wake_fd);
		if (n && i2s->pcm)
			snd_pcm_poll_descriptors_revents(i2s->pcm, pfds,
							 (unsigned int)n,
							 &revents);
	}
	pthread_mutex_unlock(&i2s->lock);
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
	int err;

	if (i2s->worker_running)
		return 0;
	i2s->worker_stop = false;
	err = pthread_create(&i2s->worker, NULL, worker_main, i2s);
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
	pthread_mutex_unlock(&i2s->lock);
	pthread_join(i2s->worker, NULL);
	pthread_mutex_lock(&i2s->lock);
	i2s->worker_running = false;
	eventfd_clear(i2s->wake_fd);
	set_ready(i2s, false);
}
