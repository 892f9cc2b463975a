/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Command-line handling shared by the examples: every example takes
 * "-i ID" (bus id, default 0) and "-D PCM" (an ALSA PCM name instead).
 */
#ifndef EXAMPLE_ARGS_H
#define EXAMPLE_ARGS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine_i2s.h"

struct example_args {
	int id;
	const char *device;
	double seconds;
	const char *file;
};

static inline void example_usage(const char *prog, const char *what)
{
	fprintf(stderr, "usage: %s [-i ID] [-D PCM] [-t SECONDS] %s\n", prog,
		what);
	exit(2);
}

/* Parse -i, -D and -t; the one positional argument goes to args->file. */
static inline void example_parse(int argc, char **argv,
				 struct example_args *args, const char *what)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-i") && i + 1 < argc)
			args->id = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-D") && i + 1 < argc)
			args->device = argv[++i];
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			args->seconds = atof(argv[++i]);
		else if (argv[i][0] != '-' && !args->file)
			args->file = argv[i];
		else
			example_usage(argv[0], what);
	}
}

/* An object on the bus the arguments name; NULL with the message set. */
static inline struct machine_i2s *example_open(const struct example_args *a,
					       int mode, unsigned int bits,
					       unsigned int channels,
					       unsigned int rate)
{
	struct machine_i2s_config cfg = {
		.id = a->id, .device = a->device, .mode = mode,
		.bits = (int)bits, .rate = (int)rate, .ibuf = 32768,
		.format = channels == 2 ? MACHINE_I2S_STEREO :
			  channels == 1 ? MACHINE_I2S_MONO : 0,
	};

	return machine_i2s_new(&cfg);
}

/* Print MicroPython's message the way its REPL would show it. */
static inline int example_fail(const char *call)
{
	fprintf(stderr, "%s: %s\n", call, machine_i2s_last_error());
	return 1;
}

#endif
