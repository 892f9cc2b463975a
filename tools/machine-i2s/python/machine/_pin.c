// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * machine.Pin for CPython on the GPIO character device, through libgpiod
 * (Debian 12's 1.6 API): MicroPython's Pin(id, mode, pull, *, value=...),
 * value(), on(), off(), toggle(), and the pin as a callable.
 *
 * A pin is only a name until it is given a mode or read: I2S takes Pins
 * for its sck, ws and sd, which Linux muxes in devicetree, and those must
 * not need a GPIO line. Which line an id names:
 *   1. the environment variable MACHINE_PIN_<id>, "CHIP:OFFSET" (a chip
 *      name, path, label or number, as gpiodetect shows it) or a line name;
 *   2. a str id: the line of that name (gpioinfo shows them, e.g. "GPIO18"
 *      on a Raspberry Pi);
 *   3. an int id: that offset on MACHINE_PIN_CHIP (default gpiochip0).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <gpiod.h>
#include <stdlib.h>
#include <string.h>

/* MicroPython's values (rp2). */
enum { PIN_IN = 0, PIN_OUT = 1, PIN_OPEN_DRAIN = 2 };
enum { PULL_NONE = 0, PULL_UP = 1, PULL_DOWN = 2 };

#define CONSUMER "machine.Pin"

typedef struct {
	PyObject_HEAD
	PyObject *id;			/* as given */
	struct gpiod_chip *chip;	/* open while the line is requested */
	struct gpiod_line *line;	/* requested, or NULL */
	int mode;			/* -1 until given */
	int pull;			/* -1 until given */
} PinObject;

static PyObject *os_error(int err, const char *what)
{
	PyObject *args = Py_BuildValue("(is)", err, what);

	if (args) {
		PyErr_SetObject(PyExc_OSError, args);
		Py_DECREF(args);
	}
	return NULL;
}

/* The chip and line @self's id names; -1 with an exception. */
static int find_line(PinObject *self, struct gpiod_chip **chip,
		     struct gpiod_line **line)
{
	char env[64], name[64], *spec = NULL, *colon;
	const char *chip_name = getenv("MACHINE_PIN_CHIP");
	PyObject *str = PyObject_Str(self->id);
	const char *id = str ? PyUnicode_AsUTF8(str) : NULL;
	long offset = -1;

	if (!id) {
		Py_XDECREF(str);
		return -1;
	}
	snprintf(env, sizeof(env), "MACHINE_PIN_%s", id);
	spec = getenv(env);
	snprintf(name, sizeof(name), "%s", spec ? spec : id);
	Py_DECREF(str);
	colon = strrchr(name, ':');
	if (spec && colon) {
		*colon = '\0';
		chip_name = name;
		offset = strtol(colon + 1, NULL, 10);
	} else if (!spec && PyLong_Check(self->id)) {
		offset = PyLong_AsLong(self->id);
	}
	if (offset >= 0) {
		*chip = gpiod_chip_open_lookup(chip_name ? chip_name : "gpiochip0");
		*line = *chip ? gpiod_chip_get_line(*chip, (unsigned int)offset) :
			NULL;
	} else {
		*line = gpiod_line_find(name);
		*chip = *line ? gpiod_line_get_chip(*line) : NULL;
	}
	if (*line)
		return 0;
	if (*chip)
		gpiod_chip_close(*chip);
	PyErr_SetString(PyExc_ValueError, "invalid pin");
	return -1;
}

static void release(PinObject *self)
{
	if (self->line)
		gpiod_line_release(self->line);
	if (self->chip)
		gpiod_chip_close(self->chip);
	self->line = NULL;
	self->chip = NULL;
}

/* (Re)request the line as @mode with @pull; @value for an output. */
static int request(PinObject *self, int mode, int pull, int value)
{
	struct gpiod_line_request_config cfg = { .consumer = CONSUMER };
	struct gpiod_chip *chip;
	struct gpiod_line *line;

	if (mode != PIN_IN && mode != PIN_OUT && mode != PIN_OPEN_DRAIN) {
		PyErr_SetString(PyExc_ValueError, "invalid pin mode");
		return -1;
	}
	if (pull != -1 && pull != PULL_NONE && pull != PULL_UP &&
	    pull != PULL_DOWN) {
		PyErr_SetString(PyExc_ValueError, "invalid pull");
		return -1;
	}
	release(self);
	if (find_line(self, &chip, &line))
		return -1;
	cfg.request_type = mode == PIN_IN ? GPIOD_LINE_REQUEST_DIRECTION_INPUT :
					    GPIOD_LINE_REQUEST_DIRECTION_OUTPUT;
	if (mode == PIN_OPEN_DRAIN)
		cfg.flags |= GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN;
	if (pull == PULL_UP)
		cfg.flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
	else if (pull == PULL_DOWN)
		cfg.flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
	else if (pull == PULL_NONE)
		cfg.flags |= GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE;
	if (gpiod_line_request(line, &cfg, value) < 0) {
		int err = errno;

		gpiod_chip_close(chip);
		/* Bias needs Linux 5.5: say so rather than a bare EINVAL. */
		os_error(err, err == EINVAL && pull != -1 ?
			 "cannot request the line (pull not supported?)" :
			 "cannot request the line");
		return -1;
	}
	self->chip = chip;
	self->line = line;
	self->mode = mode;
	self->pull = pull;
	return 0;
}

/* MicroPython's Pin(id, mode=-1, pull=-1, *, value=None) and init(). */
static int parse_init(PinObject *self, PyObject *args, PyObject *kw)
{
	static char *names[] = { "mode", "pull", "value", NULL };
	int mode = -1, pull = -1;
	PyObject *value = Py_None;
	int v = 0;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|ii$O", names, &mode,
					 &pull, &value))
		return -1;
	if (value != Py_None && (v = PyObject_IsTrue(value)) < 0)
		return -1;
	if (mode == -1 && pull == -1 && value == Py_None)
		return 0;	/* a name only, as I2S's pins are */
	if (mode == -1)
		mode = self->mode != -1 ? self->mode : PIN_IN;
	return request(self, mode, pull, v);
}

