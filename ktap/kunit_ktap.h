/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The standalone KTAP mode of the companion module: the part of KUnit's
 * API that the suites of kunit/ use, for a kernel without CONFIG_KUNIT
 * (Debian's 6.1, 6.12 and 7.2 kernels, for one). Kbuild forces this header
 * into every file of the module when KMO_KTAP=y, before anything else, so
 * that the suites' own "#include <kunit/test.h>" finds the kernel's header
 * already guarded and uses these definitions instead: the test bodies are
 * the same in both modes. ktap/kmo_ktap.c runs the suites when the module
 * is loaded and prints their results as KTAP, in the layout KUnit gives a
 * module's suites, so that the same verdict and kunit.py parse read both.
 *
 * Semantics kept from KUnit: a failed expectation marks the case failed
 * and the case goes on; a failed assertion or kunit_skip() ends it at once
 * (each case runs in its own kthread, which such a failure exits); a
 * suite's init and the case run in that thread, its exit afterwards
 * whatever happened; a case whose init fails fails; devices from
 * kunit_device_register() are unregistered when the case ends. Stricter
 * than KUnit: a skip does not replace an earlier failure. Not kept:
 * everything else of KUnit (resources, parameterized cases, attributes,
 * kunit_fail_current_test() from sanitizers: the console verdict reads
 * their reports instead).
 */
#ifndef _KMO_KUNIT_KTAP_H
#define _KMO_KUNIT_KTAP_H

/* The guards of the kernel's own kunit/test.h and kunit/device.h. */
#define _KUNIT_TEST_H
#define _KUNIT_DEVICE_H

#include <linux/completion.h>
#include <linux/compiler.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

#define KMO_KTAP_DEVICES	4

/**
 * struct kunit - the context of one running case
 * @name: the case's name
 * @status: KUNIT_SUCCESS until an expectation fails or the case skips
 * @priv: for the suite's init, case and exit
 * @status_comment: why the case skipped
 * @task: the kthread the case runs in
 * @done: completed when that kthread ends
 * @devices: what kunit_device_register() gave the case, unregistered at
 *	its end
 */
struct kunit {
	const char *name;
	enum kunit_status status;
	void *priv;
	char status_comment[128];
	struct task_struct *task;
	struct completion done;
	struct device *devices[KMO_KTAP_DEVICES];
};

/**
 * struct kunit_case - one case of a suite
 * @run_case: the case
 * @name: its name, as printed
 */
struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

/**
 * struct kunit_suite - a named list of cases
 * @name: the suite's name
 * @init: run before each case, in the case's thread; an error fails it
 * @exit: run after each case, however it ended
 * @test_cases: the cases, ended by an empty one
 */
struct kunit_suite {
	const char *name;
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(test_name)	{ .run_case = test_name, .name = #test_name }

/*
 * Each file's suites, under a name of the file's own (Kbuild passes
 * -DKMO_KTAP_SUITES=kmo_ktap_suites_<file>), for kmo_ktap.c to run; and
 * listed in the section .kmo_ktap_suites, one pointer a suite, as KUnit
 * lists them in .kunit_test_suites (not that section: a kernel with KUnit
 * would run them), for whoever reads the .ko to count them (the verdict
 * holds the stream's plan to that count).
 */
#define kunit_test_suites(...)						\
	extern struct kunit_suite *KMO_KTAP_SUITES[];			\
	struct kunit_suite *KMO_KTAP_SUITES[] = { __VA_ARGS__, NULL };	\
	static struct kunit_suite *const __kmo_ktap_listed[] __used	\
		__section(".kmo_ktap_suites") = { __VA_ARGS__ }

void kmo_ktap_report(struct kunit *test, bool assertion, const char *file, int line,
		     const char *fmt, ...) __printf(5, 6);
void kmo_ktap_note(struct kunit *test, const char *fmt, ...) __printf(2, 3);
void kmo_ktap_fail(struct kunit *test);
void kmo_ktap_abort(struct kunit *test);
void kmo_ktap_mark_skipped(struct kunit *test, const char *fmt, ...) __printf(2, 3);
struct device *kmo_ktap_device_register(struct kunit *test, const char *name);
void kmo_ktap_device_unregister(struct kunit *test, struct device *dev);

/*
 * One check: on failure, the report (file and line, the expression, the
 * values), then the caller's message if it gave one (fmt NULL: none, as
 * in KUnit), then the case is marked failed and, for an assertion, ended.
 */
#define KMO_KTAP_FAILED(test, abort, what, fmt, ...)			\
	do {								\
		what;							\
		kmo_ktap_note(test, fmt, ##__VA_ARGS__);		\
		kmo_ktap_fail(test);					\
		if (abort)						\
			kmo_ktap_abort(test);				\
	} while (0)

#define KMO_KTAP_BINARY(test, abort, l, op, r, ...)			\
	do {								\
		const typeof(l) __kmo_ktap_l = (l);				\
		const typeof(r) __kmo_ktap_r = (r);				\
									\
		if (!(__kmo_ktap_l op __kmo_ktap_r))				\
			KMO_KTAP_FAILED(test, abort,			\
				kmo_ktap_report(test, abort, __FILE__, __LINE__, \
					"Expected %s %s %s, but\n%s == %lld (0x%llx)\n%s == %lld (0x%llx)", \
					#l, #op, #r,			\
					#l, (long long)__kmo_ktap_l, (unsigned long long)__kmo_ktap_l, \
					#r, (long long)__kmo_ktap_r, (unsigned long long)__kmo_ktap_r), \
				__VA_ARGS__);				\
	} while (0)

#define KMO_KTAP_PTR(test, abort, l, op, r, ...)			\
	do {								\
		const void *__kmo_ktap_l = (l);				\
		const void *__kmo_ktap_r = (r);				\
									\
		if (!(__kmo_ktap_l op __kmo_ktap_r))				\
			KMO_KTAP_FAILED(test, abort,			\
				kmo_ktap_report(test, abort, __FILE__, __LINE__, \
					"Expected %s %s %s, but\n%s == %px\n%s == %px", \
					#l, #op, #r, #l, __kmo_ktap_l, #r, __kmo_ktap_r), \
				__VA_ARGS__);				\
	} while (0)

#define KMO_KTAP_BOOL(test, abort, cond, want, ...)			\
	do {								\
		if ((!!(cond)) != (want))				\
			KMO_KTAP_FAILED(test, abort,			\
				kmo_ktap_report(test, abort, __FILE__, __LINE__, \
					"Expected %s to be %s", #cond,	\
					(want) ? "true" : "false"),	\
				__VA_ARGS__);				\
	} while (0)

#define KUNIT_EXPECT_EQ(test, l, r)		KMO_KTAP_BINARY(test, false, l, ==, r, NULL)
#define KUNIT_EXPECT_EQ_MSG(test, l, r, ...)	KMO_KTAP_BINARY(test, false, l, ==, r, __VA_ARGS__)
#define KUNIT_EXPECT_GE(test, l, r)		KMO_KTAP_BINARY(test, false, l, >=, r, NULL)
#define KUNIT_EXPECT_GE_MSG(test, l, r, ...)	KMO_KTAP_BINARY(test, false, l, >=, r, __VA_ARGS__)
#define KUNIT_EXPECT_LE(test, l, r)		KMO_KTAP_BINARY(test, false, l, <=, r, NULL)
#define KUNIT_EXPECT_LE_MSG(test, l, r, ...)	KMO_KTAP_BINARY(test, false, l, <=, r, __VA_ARGS__)
#define KUNIT_ASSERT_EQ(test, l, r)		KMO_KTAP_BINARY(test, true, l, ==, r, NULL)
#define KUNIT_ASSERT_EQ_MSG(test, l, r, ...)	KMO_KTAP_BINARY(test, true, l, ==, r, __VA_ARGS__)
#define KUNIT_EXPECT_PTR_EQ(test, l, r)		KMO_KTAP_PTR(test, false, l, ==, r, NULL)
#define KUNIT_EXPECT_PTR_EQ_MSG(test, l, r, ...) KMO_KTAP_PTR(test, false, l, ==, r, __VA_ARGS__)
#define KUNIT_EXPECT_NULL(test, p)		KMO_KTAP_PTR(test, false, p, ==, NULL, NULL)
#define KUNIT_EXPECT_NULL_MSG(test, p, ...)	KMO_KTAP_PTR(test, false, p, ==, NULL, __VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL(test, p)		KMO_KTAP_PTR(test, false, p, !=, NULL, NULL)
#define KUNIT_EXPECT_NOT_NULL_MSG(test, p, ...)	KMO_KTAP_PTR(test, false, p, !=, NULL, __VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL(test, p)		KMO_KTAP_PTR(test, true, p, !=, NULL, NULL)
#define KUNIT_ASSERT_NOT_NULL_MSG(test, p, ...)	KMO_KTAP_PTR(test, true, p, !=, NULL, __VA_ARGS__)
#define KUNIT_EXPECT_TRUE(test, c)		KMO_KTAP_BOOL(test, false, c, true, NULL)
#define KUNIT_EXPECT_TRUE_MSG(test, c, ...)	KMO_KTAP_BOOL(test, false, c, true, __VA_ARGS__)
#define KUNIT_EXPECT_FALSE(test, c)		KMO_KTAP_BOOL(test, false, c, false, NULL)
#define KUNIT_EXPECT_FALSE_MSG(test, c, ...)	KMO_KTAP_BOOL(test, false, c, false, __VA_ARGS__)
#define KUNIT_ASSERT_TRUE(test, c)		KMO_KTAP_BOOL(test, true, c, true, NULL)
#define KUNIT_ASSERT_FALSE(test, c)		KMO_KTAP_BOOL(test, true, c, false, NULL)

#define KUNIT_FAIL(test, fmt, ...)					\
	KMO_KTAP_FAILED(test, false,					\
			kmo_ktap_report(test, false, __FILE__, __LINE__, fmt, ##__VA_ARGS__), NULL)

#define kunit_mark_skipped(test, fmt, ...)				\
	kmo_ktap_mark_skipped(test, fmt, ##__VA_ARGS__)

#define kunit_skip(test, fmt, ...)					\
	do {								\
		kmo_ktap_mark_skipped(test, fmt, ##__VA_ARGS__);	\
		kmo_ktap_abort(test);					\
	} while (0)

static inline struct device *kunit_device_register(struct kunit *test, const char *name)
{
	return kmo_ktap_device_register(test, name);
}

static inline void kunit_device_unregister(struct kunit *test, struct device *dev)
{
	kmo_ktap_device_unregister(test, dev);
}

#endif /* _KMO_KUNIT_KTAP_H */
