// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * machine.I2S for CPython: MicroPython's machine.I2S over libmachine-i2s.
 *
 * MicroPython's behaviour is the reference (extmod/machine_i2s.c for the
 * class, py/argcheck.c for argument errors, py/stream.c for the stream
 * forms of write() and readinto()); where it differs the module docstring
 * of machine says so. The library's own sources are compiled into this
 * module, so an installed module needs nothing but alsa-lib.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "machine_i2s.h"

/* MicroPython's values (rp2 and mimxrt for RX and TX). */
enum { PY_RX = 0, PY_TX = 1 };
enum { PY_MONO = 0, PY_STEREO = 1 };

/* Where a callback-mode transfer stands; see on_done(). */
enum job_state { JOB_IDLE, JOB_QUEUED, JOB_DONE };

typedef struct {
	PyObject_HEAD
	struct machine_i2s *obj;	/* NULL once closed */
	struct machine_i2s *closed;	/* closed, but a call still uses it */
	int busy;			/* calls using obj without the GIL */
	int id, mode, bits, format, rate, ibuf;	/* as given, for repr() */
	PyObject *pins[4];		/* sck, ws, sd, mck, as given */
	PyObject *handler;		/* irq() handler or NULL */
	bool nonblocking;
	Py_buffer job_view;		/* the buffer a queued transfer uses */
	atomic_int job;			/* enum job_state */
	unsigned int gen;		/* bumped by init, deinit, irq(), ... */
	PyObject *weakrefs;
} I2SObject;

/* The live objects by (id, mode): a second construction returns the one. */
static PyObject *registry;

static PyTypeObject I2SType;

/* ---- errors ---------------------------------------------------------- */

/* OSError(errno, message): e.errno is the errno value. */
static PyObject *os_error(long err, const char *msg)
{
	PyObject *args = Py_BuildValue("(ls)", err, msg);

	if (args) {
		PyErr_SetObject(PyExc_OSError, args);
		Py_DECREF(args);
	}
	return NULL;
}

/* A library call's failure (a negative errno value), as OSError. */
static PyObject *raise_errno(long ret)
{
	return os_error(-ret, machine_i2s_last_error());
}

/* A configuration's failure as MicroPython raises it: ValueError with
 * its text for an argument ("invalid ..."), OSError for the rest. */
static PyObject *raise_lib(long ret)
{
	const char *msg = machine_i2s_last_error();

	if (!strncmp(msg, "invalid", 7))
		return PyErr_Format(PyExc_ValueError, "%s", msg);
	return raise_errno(ret);
}

/* ---- arguments, as py/argcheck.c's mp_arg_parse_all() ------------------ */

enum { A_SCK, A_WS, A_SD, A_MCK, A_MODE, A_BITS, A_FORMAT, A_RATE, A_IBUF,
       A_DEVICE, A_XRUN_ERRORS, A_COUNT };

struct arg {
	const char *name;
	bool required, integer;
};

static const struct arg allowed[A_COUNT] = {
	[A_SCK] = { "sck", true, false },
	[A_WS] = { "ws", true, false },
	[A_SD] = { "sd", true, false },
	[A_MCK] = { "mck", false, false },
	[A_MODE] = { "mode", true, true },
	[A_BITS] = { "bits", true, true },
	[A_FORMAT] = { "format", true, true },
	[A_RATE] = { "rate", true, true },
	[A_IBUF] = { "ibuf", true, true },
	/* extensions */
	[A_DEVICE] = { "device", false, false },
	[A_XRUN_ERRORS] = { "xrun_errors", false, false },
};

/* mp_obj_get_int(): ints and bools; anything else is a TypeError. */
static int get_int(PyObject *v, int *out)
{
	long n;

	if (!PyLong_Check(v)) {
		PyErr_Format(PyExc_TypeError, "can't convert %s to int",
			     Py_TYPE(v)->tp_name);
		return -1;
	}
	n = PyLong_AsLong(v);
	if (n == -1 && PyErr_Occurred()) {
		PyErr_Clear();
		n = LONG_MAX;
	}
	/* Out of a C int: the library's range check names the argument. */
	*out = n > INT_MAX ? INT_MAX : n < INT_MIN ? INT_MIN : (int)n;
	return 0;
}

struct parsed {
	PyObject *val[A_COUNT];		/* borrowed; NULL when not given */
	int num[A_COUNT];
};

/*
 * mp_arg_parse_all() for keyword-only arguments: @table's n arguments in
 * order into @val (borrowed; NULL when not given), ints into @num.
 */