static PyObject *Pin_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
	PinObject *self;
	PyObject *rest;

	if (PyTuple_GET_SIZE(args) < 1) {
		PyErr_SetString(PyExc_TypeError,
				"function missing 1 required positional arguments");
		return NULL;
	}
	self = (PinObject *)type->tp_alloc(type, 0);
	if (!self)
		return NULL;
	self->id = Py_NewRef(PyTuple_GET_ITEM(args, 0));
	self->mode = -1;
	self->pull = -1;
	rest = PyTuple_GetSlice(args, 1, PyTuple_GET_SIZE(args));
	if (!rest || parse_init(self, rest, kw)) {
		Py_XDECREF(rest);
		Py_DECREF(self);
		return NULL;
	}
	Py_DECREF(rest);
	return (PyObject *)self;
}

static void Pin_dealloc(PinObject *self)
{
	release(self);
	Py_XDECREF(self->id);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *Pin_init(PinObject *self, PyObject *args, PyObject *kw)
{
	if (parse_init(self, args, kw))
		return NULL;
	Py_RETURN_NONE;
}

/* An unconfigured pin is read as an input. */
static int need_line(PinObject *self)
{
	return self->line ? 0 : request(self, PIN_IN, -1, 0);
}

static PyObject *set_value(PinObject *self, int v)
{
	if (!self->line || self->mode == PIN_IN) {
		/* MicroPython keeps it for when the pin becomes an output. */
		PyErr_SetString(PyExc_OSError,
				"the pin is not an output: Pin(id, Pin.OUT)");
		return NULL;
	}
	if (gpiod_line_set_value(self->line, v) < 0)
		return os_error(errno, "cannot set the line");
	Py_RETURN_NONE;
}

static PyObject *Pin_value(PinObject *self, PyObject *const *args,
			   Py_ssize_t nargs)
{
	int v;

	if (nargs > 1) {
		PyErr_SetString(PyExc_TypeError,
				"function expected at most 2 arguments, got 3");
		return NULL;
	}
	if (nargs == 1) {
		v = PyObject_IsTrue(args[0]);
		return v < 0 ? NULL : set_value(self, v);
	}
	if (need_line(self))
		return NULL;
	v = gpiod_line_get_value(self->line);
	if (v < 0)
		return os_error(errno, "cannot read the line");
	return PyLong_FromLong(v);
}

static PyObject *Pin_call(PinObject *self, PyObject *args, PyObject *kw)
{
	if (kw && PyDict_GET_SIZE(kw)) {
		PyErr_SetString(PyExc_TypeError,
				"function doesn't take keyword arguments");
		return NULL;
	}
	return Pin_value(self, &PyTuple_GET_ITEM(args, 0),
			 PyTuple_GET_SIZE(args));
}

static PyObject *Pin_on(PinObject *self, PyObject *unused)
{
	(void)unused;
	return set_value(self, 1);
}

static PyObject *Pin_off(PinObject *self, PyObject *unused)
{
	(void)unused;
	return set_value(self, 0);
}

static PyObject *Pin_toggle(PinObject *self, PyObject *unused)
{
	int v;

	(void)unused;
	if (!self->line || self->mode == PIN_IN)
		return set_value(self, 0);
	v = gpiod_line_get_value(self->line);
	return v < 0 ? os_error(errno, "cannot read the line") :
		       set_value(self, !v);
}

static PyObject *Pin_str(PinObject *self)
{
	return PyObject_Str(self->id);
}

static PyObject *Pin_repr(PinObject *self)
{
	static const char *const modes[] = { "IN", "OUT", "OPEN_DRAIN" };
	static const char *const pulls[] = { "", ", pull=PULL_UP",
					     ", pull=PULL_DOWN" };

	if (self->mode < 0)
		return PyUnicode_FromFormat("Pin(%R)", self->id);
	return PyUnicode_FromFormat("Pin(%R, mode=%s%s)", self->id,
				    modes[self->mode],
				    self->pull > 0 ? pulls[self->pull] : "");
}

static PyMethodDef Pin_methods[] = {
	{ "init", (PyCFunction)(void (*)(void))Pin_init,
	  METH_VARARGS | METH_KEYWORDS,
	  "init(mode=-1, pull=-1, *, value=None)\n"
	  "Request the GPIO line as Pin.IN, Pin.OUT or Pin.OPEN_DRAIN, with\n"
	  "Pin.PULL_UP or Pin.PULL_DOWN where the kernel supports bias." },
	{ "value", (PyCFunction)(void (*)(void))Pin_value, METH_FASTCALL,
	  "value([x])\nRead the line (0 or 1), or drive it to x." },
	{ "on", (PyCFunction)Pin_on, METH_NOARGS, "Drive the line high." },
	{ "off", (PyCFunction)Pin_off, METH_NOARGS, "Drive the line low." },
	{ "high", (PyCFunction)Pin_on, METH_NOARGS, "Drive the line high." },
	{ "low", (PyCFunction)Pin_off, METH_NOARGS, "Drive the line low." },
	{ "toggle", (PyCFunction)Pin_toggle, METH_NOARGS,
	  "Drive the line to the opposite of its value." },
	{ NULL }
};

PyDoc_STRVAR(Pin_doc,
"Pin(id, mode=-1, pull=-1, *, value=None)\n"
"\n"
"MicroPython's machine.Pin on a GPIO line (libgpiod). id is a line name\n"
"(\"GPIO18\"), an offset on MACHINE_PIN_CHIP (default gpiochip0), or a\n"
"name mapped by MACHINE_PIN_<id>=CHIP:OFFSET or =LINE-NAME. Without a\n"
"mode it is a name only, as I2S takes its pins.");

static PyTypeObject PinType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "machine.Pin",
	.tp_doc = Pin_doc,
	.tp_basicsize = sizeof(PinObject),
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_new = Pin_new,
	.tp_dealloc = (destructor)Pin_dealloc,
	.tp_call = (ternaryfunc)Pin_call,
	.tp_str = (reprfunc)Pin_str,
	.tp_repr = (reprfunc)Pin_repr,
	.tp_methods = Pin_methods,
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "machine._pin",
	.m_doc = "machine.Pin on the GPIO character device (see machine).",
	.m_size = -1,
};

PyMODINIT_FUNC PyInit__pin(void)
{
	static const struct { const char *name; int value; } consts[] = {
		{ "IN", PIN_IN }, { "OUT", PIN_OUT },
		{ "OPEN_DRAIN", PIN_OPEN_DRAIN },
		{ "PULL_UP", PULL_UP }, { "PULL_DOWN", PULL_DOWN },
	};
	PyObject *m, *v;

	if (PyType_Ready(&PinType) < 0)
		return NULL;
	for (size_t i = 0; i < sizeof(consts) / sizeof(consts[0]); i++) {
		v = PyLong_FromLong(consts[i].value);
		if (!v || PyDict_SetItemString(PinType.tp_dict, consts[i].name,
					       v) < 0) {
			Py_XDECREF(v);
			return NULL;
		}
		Py_DECREF(v);
	}
	PyType_Modified(&PinType);
	m = PyModule_Create(&module);
	if (m && PyModule_AddObjectRef(m, "Pin", (PyObject *)&PinType) < 0)
		Py_CLEAR(m);
	return m;
}
