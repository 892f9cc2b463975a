// SPDX-License-Identifier: GPL-2.0
/*
 * sleep-check PLAYED RECORDED FRAME_BYTES: find where the played frames
 * come back in the recording of a stream that went through a system
 * suspend.  The played frames are random, so each is unique: the
 * recording is cut into runs of consecutive played frames, and each run
 * is printed as "run AT_REC FROM_PLAY FRAMES".  Exits 0.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-util.h"

static uint64_t key(const unsigned char *p, size_t fb)
{
	uint64_t k = 1469598103934665603ULL;	/* FNV-1a */

	while (fb--)
		k = (k ^ *p++) * 1099511628211ULL;
	return k;
}

int main(int argc, char **argv)
{
	size_t plen, rlen, fb, np, nr, i, mask, at, j;
	unsigned char *play, *rec;
	long *slot;

	if (argc != 4) {
		fprintf(stderr, "usage: %s PLAYED RECORDED FRAME_BYTES\n", argv[0]);
		return 2;
	}
	fb = strtoul(argv[3], NULL, 0);
	play = slurp(argv[1], &plen);
	rec = slurp(argv[2], &rlen);
	if (!play || !rec || !fb) {
		fprintf(stderr, "sleep-check: cannot read the files\n");
		return 2;
	}
	np = plen / fb;
	nr = rlen / fb;
	/* Open-addressing table from a frame's hash to its played index. */
	for (mask = 1; mask < 2 * np; mask <<= 1)
		;
	slot = malloc(mask * sizeof(*slot));
	memset(slot, 0xff, mask * sizeof(*slot));
	mask--;
	for (i = 0; i < np; i++) {
		for (j = key(play + i * fb, fb) & mask; slot[j] >= 0; j = (j + 1) & mask)
			;
		slot[j] = (long)i;
	}
	for (at = 0; at < nr;) {
		long from = -1;
		size_t n = 0;

		for (j = key(rec + at * fb, fb) & mask; slot[j] >= 0; j = (j + 1) & mask)
			if (!memcmp(play + (size_t)slot[j] * fb, rec + at * fb, fb)) {
				from = slot[j];
				break;
			}
		if (from < 0) {
			at++;
			continue;
		}
		while (at + n < nr && (size_t)from + n < np &&
		       !memcmp(play + ((size_t)from + n) * fb, rec + (at + n) * fb, fb))
			n++;
		printf("run %zu %ld %zu\n", at, from, n);
		at += n;
	}
	free(slot);
	free(play);
	free(rec);
	return 0;
}
