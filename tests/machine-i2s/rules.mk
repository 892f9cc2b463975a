# SPDX-License-Identifier: GPL-2.0
#
# Test and benchmark programs for libmachine-i2s.  Included by the
# top-level Makefile after tools/machine-i2s/rules.mk and
# tests/alsa-testpcm/rules.mk.

MI2S_TEST_OUT := build/machine-i2s/tests
MI2S_TEST_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -pthread \
	-I$(MI2S_DIR)/include -I$(MI2S_DIR)/src -Itests/host -I$(TESTPCM_DIR)
# The board's facts (the simulated SoC's debugfs directory) for the
# on-board test, from their one place.
include tools/lib/openi2s-board.env
MI2S_BOARD_CFLAGS := -DOPENI2S_SIMDEV='"$(OPENI2S_SIMDEV)"'
MI2S_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all

MI2S_TEST_BINS := $(MI2S_TEST_OUT)/test-machine-i2s \
	$(MI2S_TEST_OUT)/test-fake-backend $(MI2S_TEST_OUT)/test-on-board $(MI2S_TEST_OUT)/fuzz-config-shift \
	$(MI2S_TEST_OUT)/bench-machine-i2s

# The API tests run under ASan/UBSan against the ASan build of the library.
$(MI2S_TEST_OUT)/test-machine-i2s: tests/machine-i2s/test-machine-i2s.c \
		$(MI2S_ASAN_A) $(TESTPCM_DIR)/testpcm.h tests/host/tap.h \
		tests/machine-i2s/test-util.h
	@mkdir -p $(@D)
	$(CC) -O1 -g $(MI2S_SAN) $(MI2S_TEST_CFLAGS) -o $@ $< $(MI2S_ASAN_A) \
		$(MI2S_LIBS)

# The front end alone against a fake backend: every object of the ASan
# build but backend-alsa's, and no alsa-lib.
MI2S_ASAN_FRONT_OBJS := $(filter-out %/backend-alsa.o,$(MI2S_ASAN_OBJS))

$(MI2S_TEST_OUT)/test-fake-backend: tests/machine-i2s/test-fake-backend.c \
		$(MI2S_ASAN_FRONT_OBJS) $(MI2S_HDRS) tests/host/tap.h \
		tests/machine-i2s/test-util.h
	@mkdir -p $(@D)
	$(CC) -O1 -g $(MI2S_SAN) $(MI2S_TEST_CFLAGS) -o $@ $< \
		$(MI2S_ASAN_FRONT_OBJS) -pthread

# The guest has no sanitizer runtime to spare: a plain build for the VM.
$(MI2S_TEST_OUT)/test-on-board: tests/machine-i2s/test-on-board.c $(MI2S_A) \
		tests/host/tap.h tests/machine-i2s/test-util.h \
		tools/lib/openi2s-board.env
	@mkdir -p $(@D)
	$(CC) -O2 -g $(MI2S_TEST_CFLAGS) $(MI2S_BOARD_CFLAGS) -o $@ $< $(MI2S_A) $(MI2S_LIBS) -lm

# libFuzzer needs clang; config checking and shift() need no device.
MI2S_FUZZ_SRCS := $(addprefix $(MI2S_DIR)/src/,config.c error.c shift.c)
$(MI2S_TEST_OUT)/fuzz-config-shift: tests/machine-i2s/fuzz-config-shift.c \
		$(MI2S_FUZZ_SRCS) $(MI2S_HDRS)
	@mkdir -p $(@D)
	clang -O1 -g -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $(MI2S_TEST_CFLAGS) \
		-I$(MI2S_DIR)/src -o $@ $< $(MI2S_FUZZ_SRCS)

$(MI2S_TEST_OUT)/bench-machine-i2s: tools/bench/bench-machine-i2s.c $(MI2S_A)
	@mkdir -p $(@D)
	$(CC) -O2 -g $(MI2S_TEST_CFLAGS) -o $@ $< $(MI2S_A) $(MI2S_LIBS)