static int parse_kw(Py_ssize_t npos, PyObject *kwargs,
		    const struct arg *table, int n, PyObject **val, int *num)
{
	Py_ssize_t found = 0;

	/* Every argument is keyword-only: a positional one is an extra. */
	if (npos > 0) {
		PyErr_SetString(PyExc_TypeError,
				"extra positional arguments given");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		val[i] = kwargs ? PyDict_GetItemString(kwargs, table[i].name) :
			 NULL;
		if (!val[i]) {
			if (table[i].required) {
				PyErr_Format(PyExc_TypeError,
					     "'%s' argument required",
					     table[i].name);
				return -1;
			}
			continue;
		}
		found++;
		if (table[i].integer && get_int(val[i], &num[i]))
			return -1;
	}
	if (kwargs && found < PyDict_GET_SIZE(kwargs)) {
		PyErr_SetString(PyExc_TypeError, "extra keyword arguments given");
		return -1;
	}
	return 0;
}

static int parse_args(Py_ssize_t npos, PyObject *kwargs, struct parsed *p)
{
	memset(p, 0, sizeof(*p));
	return parse_kw(npos, kwargs, allowed, A_COUNT, p->val, p->num);
}

/* A pin's name: str(pin), as machine.Pin prints it. */
static const char *pin_name(PyObject *pin, PyObject **hold)
{
	*hold = NULL;
	if (!pin || pin == Py_None)
		return NULL;
	*hold = PyObject_Str(pin);
	return *hold ? PyUnicode_AsUTF8(*hold) : NULL;
}

/*
 * The library's configuration from parsed arguments; @hold keeps the
 * strings alive until release_config(). Returns -1 with an exception.
 */
static int make_config(int id, const struct parsed *p,
		       struct machine_i2s_config *cfg, PyObject *hold[4])
{
	PyObject *dev = p->val[A_DEVICE];
	const char *names[4];
	int truth;

	memset(cfg, 0, sizeof(*cfg));
	for (int i = 0; i < 4; i++) {
		names[i] = pin_name(p->val[A_SCK + i], &hold[i]);
		if (p->val[A_SCK + i] && p->val[A_SCK + i] != Py_None &&
		    !names[i])
			return -1;
	}
	if (dev && dev != Py_None) {
		if (!PyUnicode_Check(dev)) {
			PyErr_SetString(PyExc_TypeError,
					"device must be an ALSA PCM name (str) or None");
			return -1;
		}
		cfg->device = PyUnicode_AsUTF8(dev);
		if (!cfg->device)
			return -1;
	}
	truth = p->val[A_XRUN_ERRORS] ?
		PyObject_IsTrue(p->val[A_XRUN_ERRORS]) : 0;
	if (truth < 0)
		return -1;
	cfg->id = id;
	cfg->sck = names[0];
	cfg->ws = names[1];
	cfg->sd = names[2];
	cfg->mck = names[3];
	/* Values MicroPython does not have map to 0, which is invalid. */
	cfg->mode = p->num[A_MODE] == PY_TX ? MACHINE_I2S_TX :
		    p->num[A_MODE] == PY_RX ? MACHINE_I2S_RX : 0;
	cfg->bits = p->num[A_BITS];
	cfg->format = p->num[A_FORMAT] == PY_MONO ? MACHINE_I2S_MONO :
		      p->num[A_FORMAT] == PY_STEREO ? MACHINE_I2S_STEREO : 0;
	cfg->rate = p->num[A_RATE];
	cfg->ibuf = p->num[A_IBUF];
	/* Signals end blocking waits, so that Ctrl-C works (see write()). */
	cfg->flags = MACHINE_I2S_EINTR |
		     (truth ? MACHINE_I2S_XRUN_ERRORS : 0);
	return 0;
}

static void release_config(PyObject *hold[4])
{
	for (int i = 0; i < 4; i++)
		Py_XDECREF(hold[i]);
}

/* Remember what the object was configured with, for repr(). */
static void keep_config(I2SObject *self, int id, const struct parsed *p)
{
	self->id = id;
	self->mode = p->num[A_MODE];
	self->bits = p->num[A_BITS];
	self->format = p->num[A_FORMAT];
	self->rate = p->num[A_RATE];
	self->ibuf = p->num[A_IBUF];
	for (int i = 0; i < 4; i++) {
		PyObject *v = p->val[A_SCK + i] ? p->val[A_SCK + i] : Py_None;

		Py_INCREF(v);
		Py_XSETREF(self->pins[i], v);
	}
}

/* ---- the registry of live objects ------------------------------------ */

static PyObject *registry_key(int id, int mode)
{
	return Py_BuildValue("(ii)", id, mode);
}

