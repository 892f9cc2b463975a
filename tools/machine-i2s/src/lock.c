// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The object's lock and its condition, on futexes.  Every transfer call
 * takes the lock once, nearly always uncontended, and a pthread mutex's
 * lock and unlock cost about as much as the rest of a write() to alsa-lib.
 * Here the uncontended pair is one atomic instruction each, inline in
 * internal.h; these are the paths that wait.  The lock is the three-state
 * mutex of Drepper's "Futexes Are Tricky": 0 free, 1 held, 2 held and
 * maybe waited for.
 */
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

static void futex_wait(_Atomic unsigned int *word, unsigned int val)
{
	/* EINTR and EAGAIN (the word changed) alike: the caller looks again. */
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(_Atomic unsigned int *word, int n)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

/* Take the lock as a waiter: held, and marked as maybe waited for. */
void mi2s_lock_slow(struct mi2s_lock *l)
{
	while (atomic_exchange_explicit(&l->state, 2, memory_order_acquire))
		futex_wait(&l->state, 2);
}

void mi2s_unlock_wake(struct mi2s_lock *l)
{
	futex_wake(&l->state, 1);
}

/**
 * mi2s_cond_wait() - drop the lock, wait for a broadcast, take it again
 * @c: the condition
 * @l: the lock, held
 *
 * May return without a broadcast, as pthread_cond_wait() may: callers
 * wait in a loop on their own test.
 */
void mi2s_cond_wait(struct mi2s_cond *c, struct mi2s_lock *l)
{
	/* Read under the lock: a broadcast after the unlock changes it. */
	unsigned int seq = atomic_load_explicit(&c->seq, memory_order_relaxed);

	mi2s_unlock(l);
	futex_wait(&c->seq, seq);
	mi2s_lock_slow(l);
}

void mi2s_cond_broadcast(struct mi2s_cond *c)
{
	atomic_fetch_add(&c->seq, 1);
	futex_wake(&c->seq, INT_MAX);
}
