// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the devm_ members of the kmalloc_obj() family: the
 * request each one makes of devres (device, bytes, flags), the counter of
 * a __counted_by() array, zeroing, refusals, argument evaluation, and the
 * lifetime of the memory: it belongs to the device.
 *
 * A file of its own, beside the suites of kmalloc_obj_kunit.c, because a
 * tree whose family has no devm_ members cannot build it at all. The same
 * file builds in-tree and as an out-of-tree module. Test cases end in
 * _test; the file's own types and helpers start with kmd_ (kmalloc_obj
 * devm).
 */
#include <kunit/test.h>
#include <linux/align.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
/* KUnit devices: 6.8 onwards. */
#if __has_include("kunit/device.h")
#include <kunit/device.h>
#define KMD_KUNIT_DEVICE	1
#else
#define KMD_KUNIT_DEVICE	0
#endif

/* As in kmalloc_obj_kunit.c: what the compiler, not the tree, can do. */
#if defined(__clang__)
#define KMD_HAVE_COUNTER	(__clang_major__ > 22 ||			\
				 (__clang_major__ == 22 && __clang_minor__ >= 1))
#else
#define KMD_HAVE_COUNTER	(__GNUC__ >= 15)
#endif

/*
 * sizeof, the offset of the array, the element size and the pointer size
 * all differ (16, 9, 1, 8 on 64-bit; 12, 9, 1, 4 on i386); kmd_e12 is 12
 * bytes. Both are aligned to no more than ARCH_KMALLOC_MINALIGN, as the
 * devm_ helpers require.
 */
struct kmd_t16 {
	u64 x;
	u8 n;
	u8 items[] __counted_by(n);
};

struct kmd_e12 {
	u32 a, b, c;
};

/* The largest alignment the devm_ helpers accept, with an odd size. */
struct kmd_amax {
	u8 b[3 * ARCH_KMALLOC_MINALIGN - 1];
} __aligned(ARCH_KMALLOC_MINALIGN);

#define kmd_runtime(x)		({ typeof(x) __v = (x); OPTIMIZER_HIDE_VAR(__v); __v; })
#define KMD_GFP(g)		((__force unsigned long)(g))
#define KMD_BYTES(p, member)	((u8 *)(p) + offsetof(typeof(*(p)), member))
#define Z			__GFP_ZERO
#define ACCT			GFP_KERNEL_ACCOUNT

static void kmd_not_exercised(struct kunit *test, const char *why)
{
	if (test->status == KUNIT_SUCCESS)
		kunit_mark_skipped(test, "not exercised: %s", why);
}

/*
 * The device each case allocates for: a KUnit device where the tree has
 * them (6.8 onwards; KUnit unregisters it when the case ends), before that
 * a bare device of no bus, unregistered by the suite's exit.
 */
#if KMD_KUNIT_DEVICE
static struct device *kmd_device_register(struct kunit *test, const char *name)
{
	return kunit_device_register(test, name);
}

static void kmd_device_unregister(struct kunit *test, struct device *dev)
{
	kunit_device_unregister(test, dev);
}
#else
static void kmd_device_release(struct device *dev)
{
	kfree(dev);
}

static struct device *kmd_device_register(struct kunit *test, const char *name)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	int err;

	if (!dev)
		return ERR_PTR(-ENOMEM);
	device_initialize(dev);
	dev->release = kmd_device_release;
	err = dev_set_name(dev, "%s", name);
	if (!err)
		err = device_add(dev);
	if (err) {
		put_device(dev);
		return ERR_PTR(err);
	}
	return dev;
}

static void kmd_device_unregister(struct kunit *test, struct device *dev)
{
	device_unregister(dev);
}
#endif

static int kmd_init(struct kunit *test)
{
	struct device *dev = kmd_device_register(test, "kmalloc_obj_devm");

	if (IS_ERR(dev))
		return PTR_ERR(dev);
	test->priv = dev;
	return 0;
}

