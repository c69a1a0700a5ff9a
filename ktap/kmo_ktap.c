// SPDX-License-Identifier: GPL-2.0-only
/*
 * The standalone KTAP mode of the companion module (Kbuild: KMO_KTAP=y):
 * when the module is loaded, run the suites of kunit/ on kunit_ktap.h's
 * stand-in for KUnit and print their results as KTAP, as KUnit prints a
 * module's suites (the same verdict and kunit.py parse read both), with
 * a top-level header and plan (which KUnit prints for a module from 6.6
 * on, and not before). The kselftest
 * convention for test modules (tools/testing/selftests/kselftest_module.h,
 * lib/test_*.c): the results are the KTAP in the kernel log. Unlike those
 * modules, and like KUnit, loading succeeds whatever the results: what the
 * cases did is read from the KTAP alone.
 */
#include <linux/kthread.h>
#include <linux/sched/task.h>

extern struct kunit_suite *kmo_ktap_suites_kmalloc_obj_kunit[];
#ifdef KMO_KTAP_DEVM
extern struct kunit_suite *kmo_ktap_suites_kmalloc_obj_devm_kunit[];
#endif

/* How long a case may run: KUnit's default timeout. */
#define KMO_KTAP_TIMEOUT	(300 * HZ)

struct kmo_ktap_run {
	struct kunit test;
	const struct kunit_suite *suite;
	const struct kunit_case *tcase;
	bool ended;	/* the case's thread ended by itself, not by a crash */
};

static struct kunit_suite **const kmo_ktap_files[] = {
	kmo_ktap_suites_kmalloc_obj_kunit,
#ifdef KMO_KTAP_DEVM
	kmo_ktap_suites_kmalloc_obj_devm_kunit,
#endif
};

