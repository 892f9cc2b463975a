/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Just enough RIFF/WAVE for the examples: PCM, 16/24/32 bits, 1-2 ch. */
#ifndef EXAMPLE_WAV_H
#define EXAMPLE_WAV_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct wav_info {
	unsigned int channels;
	unsigned int rate;
	unsigned int bits;
	uint32_t data_bytes;
};

static inline uint32_t wav_le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void wav_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* Read the header and leave @f at the first sample; 0 or -1. */
static inline int wav_read_header(FILE *f, struct wav_info *w)
{
	unsigned char h[12], c[8], fmt[16];
	uint32_t len;
	int have_fmt = 0;

	if (fread(h, 1, 12, f) != 12 || memcmp(h, "RIFF", 4) ||
	    memcmp(h + 8, "WAVE", 4))
		return -1;
	while (fread(c, 1, 8, f) == 8) {
		len = wav_le32(c + 4);
		if (!memcmp(c, "fmt ", 4) && len >= 16) {
			if (fread(fmt, 1, 16, f) != 16)
				return -1;
			/* 1 is PCM; 0xfffe (extensible) carries PCM too. */
			if ((fmt[0] | fmt[1] << 8) != 1 &&
			    (fmt[0] | fmt[1] << 8) != 0xfffe)
				return -1;
			w->channels = fmt[2] | fmt[3] << 8;
			w->rate = wav_le32(fmt + 4);
			w->bits = fmt[14] | fmt[15] << 8;
			have_fmt = 1;
			len -= 16;
		} else if (!memcmp(c, "data", 4)) {
			w->data_bytes = len;
			return have_fmt ? 0 : -1;
		}
		if (fseek(f, (long)(len + (len & 1)), SEEK_CUR))
			return -1;
	}
	return -1;
}

/* Write a 44-byte header; call again at the end with the real size. */
static inline int wav_write_header(FILE *f, const struct wav_info *w)
{
	unsigned int block = w->channels * w->bits / 8;
	unsigned char h[44];

	memcpy(h, "RIFF", 4);
	wav_put32(h + 4, 36 + w->data_bytes);
	memcpy(h + 8, "WAVEfmt ", 8);
	wav_put32(h + 16, 16);
	h[20] = 1;
	h[21] = 0;
	h[22] = (unsigned char)w->channels;
	h[23] = 0;
	wav_put32(h + 24, w->rate);
	wav_put32(h + 28, w->rate * block);
	h[32] = (unsigned char)block;
	h[33] = 0;
	h[34] = (unsigned char)w->bits;
	h[35] = 0;
	memcpy(h + 36, "data", 4);
	wav_put32(h + 40, w->data_bytes);
	return fseek(f, 0, SEEK_SET) || fwrite(h, 1, 44, f) != 44 ? -1 : 0;
}

#endif
