// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sample conversion for when the device's layout differs from the
 * caller's: MONO on a stereo-only device, or a sample width the device
 * lacks.  Samples pass through a 32-bit MSB-aligned value, so widening
 * adds zero low bits and narrowing drops them, as an I2S receiver does.
 */
#include <stdint.h>

#include "internal.h"

static int32_t load(const unsigned char *p, const struct mi2s_layout *l)
{
	unsigned int pad = 32 - 8 * l->bytes;
	uint32_t v = 0;
	unsigned int i;
	int32_t sx;

	for (i = 0; i < l->bytes; i++)
		v |= (uint32_t)p[i] << (8 * i);
	/* Sign-extend the container, then move the significant bits up. */
	sx = (int32_t)(v << pad) >> pad;
	return (int32_t)((uint32_t)sx << (32 - l->bits));
}

static void store(unsigned char *p, const struct mi2s_layout *l, int32_t v)
{
	uint32_t u = (uint32_t)(v >> (32 - l->bits));
	unsigned int i;

	for (i = 0; i < l->bytes; i++)
		p[i] = (unsigned char)(u >> (8 * i));
}

/**
 * mi2s_convert() - convert @frames frames from layout @sl to layout @dl
 * @dst: destination buffer
 * @dl: destination layout
 * @src: source buffer
 * @sl: source layout
 * @frames: frame count
 *
 * A destination channel with no source channel repeats the source's last
 * (MONO to stereo duplicates); source channels beyond the destination's
 * are dropped (stereo to MONO keeps the left).
 */
void mi2s_convert(void *dst, const struct mi2s_layout *dl, const void *src,
		  const struct mi2s_layout *sl, size_t frames)
{
	const unsigned char *s = src;
	unsigned char *d = dst;
	size_t f;
	unsigned int c;

	for (f = 0; f < frames; f++) {
		for (c = 0; c < dl->channels; c++) {
			unsigned int sc = c < sl->channels ? c : sl->channels - 1;

			store(d, dl, load(s + sc * sl->bytes, sl));
			d += dl->bytes;
		}
		s += sl->channels * sl->bytes;
	}
}
