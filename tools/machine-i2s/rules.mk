# SPDX-License-Identifier: LGPL-2.1-or-later
#
# libmachine-i2s: shared and static libraries, examples, and an
# ASan/UBSan build of the library for the host tests.  Included by the
# top-level Makefile; paths are relative to the checkout.

MI2S_DIR := tools/machine-i2s
MI2S_OUT := build/machine-i2s
MI2S_SRCS := $(wildcard $(MI2S_DIR)/src/*.c)
MI2S_HDRS := $(MI2S_DIR)/include/machine_i2s.h $(MI2S_DIR)/src/internal.h \
	$(MI2S_DIR)/src/backend.h
MI2S_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -pthread \
	-I$(MI2S_DIR)/include -I$(MI2S_DIR)/src
MI2S_LIBS := -lasound -pthread

MI2S_SO := $(MI2S_OUT)/libmachine-i2s.so.1
MI2S_A := $(MI2S_OUT)/libmachine-i2s.a
MI2S_ASAN_A := $(MI2S_OUT)/asan/libmachine-i2s.a
MI2S_EXAMPLES := $(patsubst $(MI2S_DIR)/examples/%.c,$(MI2S_OUT)/examples/%,\
	$(wildcard $(MI2S_DIR)/examples/*.c))

MI2S_TARGETS := $(MI2S_SO) $(MI2S_OUT)/libmachine-i2s.so $(MI2S_A) \
	$(MI2S_ASAN_A) $(MI2S_EXAMPLES)

# shift() is the one hot loop; -O3 unrolls and schedules its vector code.
MI2S_OPT = -O2
$(MI2S_OUT)/pic/shift.o: MI2S_OPT = -O3

$(MI2S_OUT)/pic/%.o: $(MI2S_DIR)/src/%.c $(MI2S_HDRS)
	@mkdir -p $(@D)
	$(CC) $(MI2S_OPT) -g -fPIC $(MI2S_CFLAGS) -c -o $@ $<

$(MI2S_OUT)/asan/%.o: $(MI2S_DIR)/src/%.c $(MI2S_HDRS)
	@mkdir -p $(@D)
	$(CC) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
		$(MI2S_CFLAGS) -c -o $@ $<

MI2S_PIC_OBJS := $(patsubst $(MI2S_DIR)/src/%.c,$(MI2S_OUT)/pic/%.o,$(MI2S_SRCS))
MI2S_ASAN_OBJS := $(patsubst $(MI2S_DIR)/src/%.c,$(MI2S_OUT)/asan/%.o,$(MI2S_SRCS))

$(MI2S_SO): $(MI2S_PIC_OBJS) $(MI2S_DIR)/src/libmachine-i2s.map
	$(CC) -shared -Wl,-soname,libmachine-i2s.so.1 \
		-Wl,--version-script=$(MI2S_DIR)/src/libmachine-i2s.map \
		-o $@ $(MI2S_PIC_OBJS) $(MI2S_LIBS)

$(MI2S_OUT)/libmachine-i2s.so: $(MI2S_SO)
	ln -sf libmachine-i2s.so.1 $@

$(MI2S_A): $(MI2S_PIC_OBJS)
	$(AR) rcs $@ $^

$(MI2S_ASAN_A): $(MI2S_ASAN_OBJS)
	$(AR) rcs $@ $^

# Examples link the static library so they run from any directory.
$(MI2S_OUT)/examples/%: $(MI2S_DIR)/examples/%.c $(MI2S_A) \
		$(MI2S_DIR)/include/machine_i2s.h
	@mkdir -p $(@D)
	$(CC) -O2 -g $(MI2S_CFLAGS) -o $@ $< $(MI2S_A) $(MI2S_LIBS) -lm

# The Python machine module, for Debian's Python (python3-dev): the C
# extension machine._i2s with the library's sources compiled in (as
# tools/machine-i2s/python/setup.py builds it for pip), and the package's
# Python files beside it, so PYTHONPATH=build/machine-i2s/python imports
# it from the build tree.
PYTHON := /usr/bin/python3
MI2S_PY_DIR := $(MI2S_DIR)/python
MI2S_PY_OUT := $(MI2S_OUT)/python
MI2S_PY_EXT := $(MI2S_PY_OUT)/machine/_i2s$(shell $(PYTHON) -c \
	'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
MI2S_PY_INC := $(shell $(PYTHON) -c \
	'import sysconfig; print(sysconfig.get_paths()["include"])')
MI2S_PY_FILES := $(patsubst $(MI2S_PY_DIR)/%,$(MI2S_PY_OUT)/%,\
	$(wildcard $(MI2S_PY_DIR)/machine/*.py $(MI2S_PY_DIR)/machine/*.pyi \
		   $(MI2S_PY_DIR)/machine/py.typed))
MI2S_PY_PIN := $(subst _i2s,_pin,$(MI2S_PY_EXT))
MI2S_TARGETS += $(MI2S_PY_EXT) $(MI2S_PY_PIN) $(MI2S_PY_FILES)

# Hidden visibility: only PyInit__i2s is exported, so the library's
# symbols never clash with a libmachine-i2s the process also loads.
$(MI2S_PY_EXT): $(MI2S_PY_DIR)/machine/_i2s.c $(MI2S_SRCS) $(MI2S_HDRS)
	@mkdir -p $(@D)
	$(CC) -O3 -g -fPIC -shared -fvisibility=hidden $(MI2S_CFLAGS) \
		-I$(MI2S_PY_INC) -o $@ $< $(MI2S_SRCS) $(MI2S_LIBS)

$(MI2S_PY_OUT)/%: $(MI2S_PY_DIR)/%
	@mkdir -p $(@D)
	cp $< $@

# machine.Pin on the GPIO character device (libgpiod-dev).
$(MI2S_PY_PIN): $(MI2S_PY_DIR)/machine/_pin.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -fPIC -shared -fvisibility=hidden $(MI2S_CFLAGS) \
		-I$(MI2S_PY_INC) -o $@ $< -lgpiod
