// SPDX-License-Identifier: GPL-2.0-only
/*
 * Not a test of the family: a test that the sanitizer cells see what they
 * claim to check. One write one element past the count of a
 * kmalloc_flex() allocation: KASAN must report the access past the
 * requested size, UBSAN_BOUNDS the index past the __counted_by() counter
 * (where the compiler reads counters), and the verdict must name what
 * they print (scripts/bite.sh).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>

/*
 * The array starts at sizeof (8), so that the element past the count lies
 * past the requested size too (with padding after the array's offset,
 * struct_size() would cover it).
 */
struct kmo_bite {
	u32 x;
	u16 n;
	u32 items[] __counted_by(n);
};

/* 8 + 5 * 4 = 28 bytes asked for; items[5] is bytes 28 to 31. */
static void bite_index_test(struct kunit *test)
{
	int n = 5, i;
	struct kmo_bite *f;

	OPTIMIZER_HIDE_VAR(n);
	f = kmalloc_flex(*f, items, n);
	KUNIT_ASSERT_NOT_NULL(test, f);
	i = n;
	OPTIMIZER_HIDE_VAR(i);
	f->items[i] = 1;
	kfree(f);
}

static struct kunit_case kmo_bite_cases[] = {
	KUNIT_CASE(bite_index_test),
	{}
};

static struct kunit_suite kmo_bite_suite = {
	.name = "kmalloc_obj_bite",
	.test_cases = kmo_bite_cases,
};

kunit_test_suites(&kmo_bite_suite);

MODULE_DESCRIPTION("Out-of-bounds writes the sanitizer cells must report");
MODULE_LICENSE("GPL");