static I2SObject *registry_get(int id, int mode)
{
	PyObject *key = registry_key(id, mode), *ref, *obj;

	if (!key)
		return NULL;
	ref = PyDict_GetItemWithError(registry, key);
	Py_DECREF(key);
	if (!ref)
		return NULL;
	obj = PyWeakref_GetObject(ref);
	if (obj == Py_None)
		return NULL;
	Py_INCREF(obj);
	return (I2SObject *)obj;
}

static int registry_set(I2SObject *self)
{
	PyObject *key = registry_key(self->id, self->mode), *ref;
	int ret = -1;

	if (!key)
		return -1;
	ref = PyWeakref_NewRef((PyObject *)self, NULL);
	if (ref) {
		ret = PyDict_SetItem(registry, key, ref);
		Py_DECREF(ref);
	}
	Py_DECREF(key);
	return ret;
}

/* Forget @self's entry, if it is still @self's. */
static void registry_drop(I2SObject *self)
{
	PyObject *key = registry_key(self->id, self->mode), *ref;
	PyObject *type, *value, *tb;

	PyErr_Fetch(&type, &value, &tb);

	if (key) {
		ref = PyDict_GetItemWithError(registry, key);
		if (ref && (PyWeakref_GetObject(ref) == (PyObject *)self ||
			    PyWeakref_GetObject(ref) == Py_None))
			PyDict_DelItem(registry, key);
		Py_DECREF(key);
	}
	PyErr_Clear();
	PyErr_Restore(type, value, tb);
}

/* ---- callbacks: on the main thread, as MicroPython's scheduler ------- */

/*
 * A callback-mode transfer holds its buffer (job_view) and a reference
 * to the object from write()/readinto() until it is done: the library's
 * thread marks it done and schedules run_handler() on the main thread,
 * which releases both and calls the handler. A transfer deinit() stops
 * never calls back: drop_queued_job() releases it instead.
 */

/* Runs on the main thread between bytecodes (Py_AddPendingCall). */
static int run_handler(void *arg)
{
	I2SObject *self = arg;	/* the transfer's reference */
	PyObject *handler = NULL, *res = Py_None;

	if (self->obj && self->handler)
		handler = Py_NewRef(self->handler);
	PyBuffer_Release(&self->job_view);
	atomic_store(&self->job, JOB_IDLE);
	/* The handler may start the next transfer (MicroPython's idiom). */
	if (handler) {
		res = PyObject_CallOneArg(handler, (PyObject *)self);
		Py_DECREF(handler);
		Py_XDECREF(res);
	}
	Py_DECREF(self);
	return res ? 0 : -1;	/* raised in the main thread, as a signal's */
}

/* The library's callback, on its own thread, without the GIL. */
static void on_done(struct machine_i2s *obj, void *arg)
{
	I2SObject *self = arg;
	struct timespec nap = { .tv_nsec = 1000000 };

	(void)obj;
	atomic_store(&self->job, JOB_DONE);
	/* The queue is short (32): wait for room rather than lose it. */
	while (Py_AddPendingCall(run_handler, self) < 0)
		nanosleep(&nap, NULL);
}

/* After the library stopped its thread: a queued transfer never calls
 * back, so release it here. */
static void drop_queued_job(I2SObject *self)
{
	int expected = JOB_QUEUED;

	if (atomic_compare_exchange_strong(&self->job, &expected, JOB_IDLE)) {
		PyBuffer_Release(&self->job_view);
		Py_DECREF(self);
	}
}

/* ---- construction and lifetime ---------------------------------------- */

static int need_open(I2SObject *self)
{
	if (self->obj)
		return 0;
	os_error(EBADF, "I2S object is closed");
	return -1;
}

/*
 * A call that releases the GIL holds the library object, so that a close()
 * from another thread meanwhile deinitialises it (the call then fails with
 * EBADF) but does not free it under the call; the last holder frees it.
 */
static struct machine_i2s *hold(I2SObject *self)
{
	self->busy++;
	return self->obj;
}

static void unhold(I2SObject *self)
{
	if (--self->busy == 0 && self->closed) {
		machine_i2s_free(self->closed);
		self->closed = NULL;
	}
}

