/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between the openi2s_test ALSA PCM plugin and the tests that use
 * it: the capture pattern and the plugin's fixed limits.
 */
#ifndef TESTS_ALSA_TESTPCM_H
#define TESTS_ALSA_TESTPCM_H

#include <stdint.h>

/* Fixed hardware limits of the test PCM (channels and rates come from
 * the configuration, within these bounds).
 */
#define TESTPCM_CHANNELS_MAX		256
#define TESTPCM_PERIOD_BYTES_MIN	64
#define TESTPCM_PERIOD_BYTES_MAX	(1024 * 1024)
#define TESTPCM_PERIODS_MIN		2
#define TESTPCM_PERIODS_MAX		1024
#define TESTPCM_BUFFER_BYTES_MAX	(4 * 1024 * 1024)

/* 2^64 / golden ratio: consecutive keys land far apart in the top bits. */
#define TESTPCM_PATTERN_MUL		0x9e3779b97f4a7c15ULL

/*
 * The sample that capture produces for @channel of absolute frame @frame
 * (counted from 0 at the first frame after prepare) in a format whose
 * samples are @bits wide (16, 24 or 32), sign-extended to 32 bits.
 *
 * A multiplicative hash of (frame * 256 + channel + 1), keeping its top
 * @bits bits as a signed number: every frame and channel gets a different
 * value, so a dropped, repeated or swapped sample shows up at once.
 */
static inline int32_t testpcm_pattern(uint64_t frame, unsigned int channel,
				      unsigned int bits)
{
	uint64_t key = (frame << 8) + channel + 1;
	uint64_t top = (key * TESTPCM_PATTERN_MUL) >> (64 - bits);
	uint64_t sign = 1ULL << (bits - 1);

	/* Sign-extend without implementation-defined shifts. */
	return (int32_t)((int64_t)(top ^ sign) - (int64_t)sign);
}

#endif /* TESTS_ALSA_TESTPCM_H */
