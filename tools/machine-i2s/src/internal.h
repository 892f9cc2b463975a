/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libmachine-i2s internals shared between its source files. */
#ifndef MACHINE_I2S_INTERNAL_H
#define MACHINE_I2S_INTERNAL_H

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "machine_i2s.h"

#define MI2S_MAX_PFDS		8	/* PCM poll descriptors handled */
#define MI2S_MAX_FRAME		8	/* bytes: 32-bit STEREO */
#define MI2S_STALL_MIN_MS	2000	/* see mi2s_stall_ms() */

/* error.c: set the calling thread's message; returns -@err for chaining */
int mi2s_error(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* config.c: the pure argument checks */
unsigned int mi2s_frame_bytes(const struct machine_i2s_config *cfg);

/*
 * shift.c: use the loops built for @isa ("base", "avx2", "avx512", and on
 * x86 the portable "generic"), so that tests reach each; returns false if
 * this build or CPU has none.
 */
bool mi2s_shift_use(const char *isa);

/* convert.c: between the caller's layout and the device's */
struct mi2s_layout {
	unsigned int bytes;	/* container bytes per sample: 2, 3 or 4 */
	unsigned int bits;	/* significant bits, MSB-aligned in a shift */
	unsigned int channels;
};

void mi2s_convert(void *dst, const struct mi2s_layout *dl, const void *src,
		  const struct mi2s_layout *sl, size_t frames);

/* lock.c: the object's lock and condition (no initialisation: all 0) */
struct mi2s_lock {
	_Atomic unsigned int state;	/* 0 free, 1 held, 2 maybe waited for */
};

struct mi2s_cond {
	_Atomic unsigned int seq;	/* bumped by every broadcast */
};

void mi2s_lock_slow(struct mi2s_lock *l);
void mi2s_unlock_wake(struct mi2s_lock *l);
void mi2s_cond_wait(struct mi2s_cond *c, struct mi2s_lock *l);
void mi2s_cond_broadcast(struct mi2s_cond *c);

static inline void mi2s_lock(struct mi2s_lock *l)
{
	unsigned int free = 0;

	if (!atomic_compare_exchange_strong_explicit(&l->state, &free, 1,
						     memory_order_acquire,
						     memory_order_relaxed))
		mi2s_lock_slow(l);
}

static inline void mi2s_unlock(struct mi2s_lock *l)
{
	if (atomic_exchange_explicit(&l->state, 0, memory_order_release) == 2)
		mi2s_unlock_wake(l);
}

/* device.c: id mapping, per-id table, stream setup */
char *mi2s_pcm_name(const struct machine_i2s_config *cfg);
int mi2s_claim(int id, int mode, struct machine_i2s *i2s);
void mi2s_release(int id, int mode, struct machine_i2s *i2s);

/*
 * The transfer the callback thread is working on: a frame completed from
 * the previous write's partial frame (head, when head_len is not 0),
 * then the caller's whole frames.
 */
struct mi2s_job {
	unsigned char head[MI2S_MAX_FRAME];
	unsigned int head_len;
	unsigned char *buf;
	size_t len;
	size_t done;
	bool active;
};

struct mi2s_pcm;	/* backend.h's stream */

struct machine_i2s {
	struct mi2s_lock lock;	/* everything below, and all PCM calls */
	struct mi2s_cond changed;	/* job done, worker state changed */

	struct machine_i2s_config cfg;	/* valid while pcm != NULL */
	char *pcm_name;
	struct mi2s_pcm *pcm;
	struct pollfd *pfds;	/* the PCM's, then wake_fd last */
	int npfds;

	struct mi2s_layout app;	/* the caller's samples */
	unsigned int app_frame;	/* bytes of an app frame, for write()'s path */
	struct mi2s_layout dev;	/* the device's */
	bool direct;		/* same layout: no conversion */
	bool tx_direct;		/* open for TX, direct */
	unsigned char *bounce;	/* conversion buffer of bounce_frames */
	size_t bounce_frames;
	size_t buffer_frames;
	size_t period_frames;
	unsigned int rate;

	uint64_t frames;
	uint64_t xruns;
	unsigned char carry[MI2S_MAX_FRAME];	/* a TX partial frame */
	unsigned int carry_len;
	bool nonblocking;
	int pending_err;	/* to return from the next transfer call */
	unsigned int generation;	/* bumped at every close */

	machine_i2s_callback fn;
	void *fn_arg;
	struct mi2s_job job;
	bool in_callback;	/* fn is running on the worker */

	pthread_t worker;
	bool worker_running;
	bool worker_stop;
	bool notify;		/* keep ready_fd up to date */
	bool ready;		/* ready_fd holds a count */
	int wake_fd;		/* eventfd: wakes the worker */
	int ready_fd;		/* eventfd: machine_i2s_fileno() */
};

/* Bytes of one frame of the caller's samples. */
static inline unsigned int mi2s_app_frame_bytes(const struct machine_i2s *i2s)
{
	return i2s->app_frame;
}

/* device.c */
int mi2s_open(struct machine_i2s *i2s, const struct machine_i2s_config *cfg);
void mi2s_close(struct machine_i2s *i2s);

/* io.c: all called with i2s->lock held */
ssize_t mi2s_transfer(struct machine_i2s *i2s, void *buf, size_t frames,
		      bool recover_only);
int mi2s_wait(struct machine_i2s *i2s, int timeout_ms);
ssize_t mi2s_avail(struct machine_i2s *i2s);
int mi2s_stall_ms(const struct machine_i2s *i2s);
int64_t mi2s_now_ms(void);
int mi2s_report(struct machine_i2s *i2s, int err);

/* worker.c */
int mi2s_worker_start(struct machine_i2s *i2s);
void mi2s_worker_stop(struct machine_i2s *i2s);
void mi2s_worker_kick(struct machine_i2s *i2s);
void mi2s_ready_update(struct machine_i2s *i2s);
bool mi2s_on_worker(struct machine_i2s *i2s);

#endif
