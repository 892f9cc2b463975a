// SPDX-License-Identifier: GPL-2.0
/*
 * Print the host's TSC rate in kHz, measured against CLOCK_MONOTONIC.
 *
 * QEMU's TCG gives an x86 guest the host's own TSC. The guest kernel
 * calibrates it against the emulated PIT, which under emulation is now
 * and then too disturbed to give any value; the kernel then keeps time
 * in jiffies, and every timer in the guest fires on a 4 ms grid.
 * tools/vm/run passes this figure as tsc_early_khz= so that the guest
 * never has to calibrate. Exits 1 without printing on a host whose TSC
 * rate is not constant, or that is not x86.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * The TSC read with a clock read on either side, at the clock's midpoint:
 * the narrowest of a few tries, as the process may be preempted in one.
 */
static uint64_t sample(double *ns)
{
	double best = 1e18;
	uint64_t tsc = 0;
	int i;

	for (i = 0; i < 16; i++) {
		double a = now_ns();
		uint64_t t = __rdtsc();
		double b = now_ns();

		if (b - a < best) {
			best = b - a;
			tsc = t;
			*ns = (a + b) / 2;
		}
	}
	return tsc;
}

static int constant_tsc(void)
{
	char line[4096];
	FILE *f = fopen("/proc/cpuinfo", "r");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "flags", 5) &&
			strstr(line, " constant_tsc") &&
			strstr(line, " nonstop_tsc");
	fclose(f);
	return found;
}

int main(void)
{
	struct timespec wait = { 0, 50 * 1000 * 1000 };
	double t0, t1;
	uint64_t c0, c1;

	if (!constant_tsc())
		return 1;
	c0 = sample(&t0);
	nanosleep(&wait, NULL);
	c1 = sample(&t1);
	printf("%.0f\n", (double)(c1 - c0) / (t1 - t0) * 1e6);
	return 0;
}
#else
int main(void)
{
	return 1;
}
#endif
