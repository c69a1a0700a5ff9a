// SPDX-License-Identifier: GPL-2.0-only
/*
 * Not a test of the family: a test that the sanitizer cells' kmemleak
 * scan sees a leak. The one case passes and leaks what kzalloc_obj()
 * gave it; after the module, kmemleak must list the object with this
 * case in its back trace, and the verdict must fail the console on that
 * alone (scripts/bite.sh).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>

struct kmo_leak {
	u64 a;
	u32 b;
};

static noinline struct kmo_leak *leak_alloc(void)
{
	struct kmo_leak *p = kzalloc_obj(*p);

	OPTIMIZER_HIDE_VAR(p);
	return p;
}

static void leak_test(struct kunit *test)
{
	/* Only the address's truth value outlives the call. */
	KUNIT_EXPECT_TRUE(test, leak_alloc() != NULL);
}

static struct kunit_case kmo_leak_cases[] = {
	KUNIT_CASE(leak_test),
	{}
};

static struct kunit_suite kmo_leak_suite = {
	.name = "kmalloc_obj_leak",
	.test_cases = kmo_leak_cases,
};

kunit_test_suites(&kmo_leak_suite);

MODULE_DESCRIPTION("An allocation the sanitizer cells' kmemleak scan must report");
MODULE_LICENSE("GPL");