/* deinit(), then init with @cfg; the library's rules for a failure. */
static int reinit(I2SObject *self, int id, const struct parsed *p,
		  const struct machine_i2s_config *cfg)
{
	I2SObject *other = registry_get(id, p->num[A_MODE]);
	struct machine_i2s *obj;
	int ret;

	/* Another object has that direction of the bus: leave both alone. */
	if (other && other != self && other->obj) {
		Py_DECREF(other);
		os_error(EBUSY, "another I2S object has this id and mode");
		return -1;
	}
	Py_XDECREF(other);
	if (PyErr_Occurred())
		return -1;
	self->gen++;
	obj = hold(self);
	Py_BEGIN_ALLOW_THREADS
	ret = machine_i2s_deinit(obj);
	Py_END_ALLOW_THREADS
	if (ret < 0) {
		unhold(self);
		raise_errno(ret);
		return -1;
	}
	drop_queued_job(self);
	Py_CLEAR(self->handler);
	self->nonblocking = false;
	registry_drop(self);
	keep_config(self, id, p);
	if (registry_set(self)) {
		unhold(self);
		return -1;
	}
	Py_BEGIN_ALLOW_THREADS
	ret = machine_i2s_init(obj, cfg);
	Py_END_ALLOW_THREADS
	unhold(self);
	if (ret < 0) {
		raise_lib(ret);
		return -1;
	}
	return 0;
}

static PyObject *I2S_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
	struct machine_i2s_config cfg;
	PyObject *hold[4] = { NULL };
	struct parsed p;
	I2SObject *self = NULL;
	int id, ret;

	/* mp_arg_check_num(n_pos, n_kw, 1, ...) */
	if (PyTuple_GET_SIZE(args) < 1) {
		PyErr_SetString(PyExc_TypeError,
				"function missing 1 required positional arguments");
		return NULL;
	}
	if (get_int(PyTuple_GET_ITEM(args, 0), &id) ||
	    parse_args(PyTuple_GET_SIZE(args) - 1, kw, &p) ||
	    make_config(id, &p, &cfg, hold))
		goto out;
	ret = machine_i2s_validate(&cfg);
	if (ret < 0) {
		raise_lib(ret);
		goto out;
	}
	/* The bus's object again, re-initialised, as MicroPython does. */
	self = registry_get(id, p.num[A_MODE]);
	if (self && self->obj) {
		if (reinit(self, id, &p, &cfg))
			Py_CLEAR(self);
		goto out;
	}
	Py_CLEAR(self);		/* closed for good: a new one takes its id */
	if (PyErr_Occurred())
		goto out;
	self = (I2SObject *)type->tp_alloc(type, 0);
	if (!self)
		goto out;
	atomic_init(&self->job, JOB_IDLE);
	keep_config(self, id, &p);
	Py_BEGIN_ALLOW_THREADS
	self->obj = machine_i2s_new(&cfg);
	Py_END_ALLOW_THREADS
	if (!self->obj) {
		raise_lib(-errno);
		Py_CLEAR(self);
		goto out;
	}
	if (registry_set(self))
		Py_CLEAR(self);
out:
	release_config(hold);
	return (PyObject *)self;
}

static int I2S_traverse(I2SObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->handler);
	for (int i = 0; i < 4; i++)
		Py_VISIT(self->pins[i]);
	return 0;
}

static int I2S_clear(I2SObject *self)
{
	Py_CLEAR(self->handler);
	for (int i = 0; i < 4; i++)
		Py_CLEAR(self->pins[i]);
	return 0;
}

/* Stop and free the library object; the Python object stays, closed. */
static int close_obj(I2SObject *self)
{
	struct machine_i2s *obj = self->obj;
	int ret;

	if (!obj)
		return 0;
	self->gen++;
	hold(self);
	Py_BEGIN_ALLOW_THREADS
	ret = machine_i2s_deinit(obj);
	Py_END_ALLOW_THREADS
	if (ret < 0) {
		unhold(self);
		return ret;	/* from its own callback: cannot join itself */
	}
	if (self->obj == obj) {
		self->obj = NULL;
		self->closed = obj;	/* freed by the last holder */
	}
	drop_queued_job(self);
	Py_CLEAR(self->handler);
	unhold(self);
	return 0;
}