/* Diagnostic lines of a case: indented as its result, each a comment. */
static void kmo_ktap_lines(const char *text)
{
	const char *line = text, *nl;

	do {
		nl = strchr(line, '\n');
		pr_info("    # %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
		line = nl + 1;
	} while (nl);
}

void kmo_ktap_report(struct kunit *test, bool assertion, const char *file, int line,
		     const char *fmt, ...)
{
	char buf[256];
	va_list args;

	/* No allocation: a case may check under a spinlock. */
	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	pr_info("    # %s: %s FAILED at %s:%d\n", test->name,
		assertion ? "ASSERTION" : "EXPECTATION", file, line);
	kmo_ktap_lines(buf);
}

void kmo_ktap_note(struct kunit *test, const char *fmt, ...)
{
	char buf[256];
	va_list args;

	if (!fmt)
		return;
	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	kmo_ktap_lines(buf);
}

/* A failed check fails the case, even one marked skipped before. */
void kmo_ktap_fail(struct kunit *test)
{
	test->status = KUNIT_FAILURE;
}

/*
 * A failed assertion or kunit_skip() ends the case's thread, as KUnit's
 * do; outside it (a suite's exit) there is nothing to end.
 */
void kmo_ktap_abort(struct kunit *test)
{
	if (current == test->task) {
		container_of(test, struct kmo_ktap_run, test)->ended = true;
		kthread_complete_and_exit(&test->done, 0);
	}
}

/*
 * Stricter than KUnit, which lets a skip replace a failure: a case that
 * failed stays failed.
 */
void kmo_ktap_mark_skipped(struct kunit *test, const char *fmt, ...)
{
	va_list args;

	if (test->status == KUNIT_FAILURE)
		return;
	test->status = KUNIT_SKIPPED;
	va_start(args, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, args);
	va_end(args);
}

static void kmo_ktap_device_release(struct device *dev)
{
	kfree(dev);
}

/* A device of no bus, released when the case ends if not before. */
struct device *kmo_ktap_device_register(struct kunit *test, const char *name)
{
	struct device *dev;
	int i, err;

	for (i = 0; i < KMO_KTAP_DEVICES && test->devices[i]; i++)
		;
	if (i == KMO_KTAP_DEVICES)
		return ERR_PTR(-ENOSPC);
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	device_initialize(dev);
	dev->release = kmo_ktap_device_release;
	err = dev_set_name(dev, "%s", name);
	if (!err)
		err = device_add(dev);
	if (err) {
		put_device(dev);
		return ERR_PTR(err);
	}
	test->devices[i] = dev;
	return dev;
}

void kmo_ktap_device_unregister(struct kunit *test, struct device *dev)
{
	int i;

	for (i = 0; i < KMO_KTAP_DEVICES; i++)
		if (test->devices[i] == dev)
			test->devices[i] = NULL;
	device_unregister(dev);
}


static int kmo_ktap_case_thread(void *data)
{
	struct kmo_ktap_run *run = data;
	struct kunit *test = &run->test;
	int err = run->suite->init ? run->suite->init(test) : 0;

	if (err) {
		pr_info("    # %s: failed to initialize: %d\n", test->name, err);
		test->status = KUNIT_FAILURE;
	} else {
		run->tcase->run_case(test);
	}
	run->ended = true;
	kthread_complete_and_exit(&test->done, 0);
}

/*
 * Runs one case; returns its status. As KUnit does, the wait is for the
 * thread's exit (its vfork_done, completed by do_exit() however the
 * thread ends: an oops too), with a timeout: a case that crashes or hangs
 * fails, and the next one runs. After a timeout the thread may still run:
 * its context is left allocated.
 */
static enum kunit_status kmo_ktap_run_case(const struct kunit_suite *suite,
					   const struct kunit_case *tcase, unsigned int num)
{
	struct kmo_ktap_run *run = kzalloc(sizeof(*run), GFP_KERNEL);
	struct completion *exited;
	struct task_struct *task;
	enum kunit_status status;
	int i;

	if (!run) {
		pr_info("    # %s: no memory to run it\n", tcase->name);
		pr_info("    not ok %u %s\n", num, tcase->name);
		return KUNIT_FAILURE;
	}
	run->suite = suite;
	run->tcase = tcase;
	run->test.name = tcase->name;
	init_completion(&run->test.done);
	task = kthread_create(kmo_ktap_case_thread, run, "kmo_ktap");
	if (IS_ERR(task)) {
		pr_info("    # %s: no thread to run it: %ld\n", tcase->name, PTR_ERR(task));
		pr_info("    not ok %u %s\n", num, tcase->name);
		kfree(run);
		return KUNIT_FAILURE;
	}
	run->test.task = task;
	get_task_struct(task);
	exited = task->vfork_done;
	wake_up_process(task);
	if (!wait_for_completion_timeout(exited, KMO_KTAP_TIMEOUT)) {
		put_task_struct(task);
		pr_info("    # %s: timed out after %d s\n", tcase->name, KMO_KTAP_TIMEOUT / HZ);
		pr_info("    not ok %u %s\n", num, tcase->name);
		return KUNIT_FAILURE;
	}
	put_task_struct(task);
	if (!run->ended) {
		pr_info("    # %s: its thread died (see the kernel's report above)\n", tcase->name);
		run->test.status = KUNIT_FAILURE;
	}
	if (suite->exit)
		suite->exit(&run->test);
	for (i = KMO_KTAP_DEVICES - 1; i >= 0; i--)
		if (run->test.devices[i])
			kmo_ktap_device_unregister(&run->test, run->test.devices[i]);
	status = run->test.status;
	if (status == KUNIT_SKIPPED)
		pr_info("    ok %u %s # SKIP %s\n", num, tcase->name, run->test.status_comment);
	else
		pr_info("    %s %u %s\n", status == KUNIT_FAILURE ? "not ok" : "ok", num, tcase->name);
	kfree(run);
	return status;
}

static void kmo_ktap_run_suite(const struct kunit_suite *suite, unsigned int num)
{
	unsigned int n = 0, passed = 0, failed = 0;
	const struct kunit_case *tcase;

	for (tcase = suite->test_cases; tcase->run_case; tcase++)
		n++;
	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: %s\n", suite->name);
	pr_info("    1..%u\n", n);
	n = 0;
	for (tcase = suite->test_cases; tcase->run_case; tcase++) {
		switch (kmo_ktap_run_case(suite, tcase, ++n)) {
		case KUNIT_SUCCESS:
			passed++;
			break;
		case KUNIT_FAILURE:
			failed++;
			break;
		case KUNIT_SKIPPED:
			break;
		}
	}
	/* KUnit's rule: failed if a case failed, else skipped if none passed. */
	if (failed)
		pr_info("not ok %u %s\n", num, suite->name);
	else if (!passed)
		pr_info("ok %u %s # SKIP\n", num, suite->name);
	else
		pr_info("ok %u %s\n", num, suite->name);
}

static int __init kmo_ktap_init(void)
{
	unsigned int i, n = 0;
	struct kunit_suite **s;

	for (i = 0; i < ARRAY_SIZE(kmo_ktap_files); i++)
		for (s = kmo_ktap_files[i]; *s; s++)
			n++;
	pr_info("KTAP version 1\n");
	pr_info("1..%u\n", n);
	n = 0;
	for (i = 0; i < ARRAY_SIZE(kmo_ktap_files); i++)
		for (s = kmo_ktap_files[i]; *s; s++)
			kmo_ktap_run_suite(*s, ++n);
	return 0;
}
module_init(kmo_ktap_init);

static void __exit kmo_ktap_exit(void)
{
}
module_exit(kmo_ktap_exit);