static void kmd_exit(struct kunit *test)
{
	if (!KMD_KUNIT_DEVICE && test->priv)
		kmd_device_unregister(test, test->priv);
}

/* Entries on the device's devres list: allocations, actions, groups. */
static unsigned int kmd_devres_count(struct device *dev)
{
	struct list_head *pos;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&dev->devres_lock, flags);
	list_for_each(pos, &dev->devres_head)
		n++;
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	return n;
}

/*
 * The devm_ helpers expand where they are used, so the devres allocators
 * they may call (devm_kmalloc(), devm_kzalloc(), and on trees whose
 * family goes through them devm_kmalloc_array() and devm_kcalloc()) are
 * replaced, for the rest of this file, by a spy that records the device,
 * the bytes and the flags, then allocates with devm_kmalloc() for real.
 * A zeroing allocator is recorded as its flags plus __GFP_ZERO. Like
 * devm_kmalloc_array(), the spy refuses an overflowing product itself.
 */
static struct {
	unsigned int calls;
	struct device *dev;
	size_t bytes;
	gfp_t gfp;
} kmd_spy;

static void *kmd_spy_alloc(struct device *dev, size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	kmd_spy.calls++;
	kmd_spy.dev = dev;
	kmd_spy.bytes = bytes;
	kmd_spy.gfp = gfp;
	return devm_kmalloc(dev, bytes, gfp);
}

#undef devm_kmalloc
#undef devm_kzalloc
#undef devm_kmalloc_array
#undef devm_kcalloc
#define devm_kmalloc(d, s, g)		kmd_spy_alloc(d, 1, s, g)
#define devm_kzalloc(d, s, g)		kmd_spy_alloc(d, 1, s, (g) | __GFP_ZERO)
#define devm_kmalloc_array(d, n, s, g)	kmd_spy_alloc(d, n, s, g)
#define devm_kcalloc(d, n, s, g)	kmd_spy_alloc(d, n, s, (g) | __GFP_ZERO)

/*
 * One call of devres for @dev, of @bytes_ with exactly @gfp_; the result
 * is not NULL, aligned to its type, and one more entry on the device's
 * devres list. It stays allocated: the device frees it.
 */