static void I2S_dealloc(I2SObject *self)
{
	PyObject_GC_UnTrack(self);
	if (self->weakrefs)
		PyObject_ClearWeakRefs((PyObject *)self);
	/* No job can be queued and no call can hold it: each would hold
	 * a reference. */
	machine_i2s_free(self->obj);
	machine_i2s_free(self->closed);
	self->obj = NULL;
	self->closed = NULL;
	if (registry)
		registry_drop(self);
	I2S_clear(self);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *I2S_init(I2SObject *self, PyObject *args, PyObject *kw)
{
	struct machine_i2s_config cfg;
	PyObject *hold[4] = { NULL };
	struct parsed p;
	PyObject *ret = NULL;
	int err;

	if (need_open(self) ||
	    parse_args(PyTuple_GET_SIZE(args), kw, &p) ||
	    make_config(self->id, &p, &cfg, hold))
		goto out;
	err = machine_i2s_validate(&cfg);
	if (err < 0) {
		raise_lib(err);
		goto out;
	}
	if (!reinit(self, self->id, &p, &cfg))
		ret = Py_NewRef(Py_None);
out:
	release_config(hold);
	return ret;
}

static PyObject *I2S_deinit(I2SObject *self, PyObject *unused)
{
	int ret;

	(void)unused;
	if (self->obj) {
		struct machine_i2s *obj = hold(self);

		self->gen++;
		Py_BEGIN_ALLOW_THREADS
		ret = machine_i2s_deinit(obj);
		Py_END_ALLOW_THREADS
		unhold(self);
		if (ret < 0)
			return raise_errno(ret);
		drop_queued_job(self);
	}
	Py_CLEAR(self->handler);
	self->nonblocking = false;
	Py_RETURN_NONE;
}

static PyObject *I2S_close(I2SObject *self, PyObject *unused)
{
	int ret;

	(void)unused;
	ret = close_obj(self);
	if (ret < 0)
		return raise_errno(ret);
	registry_drop(self);
	Py_RETURN_NONE;
}

static PyObject *I2S_enter(I2SObject *self, PyObject *unused)
{
	(void)unused;
	return Py_NewRef(self);
}

static PyObject *I2S_exit(I2SObject *self, PyObject *args)
{
	(void)args;
	return I2S_close(self, NULL);
}

/* ---- transfers ---------------------------------------------------------- */

/* py/stream.c's (buf[, off], max_len): the part of @view to move. */
static int stream_range(PyObject *const *args, Py_ssize_t nargs,
			Py_ssize_t maxargs, Py_buffer *view,
			char **start, size_t *len)
{
	size_t off = 0, max_len = (size_t)-1;

	if (nargs < 1 || nargs > maxargs) {
		PyErr_Format(PyExc_TypeError,
			     "function expected at most %zd arguments, got %zd",
			     maxargs + 1, nargs + 1);
		return -1;
	}
	for (Py_ssize_t i = 1; i < nargs; i++) {
		/* mp_obj_get_int_truncated(): wraps to a size, as C does. */
		size_t v;

		if (!PyLong_Check(args[i])) {
			PyErr_Format(PyExc_TypeError, "can't convert %s to int",
				     Py_TYPE(args[i])->tp_name);
			return -1;
		}
		v = PyLong_AsSize_t(args[i]);
		if (v == (size_t)-1 && PyErr_Occurred()) {
			PyErr_Clear();
			v = (size_t)PyLong_AsUnsignedLongLongMask(args[i]);
		}
		if (nargs == 2 || i == 2)
			max_len = v;
		else
			off = v;
	}
	if (off > (size_t)view->len)
		off = (size_t)view->len;
	*start = (char *)view->buf + off;
	*len = (size_t)view->len - off;
	if (*len > max_len)
		*len = max_len;
	return 0;
}

/* Raise EBADF if the object was closed or reconfigured since @gen. */
static bool changed(I2SObject *self, unsigned int gen)
{
	if (self->gen == gen && self->obj)
		return false;
	os_error(EBADF, "I2S reconfigured during the transfer");
	return true;
}

/*
 * Move @len bytes, the GIL released while the library waits. A signal
 * ends the library's wait (MACHINE_I2S_EINTR): its handler runs here, and
 * a KeyboardInterrupt stops the transfer within one period. A signal
 * that lands between two of the library's waits ends none, so a blocking
 * transfer goes in pieces of about ibuf: the handler runs after the
 * piece, within one buffer's time.
 */
static PyObject *transfer(I2SObject *self, char *buf, size_t len, bool tx)
{
	size_t fb = (size_t)(self->bits / 8) * (self->format == PY_STEREO ? 2 : 1);
	size_t piece = (size_t)self->ibuf / fb * fb, n;
	unsigned int gen = self->gen;
	struct machine_i2s *obj;
	size_t done = 0;
	ssize_t r;

	/* A partial RX frame is refused by the library before it reads. */
	if (!piece || (!tx && len % fb))
		piece = len ? len : fb;
	for (;;) {
		/* Between pieces other threads and signal handlers ran, and
		 * may have closed or reconfigured the object. */
		if (changed(self, gen))
			return NULL;
		n = len - done;
		if (!self->nonblocking && n > piece)
			n = piece;
		obj = hold(self);
		Py_BEGIN_ALLOW_THREADS
		r = tx ? machine_i2s_write(obj, buf + done, n) :
			 machine_i2s_readinto(obj, buf + done, n);
		Py_END_ALLOW_THREADS
		unhold(self);
		/* Closed or reconfigured by another thread meanwhile: even a
		 * short count or EAGAIN is the old object's, not an answer. */
		if (changed(self, gen))
			return NULL;
		if (r > 0)
			done += (size_t)r;
		if (r == -EAGAIN && self->nonblocking)
			break;
		/* Raised even after some bytes, as MicroPython never
		 * returns a short blocking transfer. */
		if (r < 0 && r != -EINTR && r != -EAGAIN)
			return raise_errno(r);
		if (done == len || self->nonblocking)
			break;
		if (PyErr_CheckSignals() < 0)
			return NULL;
	}
	if (!done && len && self->nonblocking)
		Py_RETURN_NONE;
	return PyLong_FromSize_t(done);
}

/* Callback style: the library moves the data later; keep the buffer. */
static PyObject *queue(I2SObject *self, Py_buffer *view, char *buf,
		       size_t len, bool tx)
{
	ssize_t r;

	if (atomic_load(&self->job) != JOB_IDLE) {
		PyBuffer_Release(view);
		return os_error(EBUSY,
				"the previous transfer is still in progress");
	}
	self->job_view = *view;
	atomic_store(&self->job, JOB_QUEUED);
	Py_INCREF(self);
	r = tx ? machine_i2s_write(self->obj, buf, len) :
		 machine_i2s_readinto(self->obj, buf, len);
	if (r < 0) {
		drop_queued_job(self);
		return raise_errno(r);
	}
	return PyLong_FromSsize_t(r);
}

static PyObject *io(I2SObject *self, PyObject *const *args, Py_ssize_t nargs,
		    bool tx)
{
	Py_buffer view;
	PyObject *ret;
	size_t len;
	char *buf;

	if (nargs < 1) {
		PyErr_SetString(PyExc_TypeError,
				"function missing 1 required positional arguments");
		return NULL;
	}
	if (need_open(self) ||
	    PyObject_GetBuffer(args[0], &view,
			       tx ? PyBUF_SIMPLE : PyBUF_WRITABLE) < 0)
		return NULL;
	if (stream_range(args, nargs, tx ? 3 : 2, &view, &buf, &len)) {
		PyBuffer_Release(&view);
		return NULL;
	}
	if (!len) {
		/* i2s.c's stream read and write: 0 at once, in every style. */
		PyBuffer_Release(&view);
		return PyLong_FromLong(0);
	}
	if (self->handler)
		return queue(self, &view, buf, len, tx);
	ret = transfer(self, buf, len, tx);
	PyBuffer_Release(&view);
	return ret;
}

static PyObject *I2S_write(I2SObject *self, PyObject *const *args,
			   Py_ssize_t nargs)
{
	return io(self, args, nargs, true);
}

static PyObject *I2S_readinto(I2SObject *self, PyObject *const *args,
			      Py_ssize_t nargs)
{
	return io(self, args, nargs, false);
}

static PyObject *I2S_irq(I2SObject *self, PyObject *handler)
{
	int ret;

	if (handler != Py_None && !PyCallable_Check(handler)) {
		PyErr_SetString(PyExc_ValueError, "invalid callback");
		return NULL;
	}
	if (need_open(self))
		return NULL;
	self->gen++;
	if (handler == Py_None) {
		struct machine_i2s *obj = hold(self);

		/* Waits for a transfer in progress to finish. */
		Py_BEGIN_ALLOW_THREADS
		ret = machine_i2s_irq(obj, NULL, NULL);
		Py_END_ALLOW_THREADS
		unhold(self);
		if (ret < 0)
			return raise_errno(ret);
		Py_CLEAR(self->handler);
		Py_RETURN_NONE;
	}
	ret = machine_i2s_irq(self->obj, on_done, self);
	if (ret < 0)
		return raise_errno(ret);
	Py_INCREF(handler);
	Py_XSETREF(self->handler, handler);
	Py_RETURN_NONE;
}

/* shift(*, buf, bits, shift) and the extension saturate=False. */
static PyObject *I2S_shift(PyObject *unused, PyObject *args, PyObject *kw)
{
	static const struct arg names[] = {
		{ "buf", true, false }, { "bits", true, true },
		{ "shift", true, true }, { "saturate", false, false },
	};
	PyObject *val[4];
	int num[4] = { 0 }, sat = 0, ret;
	Py_buffer view;

	(void)unused;
	if (parse_kw(PyTuple_GET_SIZE(args), kw, names, 4, val, num))
		return NULL;
	if (val[3]) {
		sat = PyObject_IsTrue(val[3]);
		if (sat < 0)
			return NULL;
	}
	if (PyObject_GetBuffer(val[0], &view, PyBUF_WRITABLE) < 0)
		return NULL;
	ret = (sat ? machine_i2s_shift_saturating : machine_i2s_shift)(
		view.buf, (size_t)view.len, num[1], num[2]);
	PyBuffer_Release(&view);
	if (ret < 0)
		return raise_lib(ret);
	Py_RETURN_NONE;
}

/* ---- extensions ------------------------------------------------------- */

static PyObject *I2S_fileno(I2SObject *self, PyObject *unused)
{
	int fd;

	(void)unused;
	if (need_open(self))
		return NULL;
	fd = machine_i2s_fileno(self->obj);
	return fd < 0 ? raise_errno(fd) : PyLong_FromLong(fd);
}

static PyObject *I2S_set_nonblocking(I2SObject *self, PyObject *const *args,
				     Py_ssize_t nargs)
{
	int flag = 1, ret;

	if (nargs > 1) {
		PyErr_SetString(PyExc_TypeError,
				"set_nonblocking() takes at most 1 argument");
		return NULL;
	}
	if (nargs == 1 && (flag = PyObject_IsTrue(args[0])) < 0)
		return NULL;
	if (need_open(self))
		return NULL;
	self->gen++;
	ret = machine_i2s_set_nonblocking(self->obj, flag);
	if (ret < 0)
		return raise_errno(ret);
	self->nonblocking = flag;
	Py_RETURN_NONE;
}

static PyObject *I2S_drain(I2SObject *self, PyObject *unused)
{
	int ret;

	(void)unused;
	if (need_open(self))
		return NULL;
	for (;;) {
		struct machine_i2s *obj = hold(self);

		Py_BEGIN_ALLOW_THREADS
		ret = machine_i2s_drain(obj);
		Py_END_ALLOW_THREADS
		unhold(self);
		if (ret != -EINTR || !self->obj)
			break;
		if (PyErr_CheckSignals() < 0)
			return NULL;
	}
	if (ret < 0)
		return raise_errno(ret);
	Py_RETURN_NONE;
}

static PyObject *I2S_stats(I2SObject *self, PyObject *unused)
{
	struct machine_i2s_stats st;
	int ret;

	(void)unused;
	if (need_open(self))
		return NULL;
	ret = machine_i2s_get_stats(self->obj, &st);
	if (ret < 0)
		return raise_errno(ret);
	return Py_BuildValue("{sKsKsnsnsnsIsIsI}",
			     "frames", (unsigned long long)st.frames,
			     "xruns", (unsigned long long)st.xruns,
			     "buffer_bytes", (Py_ssize_t)st.buffer_bytes,
			     "period_bytes", (Py_ssize_t)st.period_bytes,
			     "fill_bytes", (Py_ssize_t)st.fill_bytes,
			     "device_channels", st.device_channels,
			     "device_bits", st.device_bits,
			     "device_rate", st.device_rate);
}

static PyObject *I2S_get_device(I2SObject *self, void *unused)
{
	const char *name = self->obj ? machine_i2s_device(self->obj) : NULL;

	(void)unused;
	if (!name)
		Py_RETURN_NONE;
	return PyUnicode_FromString(name);
}

/* MicroPython's layout (extmod/machine_i2s.c, machine_i2s_print()). */
static PyObject *I2S_repr(I2SObject *self)
{
	PyObject *s[4] = { NULL }, *ret = NULL;
	int i;

	for (i = 0; i < 4; i++) {
		s[i] = PyObject_Str(self->pins[i] ? self->pins[i] : Py_None);
		if (!s[i])
			goto out;
	}
	ret = PyUnicode_FromFormat("I2S(id=%d,\nsck=%U,\nws=%U,\nsd=%U,\n"
				   "mck=%U,\nmode=%d,\nbits=%d, format=%d,\n"
				   "rate=%d, ibuf=%d)", self->id, s[0], s[1],
				   s[2], s[3], self->mode, self->bits,
				   self->format, self->rate, self->ibuf);
out:
	for (i = 0; i < 4; i++)
		Py_XDECREF(s[i]);
	return ret;
}

/* atexit: stop every library thread before the interpreter goes. */
static PyObject *close_all(PyObject *module, PyObject *unused)
{
	PyObject *refs, *ref, *obj;
	Py_ssize_t i;

	(void)module;
	(void)unused;
	refs = PyDict_Values(registry);
	if (!refs)
		return NULL;
	for (i = 0; i < PyList_GET_SIZE(refs); i++) {
		ref = PyList_GET_ITEM(refs, i);
		obj = PyWeakref_GetObject(ref);
		if (obj == Py_None)
			continue;
		/* close_obj() releases the GIL: keep the object meanwhile. */
		Py_INCREF(obj);
		close_obj((I2SObject *)obj);
		Py_DECREF(obj);
	}
	Py_DECREF(refs);
	Py_RETURN_NONE;
}

PyDoc_STRVAR(I2S_doc,
"I2S(id, *, sck, ws, sd, mck=None, mode, bits, format, rate, ibuf)\n"
"\n"
"MicroPython's machine.I2S on an ALSA PCM (see the machine module).");

static PyMethodDef I2S_methods[] = {
	{ "init", (PyCFunction)(void (*)(void))I2S_init,
	  METH_VARARGS | METH_KEYWORDS,
	  "init(*, sck, ws, sd, mck=None, mode, bits, format, rate, ibuf)\n"
	  "Deinitialise, then configure the bus again." },
	{ "deinit", (PyCFunction)I2S_deinit, METH_NOARGS,
	  "Stop at once, dropping what is queued; init() may follow." },
	{ "write", (PyCFunction)(void (*)(void))I2S_write, METH_FASTCALL,
	  "write(buf[, off], [max_len]) -> int\n"
	  "Write samples; any length (a trailing partial frame is kept)." },
	{ "readinto", (PyCFunction)(void (*)(void))I2S_readinto, METH_FASTCALL,
	  "readinto(buf[, max_len]) -> int\nRead whole frames into buf." },
	{ "irq", (PyCFunction)I2S_irq, METH_O,
	  "irq(handler)\n"
	  "Call handler(i2s) on the main thread when a transfer is done;\n"
	  "write() and readinto() then return at once. None: blocking." },
	{ "shift", (PyCFunction)(void (*)(void))I2S_shift,
	  METH_VARARGS | METH_KEYWORDS | METH_STATIC,
	  "shift(*, buf, bits, shift, saturate=False)\n"
	  "Shift every sample in buf left (shift > 0) or right (< 0)." },
	{ "fileno", (PyCFunction)I2S_fileno, METH_NOARGS,
	  "Extension: a descriptor that polls readable when I/O can move a\n"
	  "period (for event loops; do not read it)." },
	{ "set_nonblocking", (PyCFunction)(void (*)(void))I2S_set_nonblocking,
	  METH_FASTCALL,
	  "Extension: set_nonblocking(flag=True); write()/readinto() then\n"
	  "move what they can and return None when nothing could move." },
	{ "drain", (PyCFunction)I2S_drain, METH_NOARGS,
	  "Extension: wait until everything written has been played." },
	{ "stats", (PyCFunction)I2S_stats, METH_NOARGS,
	  "Extension: frames, xruns and the buffer's size and fill (dict)." },
	{ "close", (PyCFunction)I2S_close, METH_NOARGS,
	  "Extension: deinit() and release the object for good." },
	{ "__enter__", (PyCFunction)I2S_enter, METH_NOARGS, NULL },
	{ "__exit__", (PyCFunction)I2S_exit, METH_VARARGS, NULL },
	{ NULL }
};

static PyGetSetDef I2S_getset[] = {
	{ "device", (getter)I2S_get_device, NULL,
	  "Extension: the ALSA PCM name opened, or None.", NULL },
	{ NULL }
};

static PyTypeObject I2SType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "machine.I2S",
	.tp_doc = I2S_doc,
	.tp_basicsize = sizeof(I2SObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_new = I2S_new,
	.tp_dealloc = (destructor)I2S_dealloc,
	.tp_traverse = (traverseproc)I2S_traverse,
	.tp_clear = (inquiry)I2S_clear,
	.tp_repr = (reprfunc)I2S_repr,
	.tp_methods = I2S_methods,
	.tp_getset = I2S_getset,
	.tp_weaklistoffset = offsetof(I2SObject, weakrefs),
};

static PyMethodDef module_methods[] = {
	{ "_close_all", close_all, METH_NOARGS,
	  "Close every live I2S object (registered with atexit)." },
	{ NULL }
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "machine._i2s",
	.m_doc = "machine.I2S over libmachine-i2s (see machine).",
	.m_size = -1,
	.m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__i2s(void)
{
	static const struct { const char *name; int value; } consts[] = {
		{ "RX", PY_RX }, { "TX", PY_TX },
		{ "MONO", PY_MONO }, { "STEREO", PY_STEREO },
	};
	PyObject *m, *v;

	if (PyType_Ready(&I2SType) < 0)
		return NULL;
	for (size_t i = 0; i < sizeof(consts) / sizeof(consts[0]); i++) {
		v = PyLong_FromLong(consts[i].value);
		if (!v || PyDict_SetItemString(I2SType.tp_dict, consts[i].name,
					       v) < 0) {
			Py_XDECREF(v);
			return NULL;
		}
		Py_DECREF(v);
	}
	PyType_Modified(&I2SType);
	registry = PyDict_New();
	if (!registry)
		return NULL;
	m = PyModule_Create(&module);
	if (!m)
		return NULL;
	if (PyModule_AddObjectRef(m, "I2S", (PyObject *)&I2SType) < 0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
