/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmachine-i2s: MicroPython's machine.I2S, in C, on ALSA PCM.
 *
 * A MicroPython I2S program maps onto this API line by line:
 *
 *   MicroPython                         C
 *   I2S(id, mode=I2S.TX, bits=16, ...)   machine_i2s_new(&cfg)
 *   i2s.init(...)                       machine_i2s_init(i2s, &cfg)
 *   i2s.deinit()                        machine_i2s_deinit(i2s)
 *   i2s.write(buf)                      machine_i2s_write(i2s, buf, len)
 *   i2s.readinto(buf)                   machine_i2s_readinto(i2s, buf, len)
 *   i2s.irq(handler)                    machine_i2s_irq(i2s, handler, arg)
 *   I2S.shift(buf=b, bits=16, shift=s)  machine_i2s_shift(b, len, 16, s)
 *   ValueError("invalid rate")          return -EINVAL, and
 *                                       machine_i2s_last_error() is
 *                                       "invalid rate"
 *
 * and adds what MicroPython lacks: a pollable descriptor and partial
 * non-blocking transfers for event loops, visible underrun/overrun
 * counters, TX and RX on one bus at once, and a saturating shift.
 *
 * ERRORS
 *   Functions returning int or ssize_t return a negative errno value on
 *   failure and set a message readable with machine_i2s_last_error().
 *   machine_i2s_new() returns NULL and sets errno.  Configuration errors
 *   are -EINVAL with MicroPython's own texts: "invalid id", "invalid mode",
 *   "invalid bits", "invalid format", "invalid rate", "invalid ibuf",
 *   "invalid callback"; a bus id without a card is "invalid id" with
 *   -ENODEV.  Writing to an RX object or reading from a TX object is
 *   -EPERM; a readinto() length that is not a whole number of frames is
 *   -EINVAL, as in MicroPython.  A transfer that fails after moving some
 *   frames returns the count it moved, and the next transfer call returns
 *   the error, as write(2) does.
 *
 * PARTIAL FRAMES
 *   write() takes any length, as MicroPython's does: the bytes of a
 *   trailing partial frame are kept and sent in front of the next write's
 *   bytes, and count as written.  They are dropped by init() and
 *   deinit(); drain() does not play them.
 *
 * THE BUS ID
 *   The integer id names an ALSA PCM, in this order:
 *     1. cfg.device, when not NULL: any ALSA PCM name ("hw:CARD=X,DEV=0",
 *        "plughw:1", "default", a name from asoundrc);
 *     2. the environment variable MACHINE_I2S_<id> (MACHINE_I2S_0, ...);
 *     3. "hw:<id>,0": card number <id>, device 0.
 *   An id below 0, or a card that does not exist in case 3, is
 *   "invalid id".  A process may hold at most one TX and one RX object per
 *   id at a time (a second one is -EBUSY, whatever PCM it names); a TX and
 *   an RX object on the same id run full duplex.
 *
 * SAMPLES
 *   Buffers hold little-endian signed samples, left before right.  bits
 *   is 16 or 32 as in MicroPython, or 24 (an extension: 3 packed bytes per
 *   sample, as in WAV files).  A MONO TX object sends each sample on both
 *   channels when the device cannot do one channel; a MONO RX object then
 *   keeps the left channel.  Samples are widened (zero low bits) or
 *   narrowed (low bits dropped) when the device only offers a wider
 *   format; the rate is never resampled: a rate the device cannot make
 *   exactly is "invalid rate".
 *
 * IBUF
 *   ibuf is the size of the ALSA ring buffer in bytes of the caller's
 *   samples: ibuf / frame size frames, rounded to what the device allows,
 *   but never less than 20 ms of audio nor four of the device's smallest
 *   periods.  MicroPython's ports keep DMA
 *   buffers on top of ibuf; a Linux process needs at least that much
 *   slack, so the floor stands for them (ibuf = 200 at 11025 Hz, 32-bit
 *   STEREO would otherwise be 2.3 ms).  machine_i2s_get_stats() reports
 *   the size chosen.
 *
 * THE THREE STYLES, AS IN MICROPYTHON
 *   Blocking (default): write() returns once every byte is in the device's
 *   buffer; readinto() once the buffer is full.
 *
 *   Callback: after machine_i2s_irq(i2s, fn, arg), write() and readinto()
 *   return the full length at once and the library's own thread moves the
 *   data; fn(i2s, arg) runs on that thread when the caller's buffer has
 *   been emptied (TX) or filled (RX).  The caller's buffer must stay valid
 *   until then.  Another write()/readinto() before fn runs is -EBUSY: the
 *   first transfer is never dropped.  fn may call write()/readinto() to
 *   chain the next buffer, but not init(), deinit(), irq(), drain() or
 *   free() (-EDEADLK).  If the device fails or makes no progress for the
 *   longer of 2 s and four buffer times, fn still runs and the next
 *   transfer call returns the error.  machine_i2s_irq(i2s, NULL, NULL)
 *   returns to blocking mode once a transfer in progress and a running fn
 *   have finished.
 *
 *   Event loop (asyncio): machine_i2s_set_nonblocking(i2s, true) makes
 *   write()/readinto() move what they can without waiting and return that
 *   count, or -EAGAIN when nothing could be moved; machine_i2s_fileno()
 *   returns a descriptor that polls readable (POLLIN) while a period or
 *   more can be moved in the object's direction (or an xrun waits to be
 *   reported), as ALSA's own poll() does.  Do not read the descriptor
 *   yourself.  Calling fileno() on an RX object starts capture.
 *
 *   init() returns the object to the blocking style without a callback,
 *   as MicroPython's does; call irq(), set_nonblocking() and fileno()
 *   again after it (the descriptor's number does not change).
 *
 *   A blocking call gives up with -ETIMEDOUT when the device makes no
 *   progress for the longer of 2 s and four buffer times.  A signal
 *   handler that runs while a blocking call waits does not end the call,
 *   unless MACHINE_I2S_EINTR is in cfg.flags: then write(), readinto()
 *   and drain() return at once, with the count moved so far, or -EINTR
 *   when nothing moved, as read(2) and write(2) do (an interpreter uses
 *   this to run its signal handlers, for Ctrl-C, within one period).
 *   A handler that runs between two waits, not during one, ends none:
 *   an interpreter that must not miss one transfers in pieces of about
 *   a buffer and checks its handlers' flag between them.
 *
 * UNDERRUNS AND OVERRUNS
 *   MicroPython hides them.  Here each one is recovered and counted in
 *   machine_i2s_stats.xruns; with MACHINE_I2S_XRUN_ERRORS in cfg.flags the
 *   blocking and event-loop calls return -EPIPE instead (the stream is
 *   already recovered, so the next call proceeds).
 *
 * PINS
 *   sck, ws, sd and mck are accepted so that programs port unchanged, and
 *   checked to be short printable names.  On Linux the pins of an I2S
 *   controller are muxed by the devicetree's pinctrl at boot and cannot be
 *   moved by a process, so they are otherwise ignored.
 *
 * THREADS
 *   One object may be used by one thread at a time, except that the
 *   callback thread and the caller may overlap as described above, and
 *   machine_i2s_fileno()'s descriptor may be polled from any thread.
 *   (Should another thread deinit() or init() an object anyway, a
 *   blocking call waiting on it returns -EBADF.)  Different objects are
 *   independent.  machine_i2s_shift() is pure.  machine_i2s_last_error()
 *   is per thread, like errno.  The library's threads block all signals.
 */
#ifndef MACHINE_I2S_H
#define MACHINE_I2S_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Values of machine_i2s_config.mode and .format.  Zero is never valid, so
 * a forgotten field is an error rather than a silent default. */
enum machine_i2s_mode {
	MACHINE_I2S_TX = 1,
	MACHINE_I2S_RX = 2,
};

enum machine_i2s_format {
	MACHINE_I2S_MONO = 1,
	MACHINE_I2S_STEREO = 2,
};

/* machine_i2s_config.flags */
#define MACHINE_I2S_XRUN_ERRORS	(1u << 0)	/* -EPIPE on underrun/overrun */
#define MACHINE_I2S_EINTR	(1u << 1)	/* signals end blocking waits */

/**
 * struct machine_i2s_config - the constructor's keyword arguments
 * @id: bus id (see THE BUS ID)
 * @device: ALSA PCM name overriding the id mapping, or NULL
 * @sck: bit clock pin name, or NULL
 * @ws: word select pin name, or NULL
 * @sd: serial data pin name, or NULL
 * @mck: master clock pin name, or NULL
 * @mode: MACHINE_I2S_TX or MACHINE_I2S_RX
 * @bits: 16 or 32 (24: packed 3-byte samples)
 * @format: MACHINE_I2S_MONO or MACHINE_I2S_STEREO
 * @rate: sample rate in Hz
 * @ibuf: ring buffer size in bytes
 * @flags: MACHINE_I2S_* flags
 */
struct machine_i2s_config {
	int id;
	const char *device;
	const char *sck;
	const char *ws;
	const char *sd;
	const char *mck;
	int mode;
	int bits;
	int format;
	int rate;
	int ibuf;
	unsigned int flags;
};

/**
 * struct machine_i2s_stats - what MicroPython does not show
 * @frames: frames moved to or from the device since init
 * @xruns: underruns (TX) or overruns (RX) recovered since init
 * @buffer_bytes: the ring buffer chosen for ibuf, in the caller's bytes
 * @period_bytes: the device's transfer period, in the caller's bytes
 * @fill_bytes: bytes now queued for playing (TX) or waiting to be read (RX)
 * @device_channels: channels on the device (2 for MONO on a stereo device)
 * @device_bits: sample container width on the device (16, 24 or 32)
 * @device_rate: frame rate on the device
 */
struct machine_i2s_stats {
	uint64_t frames;
	uint64_t xruns;
	size_t buffer_bytes;
	size_t period_bytes;
	size_t fill_bytes;
	unsigned int device_channels;
	unsigned int device_bits;
	unsigned int device_rate;
};

struct machine_i2s;

typedef void (*machine_i2s_callback)(struct machine_i2s *i2s, void *arg);

/* Create and initialise an object; NULL with errno set on failure. */
struct machine_i2s *machine_i2s_new(const struct machine_i2s_config *cfg);

/* Reconfigure: deinit, then init with @cfg.  On failure the object stays
 * deinitialised (usable for another init). */
int machine_i2s_init(struct machine_i2s *i2s,
		     const struct machine_i2s_config *cfg);

/* Stop the stream at once, dropping what is queued, and release the
 * device; the object stays valid for init().  Calling it twice is fine. */
int machine_i2s_deinit(struct machine_i2s *i2s);

/* deinit() and free the object; NULL is ignored. */
void machine_i2s_free(struct machine_i2s *i2s);

/* Write @len bytes of samples (TX), any length (see PARTIAL FRAMES);
 * returns the count written (see THE THREE STYLES) or a negative errno
 * value. */
ssize_t machine_i2s_write(struct machine_i2s *i2s, const void *buf,
			  size_t len);

/* Read @len bytes of samples (RX); as write(). */
ssize_t machine_i2s_readinto(struct machine_i2s *i2s, void *buf, size_t len);

/* Block until every frame written so far has been played (TX). */
int machine_i2s_drain(struct machine_i2s *i2s);

/* Install (@fn non-NULL) or remove (@fn NULL) the completion callback. */
int machine_i2s_irq(struct machine_i2s *i2s, machine_i2s_callback fn,
		    void *arg);

/* Partial, non-waiting write()/readinto() for event loops. */
int machine_i2s_set_nonblocking(struct machine_i2s *i2s, bool nonblocking);

/* A descriptor that polls readable while write() (TX) or readinto() (RX)
 * can move a period or more; owned by the object. */
int machine_i2s_fileno(struct machine_i2s *i2s);

/* Counters and the buffer's size and fill. */
int machine_i2s_get_stats(struct machine_i2s *i2s,
			  struct machine_i2s_stats *stats);

/* The ALSA PCM name the object opened, or NULL when deinitialised. */
const char *machine_i2s_device(const struct machine_i2s *i2s);

/*
 * Shift every whole @bits-wide sample in @buf (16 or 32) by @shift bits:
 * left when positive, arithmetic right when negative, in place.  As in
 * MicroPython, left shifts wrap; machine_i2s_shift_saturating() clips
 * instead.  Shifts of @bits or more give 0 (left) or the sign (right).
 */
int machine_i2s_shift(void *buf, size_t len, int bits, int shift);
int machine_i2s_shift_saturating(void *buf, size_t len, int bits, int shift);

/* Check a configuration without opening anything. */
int machine_i2s_validate(const struct machine_i2s_config *cfg);

/* The calling thread's last error message ("" if none). */
const char *machine_i2s_last_error(void);

#ifdef __cplusplus
}
#endif

#endif /* MACHINE_I2S_H */