#define KMD_EXPECT_CALL(test, dev, p, alloc, bytes_, gfp_)		\
	do {								\
		unsigned int __before = kmd_devres_count(dev);		\
									\
		memset(&kmd_spy, 0, sizeof(kmd_spy));			\
		(p) = (alloc);						\
		KUNIT_EXPECT_EQ_MSG(test, kmd_spy.calls, 1, "%s", #alloc); \
		KUNIT_EXPECT_PTR_EQ_MSG(test, kmd_spy.dev, dev, "%s: device", #alloc); \
		KUNIT_EXPECT_EQ_MSG(test, kmd_spy.bytes, (size_t)(bytes_), \
				    "%s: bytes", #alloc);		\
		KUNIT_EXPECT_EQ_MSG(test, KMD_GFP(kmd_spy.gfp), KMD_GFP(gfp_), \
				    "%s: flags", #alloc);		\
		KUNIT_ASSERT_NOT_NULL_MSG(test, (p), "%s", #alloc);	\
		KUNIT_EXPECT_EQ_MSG(test, (unsigned long)kmd_runtime(p) & \
				    (__alignof__(*(p)) - 1), 0,		\
				    "%s: misaligned for %zu", #alloc,	\
				    (size_t)__alignof__(*(p)));		\
		KUNIT_EXPECT_EQ_MSG(test, kmd_devres_count(dev), __before + 1, \
				    "%s: not a devres allocation of the device", \
				    #alloc);				\
	} while (0)

/* Fill @p's @bytes and give them back, so that a reuse is dirty. */
#define KMD_DIRTY(dev, bytes)						\
	do {								\
		u8 *__d = devm_kmalloc(dev, bytes, GFP_KERNEL);		\
									\
		KUNIT_ASSERT_NOT_NULL(test, __d);			\
		memset(__d, 0xa5, bytes);				\
		devm_kfree(dev, __d);					\
	} while (0)

static void devm_obj_test(struct kunit *test)
{
	struct device *dev = test->priv;
	struct kmd_e12 *p;
	struct kmd_amax *a;
	int i;

	KUNIT_EXPECT_TRUE(test, __same_type(devm_kmalloc_obj(dev, *p), p));
	KUNIT_EXPECT_TRUE(test, __same_type(devm_kzalloc_obj(dev, struct kmd_amax), a));

	KMD_EXPECT_CALL(test, dev, p, devm_kmalloc_obj(dev, *p), 12, GFP_KERNEL);
	KMD_EXPECT_CALL(test, dev, p, devm_kmalloc_obj(dev, *p, ACCT), 12, ACCT);
	KMD_EXPECT_CALL(test, dev, p, devm_kmalloc_obj(dev, struct kmd_e12, GFP_ATOMIC),
			12, GFP_ATOMIC);

	KMD_DIRTY(dev, sizeof(*p));
	KMD_EXPECT_CALL(test, dev, p, devm_kzalloc_obj(dev, *p), 12, GFP_KERNEL | Z);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(p, 0, sizeof(*p)), NULL);
	KMD_EXPECT_CALL(test, dev, p, devm_kzalloc_obj(dev, *p, ACCT), 12, ACCT | Z);

	/* The largest accepted alignment holds behind devres' header. */
	for (i = 0; i < 16; i++) {
		KMD_EXPECT_CALL(test, dev, a, devm_kmalloc_obj(dev, *a), sizeof(*a),
				GFP_KERNEL);
		KMD_EXPECT_CALL(test, dev, a, devm_kzalloc_obj(dev, *a), sizeof(*a),
				GFP_KERNEL | Z);
	}
}

static void devm_objs_test(struct kunit *test)
{
	struct device *dev = test->priv;
	struct kmd_e12 *p;
	struct kmd_amax *a;
	u16 *w;
	int i;

	KUNIT_EXPECT_TRUE(test, __same_type(devm_kmalloc_objs(dev, *p, 2), p));
	KUNIT_EXPECT_TRUE(test, __same_type(devm_kzalloc_objs(dev, struct kmd_e12, 2), p));

	KMD_EXPECT_CALL(test, dev, p, devm_kmalloc_objs(dev, *p, 5), 60, GFP_KERNEL);
	KMD_EXPECT_CALL(test, dev, p, devm_kmalloc_objs(dev, *p, kmd_runtime(7), ACCT), 84,
			ACCT);
	KMD_EXPECT_CALL(test, dev, w, devm_kmalloc_objs(dev, *w, kmd_runtime(3u)), 6,
			GFP_KERNEL);

	KMD_DIRTY(dev, 9 * sizeof(*p));
	KMD_EXPECT_CALL(test, dev, p, devm_kzalloc_objs(dev, *p, kmd_runtime(9)), 108,
			GFP_KERNEL | Z);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(p, 0, 9 * sizeof(*p)), NULL);
	KMD_EXPECT_CALL(test, dev, p, devm_kzalloc_objs(dev, struct kmd_e12, 2, GFP_ATOMIC),
			24, GFP_ATOMIC | Z);

	/* No elements: what devm_kmalloc() gives for 0 bytes. */
	memset(&kmd_spy, 0, sizeof(kmd_spy));
	p = devm_kmalloc_objs(dev, *p, kmd_runtime(0));
	KUNIT_EXPECT_PTR_EQ(test, p, (struct kmd_e12 *)ZERO_SIZE_PTR);

	for (i = 1; i <= 16; i++) {
		KMD_EXPECT_CALL(test, dev, a, devm_kmalloc_objs(dev, *a, kmd_runtime(i)),
				i * sizeof(*a), GFP_KERNEL);
		KMD_EXPECT_CALL(test, dev, a, devm_kzalloc_objs(dev, *a, kmd_runtime(i)),
				i * sizeof(*a), GFP_KERNEL | Z);
	}
}

static void devm_flex_test(struct kunit *test)
{
	struct device *dev = test->priv;
	struct kmd_t16 *f;
	int i;

	KUNIT_EXPECT_TRUE(test, __same_type(devm_kmalloc_flex(dev, *f, items, 2), f));
	KUNIT_EXPECT_TRUE(test, __same_type(devm_kzalloc_flex(dev, struct kmd_t16, items, 2), f));

	KMD_EXPECT_CALL(test, dev, f, devm_kmalloc_flex(dev, *f, items, 20),
			struct_size(f, items, 20), GFP_KERNEL);
	KMD_EXPECT_CALL(test, dev, f, devm_kmalloc_flex(dev, *f, items, kmd_runtime(33), ACCT),
			struct_size(f, items, 33), ACCT);
	KMD_DIRTY(dev, struct_size(f, items, 40));
	KMD_EXPECT_CALL(test, dev, f, devm_kzalloc_flex(dev, *f, items, kmd_runtime(40)),
			struct_size(f, items, 40), GFP_KERNEL | Z);
	/* Zeroed, all but the counter. */
	KUNIT_EXPECT_EQ(test, f->x, 0);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(KMD_BYTES(f, items), 0, 40), NULL);
	KMD_EXPECT_CALL(test, dev, f, devm_kzalloc_flex(dev, struct kmd_t16, items, 1,
							GFP_ATOMIC),
			struct_size(f, items, 1), GFP_ATOMIC | Z);
	for (i = 0; i < 16; i++)
		KMD_EXPECT_CALL(test, dev, f, devm_kmalloc_flex(dev, *f, items, kmd_runtime(i)),
				struct_size(f, items, i), GFP_KERNEL);
}

/*
 * The counter is set on success: to the count, or to its type's maximum
 * when the count does not fit (a u8 counter and 300 elements).
 */
static void devm_counter_test(struct kunit *test)
{
	struct device *dev = test->priv;
	struct kmd_t16 *f;

	f = devm_kmalloc(dev, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	memset(f, 0xa5, sizeof(*f));
	devm_kfree(dev, f);

	KMD_EXPECT_CALL(test, dev, f, devm_kmalloc_flex(dev, *f, items, kmd_runtime(0)),
			sizeof(*f), GFP_KERNEL);
	if (KMD_HAVE_COUNTER)
		KUNIT_EXPECT_EQ(test, f->n, 0);
	KMD_EXPECT_CALL(test, dev, f, devm_kmalloc_flex(dev, *f, items, kmd_runtime(200)),
			struct_size(f, items, 200), GFP_KERNEL);
	if (KMD_HAVE_COUNTER)
		KUNIT_EXPECT_EQ(test, f->n, 200);
	KMD_EXPECT_CALL(test, dev, f, devm_kzalloc_flex(dev, *f, items, kmd_runtime(77), ACCT),
			struct_size(f, items, 77), ACCT | Z);
	if (KMD_HAVE_COUNTER)
		KUNIT_EXPECT_EQ(test, f->n, 77);
	KMD_EXPECT_CALL(test, dev, f, devm_kzalloc_flex(dev, *f, items, kmd_runtime(300)),
			struct_size(f, items, 300), GFP_KERNEL | Z);
	if (KMD_HAVE_COUNTER)
		KUNIT_EXPECT_EQ(test, f->n, U8_MAX);
	if (!KMD_HAVE_COUNTER)
		kmd_not_exercised(test, "the compiler has no __builtin_counted_by_ref()");
}

/*
 * The device, the count and the flags once each, refused calls included;
 * the type never.
 */
static void devm_eval_once_test(struct kunit *test)
{
	struct device *dev = test->priv;
	int var, ndev, count, gfp;
	struct kmd_e12 *p = NULL;
	struct kmd_t16 *f = NULL;

#define V(x)	(*(var++, (x)))
#define D	(ndev++, dev)
#define N(x)	(count++, (x))
#define G	(gfp++, GFP_KERNEL)
#define KMD_CHECK_EVAL(alloc, nr_count, refused)			\
	do {								\
		void *__p;						\
									\
		var = 0;						\
		ndev = 0;						\
		count = 0;						\
		gfp = 0;						\
		__p = (alloc);						\
		KUNIT_EXPECT_EQ_MSG(test, !__p, refused, #alloc);	\
		KUNIT_EXPECT_EQ_MSG(test, var, 0, #alloc);		\
		KUNIT_EXPECT_EQ_MSG(test, ndev, 1, #alloc);		\
		KUNIT_EXPECT_EQ_MSG(test, count, nr_count, #alloc);	\
		KUNIT_EXPECT_EQ_MSG(test, gfp, 1, #alloc);		\
	} while (0)

	KMD_CHECK_EVAL(devm_kmalloc_obj(D, V(p), G), 0, false);
	KMD_CHECK_EVAL(devm_kzalloc_obj(D, V(p), G), 0, false);
	KMD_CHECK_EVAL(devm_kmalloc_objs(D, V(p), N(3), G), 1, false);
	KMD_CHECK_EVAL(devm_kzalloc_objs(D, V(p), N(3), G), 1, false);
	KMD_CHECK_EVAL(devm_kmalloc_flex(D, V(f), items, N(3), G), 1, false);
	KMD_CHECK_EVAL(devm_kzalloc_flex(D, V(f), items, N(3), G), 1, false);
	KMD_CHECK_EVAL(devm_kmalloc_objs(D, V(p), N(-1), G), 1, true);
	KMD_CHECK_EVAL(devm_kzalloc_flex(D, V(f), items, N(-1), G), 1, true);
#undef KMD_CHECK_EVAL
#undef V
#undef D
#undef N
#undef G
}

/*
 * Refused counts, with the default flags: NULL, devres never called, the
 * device's list unchanged (and no WARN, which the verdict would see).
 */
#define KMD_EXPECT_REFUSED(test, dev, alloc)				\
	do {								\
		unsigned int __before = kmd_devres_count(dev);		\
		void *__p;						\
									\
		memset(&kmd_spy, 0, sizeof(kmd_spy));			\
		__p = (alloc);						\
		KUNIT_EXPECT_EQ_MSG(test, kmd_spy.calls, 0,		\
				    "%s: devres was called for %zu bytes", \
				    #alloc, kmd_spy.bytes);		\
		KUNIT_EXPECT_NULL_MSG(test, __p, "%s", #alloc);		\
		KUNIT_EXPECT_EQ_MSG(test, kmd_devres_count(dev), __before, \
				    "%s", #alloc);			\
	} while (0)

static void devm_refused_test(struct kunit *test)
{
	size_t wrap = SIZE_MAX / sizeof(struct kmd_e12) + 2;
	struct device *dev = test->priv;
	struct kmd_e12 *p;
	struct kmd_t16 *f;
	char *c;

	KMD_EXPECT_REFUSED(test, dev, devm_kmalloc_objs(dev, *p, kmd_runtime(-1)));
	KMD_EXPECT_REFUSED(test, dev, devm_kzalloc_objs(dev, *p, kmd_runtime(wrap)));
	KMD_EXPECT_REFUSED(test, dev, devm_kmalloc_objs(dev, *c, kmd_runtime(INT_MIN)));
	KMD_EXPECT_REFUSED(test, dev, devm_kzalloc_objs(dev, *c, kmd_runtime((s64)-2)));
	KMD_EXPECT_REFUSED(test, dev, devm_kmalloc_flex(dev, *f, items, kmd_runtime(-1)));
	KMD_EXPECT_REFUSED(test, dev, devm_kzalloc_flex(dev, *f, items, kmd_runtime(SIZE_MAX)));
	KMD_EXPECT_REFUSED(test, dev, devm_kmalloc_flex(dev, *f, items,
							kmd_runtime(SIZE_MAX - sizeof(*f) + 1)));
	KMD_EXPECT_REFUSED(test, dev, devm_kzalloc_flex(dev, *f, items, kmd_runtime(INT_MIN)));
	if (sizeof(size_t) < sizeof(u64))
		KMD_EXPECT_REFUSED(test, dev, devm_kmalloc_objs(dev, *c,
							kmd_runtime((u64)SIZE_MAX + 2)));
}

static void kmd_released(void *data)
{
	*(bool *)data = true;
}

/*
 * The memory belongs to the device. In a devres group, each helper's
 * allocation is one resource of the device, and releasing the group
 * releases exactly those and empties the list again; a device with such
 * allocations, once unregistered, has run its devres release (an action
 * added before them runs after them).
 */
static void devm_lifetime_test(struct kunit *test)
{
	struct device *dev = test->priv;
	unsigned int base = kmd_devres_count(dev);
	struct kmd_e12 *p;
	struct kmd_t16 *f;
	struct device *gone;
	bool released = false;
	void *group;

	group = devres_open_group(dev, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, group);
	KUNIT_EXPECT_NOT_NULL(test, devm_kmalloc_obj(dev, *p));
	KUNIT_EXPECT_NOT_NULL(test, devm_kzalloc_obj(dev, *p));
	KUNIT_EXPECT_NOT_NULL(test, devm_kmalloc_objs(dev, *p, kmd_runtime(4)));
	KUNIT_EXPECT_NOT_NULL(test, devm_kzalloc_objs(dev, *p, kmd_runtime(4)));
	KUNIT_EXPECT_NOT_NULL(test, devm_kmalloc_flex(dev, *f, items, kmd_runtime(4)));
	KUNIT_EXPECT_NOT_NULL(test, devm_kzalloc_flex(dev, *f, items, kmd_runtime(4)));
	devres_close_group(dev, group);
	/* Six allocations and the group's two markers. */
	KUNIT_EXPECT_EQ(test, kmd_devres_count(dev), base + 8);
	KUNIT_EXPECT_EQ(test, devres_release_group(dev, group), 6);
	KUNIT_EXPECT_EQ(test, kmd_devres_count(dev), base);

	gone = kmd_device_register(test, "kmalloc_obj_devm_gone");
	KUNIT_ASSERT_FALSE(test, IS_ERR(gone));
	KUNIT_ASSERT_EQ(test, devm_add_action(gone, kmd_released, &released), 0);
	base = kmd_devres_count(gone);
	KUNIT_EXPECT_NOT_NULL(test, devm_kmalloc_obj(gone, *p));
	KUNIT_EXPECT_NOT_NULL(test, devm_kzalloc_objs(gone, *p, kmd_runtime(5)));
	KUNIT_EXPECT_NOT_NULL(test, devm_kzalloc_flex(gone, *f, items, kmd_runtime(5)));
	KUNIT_EXPECT_EQ(test, kmd_devres_count(gone), base + 3);
	kmd_device_unregister(test, gone);
	KUNIT_EXPECT_TRUE(test, released);
}

static struct kunit_case kmalloc_obj_devm_cases[] = {
	KUNIT_CASE(devm_obj_test),
	KUNIT_CASE(devm_objs_test),
	KUNIT_CASE(devm_flex_test),
	KUNIT_CASE(devm_counter_test),
	KUNIT_CASE(devm_eval_once_test),
	KUNIT_CASE(devm_refused_test),
	KUNIT_CASE(devm_lifetime_test),
	{}
};

static struct kunit_suite kmalloc_obj_devm_suite = {
	.name = "kmalloc_obj_devm",
	.init = kmd_init,
	.exit = kmd_exit,
	.test_cases = kmalloc_obj_devm_cases,
};

kunit_test_suites(&kmalloc_obj_devm_suite);

MODULE_DESCRIPTION("KUnit tests for the devm_ kmalloc_obj() allocation helpers");
MODULE_LICENSE("GPL");
