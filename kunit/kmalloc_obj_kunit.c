// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the kmalloc_obj() family of typed allocation helpers:
 * sizes, alignment, __counted_by() counters, saturation on overflow,
 * zeroing, the vmalloc() fallback, argument evaluation and default flags.
 *
 * The same file builds in-tree and as an out-of-tree module, so it only
 * uses what the family's headers and KUnit provide. Test cases end in
 * _test; the file's own types and helpers start with kmo_ (kmalloc_obj).
 */
#include <kunit/test.h>
#include <linux/align.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

/*
 * Whether the compiler lets the family find a __counted_by() counter:
 * GCC 15 and Clang 22.1 onwards. The expectation comes from the compiler
 * version, not from the headers under test, so a tree that fails to use
 * a capable compiler's support is caught rather than excused.
 */
#if defined(__clang__)
#define KMO_HAVE_COUNTER	(__clang_major__ > 22 ||			\
				 (__clang_major__ == 22 && __clang_minor__ >= 1))
#else
#define KMO_HAVE_COUNTER	(__GNUC__ >= 15)
#endif

#define KMO_NOWARN		(GFP_KERNEL | __GFP_NOWARN)

struct kmo_plain {
	u64 a;
	u32 b;
};

struct kmo_flex {
	u32 tag;
	u16 count;
	u32 items[] __counted_by(count);
};

struct kmo_raw {
	u32 count;
	u32 items[];
};

/* Header of 8 bytes and 8-byte elements: sizes land on bucket edges. */
struct kmo_flex8 {
	u32 count;
	u32 pad;
	u64 items[] __counted_by(count);
};

#define KMO_COUNTED(name, ctype)					\
	struct name {							\
		ctype count;						\
		u8 items[] __counted_by(count);				\
	}
/*
 * Every type the compilers accept as a counter. GCC accepts _Bool; Clang
 * 22 refuses it ("'counted_by' requires a non-boolean integer type").
 */
#if defined(__clang__)
#define KMO_BOOL_COUNTER	0
#else
#define KMO_BOOL_COUNTER	1
#endif
enum kmo_count { KMO_COUNT_SOME = 1000 };
KMO_COUNTED(kmo_c_u8, u8);
KMO_COUNTED(kmo_c_s8, s8);
KMO_COUNTED(kmo_c_char, char);
#if KMO_BOOL_COUNTER
KMO_COUNTED(kmo_c_bool, bool);
#endif
KMO_COUNTED(kmo_c_u16, u16);
KMO_COUNTED(kmo_c_s16, s16);
KMO_COUNTED(kmo_c_int, int);
KMO_COUNTED(kmo_c_u32, u32);
KMO_COUNTED(kmo_c_enum, enum kmo_count);
KMO_COUNTED(kmo_c_s64, s64);
KMO_COUNTED(kmo_c_u64, u64);

/*
 * Modelled on ext4's struct fname (fs/ext4/dir.c): a u8 counter, and
 * callers that allocate one element more than it counts, for the
 * terminator. sizeof, the array's offset, the element size and the
 * pointer size all differ.
 */
struct kmo_fname {
	u32 hash;
	void *next;
	u32 inode;
	u8 name_len;
	u8 file_type;
	char name[] __counted_by(name_len);
};

/* Over-aligned types: sizes that kmalloc() serves from 96/192 byte caches. */
struct kmo_a32 {
	u8 b[96];
} __aligned(32);

struct kmo_a64 {
	u8 b[64];
} __aligned(64);

struct kmo_a256 {
	u8 b[256];
} __aligned(256);

struct kmo_fa64 {
	u32 count;
	u32 items[] __counted_by(count);
} __aligned(64);

struct kmo_fa128 {
	u32 count;
	u32 items[] __counted_by(count);
} __aligned(128);

struct kmo_fa256 {
	u32 count;
	u32 items[] __counted_by(count);
} __aligned(256);

/*
 * Hide a value from the optimiser, so that run-time paths are tested and
 * pointers are checked as they are, not as the allocator's declared
 * alignment (__assume_aligned) lets the compiler assume they are.
 */
#define kmo_runtime(x)		({ typeof(x) __v = (x); OPTIMIZER_HIDE_VAR(__v); __v; })

/* ---------------------------------------------------------------------- */
/* Sizes, types, arguments */

/* The requested size must be exactly what the bucket was chosen for. */
#define KMO_EXPECT_BUCKET(test, p, bytes)				\
	KUNIT_EXPECT_EQ_MSG(test, ksize(p), kmalloc_size_roundup(bytes),	\
			    "allocation is not of %zu bytes", (size_t)(bytes))

static void sizes_obj_test(struct kunit *test)
{
	struct kmo_plain *p;
	struct kmo_a64 *q;

	p = kmalloc_obj(*p);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KMO_EXPECT_BUCKET(test, p, sizeof(*p));
	kfree(p);

	p = kzalloc_obj(struct kmo_plain, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KMO_EXPECT_BUCKET(test, p, sizeof(*p));
	kfree(p);

	q = kmalloc_obj(*q);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_GE(test, ksize(q), sizeof(*q));
	kfree(q);
}

static void sizes_objs_test(struct kunit *test)
{
	size_t n = kmo_runtime((size_t)16);
	u64 *a;

	a = kmalloc_objs(*a, 16);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KMO_EXPECT_BUCKET(test, a, 16 * sizeof(*a));
	kfree(a);

	a = kzalloc_objs(u64, n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KMO_EXPECT_BUCKET(test, a, 16 * sizeof(*a));
	kfree(a);

	a = kmalloc_objs(*a, n + 1);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KMO_EXPECT_BUCKET(test, a, 17 * sizeof(*a));
	kfree(a);

	/*
	 * A count of zero gives what kmalloc(0) gives. The pointer is hidden
	 * from the compiler first: it assumes kmalloc() results are aligned
	 * to ARCH_KMALLOC_MINALIGN, and on arm64 (128) would fold the
	 * comparison with ZERO_SIZE_PTR to false.
	 */
	a = kmalloc_objs(*a, kmo_runtime(0));
	KUNIT_EXPECT_PTR_EQ(test, kmo_runtime((void *)a), ZERO_SIZE_PTR);
	kfree(a);
	a = kmalloc_objs(*a, 0);
	KUNIT_EXPECT_PTR_EQ(test, kmo_runtime((void *)a), ZERO_SIZE_PTR);
	kfree(a);
}

static void sizes_flex_test(struct kunit *test)
{
	struct kmo_flex8 *f;
	int n;

	/* 8 + 7 * 8 = 64 and 8 + 31 * 8 = 256: one element more changes bucket */
	f = kmalloc_flex(*f, items, 7);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KMO_EXPECT_BUCKET(test, f, 64);
	kfree(f);

	n = kmo_runtime(31);
	f = kzalloc_flex(*f, items, n);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KMO_EXPECT_BUCKET(test, f, 256);
	kfree(f);

	f = kmalloc_flex(struct kmo_flex8, items, n + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KMO_EXPECT_BUCKET(test, f, 264);
	kfree(f);

	/* A count of zero gives the bare structure. */
	f = kmalloc_flex(*f, items, kmo_runtime(0));
	KUNIT_ASSERT_NOT_NULL(test, f);
	KMO_EXPECT_BUCKET(test, f, sizeof(*f));
	kfree(f);
}

/*
 * The result has the allocated type, checked at build time, and pointer
 * arithmetic on it steps by the size of that type, where a void * result
 * would step by one byte.
 */
static void sizes_type_test(struct kunit *test)
{
	struct kmo_plain *p = NULL;
	struct kmo_flex *f = NULL;

	static_assert(__same_type(kmalloc_obj(*p), p));
	static_assert(__same_type(kzalloc_obj(*p), p));
	static_assert(__same_type(kvmalloc_obj(*p), p));
	static_assert(__same_type(kvzalloc_obj(*p), p));
	static_assert(__same_type(kmalloc_objs(*p, 2), p));
	static_assert(__same_type(kzalloc_objs(*p, 2), p));
	static_assert(__same_type(kvmalloc_objs(*p, 2), p));
	static_assert(__same_type(kvzalloc_objs(*p, 2), p));
	static_assert(__same_type(kmalloc_flex(*f, items, 2), f));
	static_assert(__same_type(kzalloc_flex(*f, items, 2), f));
	static_assert(__same_type(kvmalloc_flex(*f, items, 2), f));
	static_assert(__same_type(kvzalloc_flex(*f, items, 2), f));

	p = kmalloc_objs(*p, 2);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, (uintptr_t)(p + 1) - (uintptr_t)p, sizeof(*p));
	kfree(p);
	p = kvzalloc_obj(struct kmo_plain);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, (uintptr_t)(p + 1) - (uintptr_t)p, sizeof(*p));
	kvfree(p);
	f = kvmalloc_flex(*f, items, 2);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, (uintptr_t)(f + 1) - (uintptr_t)f, sizeof(*f));
	kvfree(f);
}

static void sizes_eval_once_test(struct kunit *test)
{
	struct kmo_plain *p = NULL;
	struct kmo_flex *f = NULL;
	int var, count, gfp;

/* Each use of these counts its evaluations. */
#define V(x)	(*(var++, (x)))
#define N(x)	(count++, (x))
#define G	(gfp++, GFP_KERNEL)
#define KMO_CHECK_EVAL(alloc, nr_count, freefn)			\
	do {								\
		var = 0;						\
		count = 0;						\
		gfp = 0;						\
		freefn(alloc);						\
		KUNIT_EXPECT_EQ_MSG(test, var, 0, #alloc);		\
		KUNIT_EXPECT_EQ_MSG(test, count, nr_count, #alloc);	\
		KUNIT_EXPECT_EQ_MSG(test, gfp, 1, #alloc);		\
	} while (0)

	KMO_CHECK_EVAL(kmalloc_obj(V(p), G), 0, kfree);
	KMO_CHECK_EVAL(kzalloc_obj(V(p), G), 0, kfree);
	KMO_CHECK_EVAL(kvmalloc_obj(V(p), G), 0, kvfree);
	KMO_CHECK_EVAL(kvzalloc_obj(V(p), G), 0, kvfree);
	KMO_CHECK_EVAL(kmalloc_objs(V(p), N(3), G), 1, kfree);
	KMO_CHECK_EVAL(kzalloc_objs(V(p), N(3), G), 1, kfree);
	KMO_CHECK_EVAL(kvmalloc_objs(V(p), N(3), G), 1, kvfree);
	KMO_CHECK_EVAL(kvzalloc_objs(V(p), N(3), G), 1, kvfree);
	KMO_CHECK_EVAL(kmalloc_flex(V(f), items, N(3), G), 1, kfree);
	KMO_CHECK_EVAL(kzalloc_flex(V(f), items, N(3), G), 1, kfree);
	KMO_CHECK_EVAL(kvmalloc_flex(V(f), items, N(3), G), 1, kvfree);
	KMO_CHECK_EVAL(kvzalloc_flex(V(f), items, N(3), G), 1, kvfree);
	/* Refused counts still evaluate the flags once. */
	KMO_CHECK_EVAL(kmalloc_objs(V(p), N(-1), G), 1, kfree);
	KMO_CHECK_EVAL(kvzalloc_flex(V(f), items, N(-1), G), 1, kvfree);
	/* Over-aligned types take another path through the helpers. */
	KMO_CHECK_EVAL(kmalloc_objs(V((struct kmo_a64 *)NULL), N(3), G), 1, kfree);
	KMO_CHECK_EVAL(kvzalloc_flex(V((struct kmo_fa64 *)NULL), items, N(3), G), 1, kvfree);
#undef KMO_CHECK_EVAL
#undef V
#undef N
#undef G
}

static void sizes_gfp_test(struct kunit *test)
{
	struct kmo_plain *p;
	u8 *a;

	KUNIT_EXPECT_EQ(test, (__force unsigned int)default_gfp(),
			(__force unsigned int)GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, (__force unsigned int)default_gfp(GFP_ATOMIC),
			(__force unsigned int)GFP_ATOMIC);

	/* Flags that are given reach the allocator: __GFP_ZERO zeroes. */
	a = kmalloc_objs(*a, 64);
	KUNIT_ASSERT_NOT_NULL(test, a);
	memset(a, 0xa5, 64);
	kfree(a);
	a = kmalloc_objs(*a, 64, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(a, 0, 64), NULL);
	kfree(a);

	/* Atomic context may pass its own flags. */
	preempt_disable();
	p = kmalloc_obj(*p, GFP_ATOMIC);
	preempt_enable();
	KUNIT_EXPECT_NOT_NULL(test, p);
	kfree(p);
}

static struct kunit_case kmalloc_obj_sizes_cases[] = {
	KUNIT_CASE(sizes_obj_test),
	KUNIT_CASE(sizes_objs_test),
	KUNIT_CASE(sizes_flex_test),
	KUNIT_CASE(sizes_type_test),
	KUNIT_CASE(sizes_eval_once_test),
	KUNIT_CASE(sizes_gfp_test),
	{}
};

static struct kunit_suite kmalloc_obj_sizes_suite = {
	.name = "kmalloc_obj_sizes",
	.test_cases = kmalloc_obj_sizes_cases,
};

/* ---------------------------------------------------------------------- */
/* Alignment */

#define KMO_NR_ALIGN	24

/*
 * Keep KMO_NR_ALIGN objects alive at once so that they occupy distinct
 * slots of their cache, and check that every one is aligned.
 */
#define KMO_CHECK_ALIGNED(test, type, alloc_i, freefn)			\
	do {								\
		type *__objs[KMO_NR_ALIGN];				\
		int __i, __bad = 0;					\
									\
		for (__i = 0; __i < KMO_NR_ALIGN; __i++) {		\
			__objs[__i] = (alloc_i);			\
			KUNIT_ASSERT_NOT_NULL(test, __objs[__i]);	\
			if (!IS_ALIGNED((uintptr_t)kmo_runtime(__objs[__i]), \
					__alignof__(type)))		\
				__bad++;				\
		}							\
		for (__i = 0; __i < KMO_NR_ALIGN; __i++)		\
			freefn(__objs[__i]);				\
		KUNIT_EXPECT_EQ_MSG(test, __bad, 0,			\
				    "%s: %d of %d objects not aligned to %zu", \
				    #alloc_i, __bad, KMO_NR_ALIGN,	\
				    (size_t)__alignof__(type));		\
	} while (0)

static void align_obj_test(struct kunit *test)
{
	KMO_CHECK_ALIGNED(test, struct kmo_a32, kmalloc_obj(struct kmo_a32), kfree);
	KMO_CHECK_ALIGNED(test, struct kmo_a32, kzalloc_obj(struct kmo_a32), kfree);
	KMO_CHECK_ALIGNED(test, struct kmo_a32, kvmalloc_obj(struct kmo_a32), kvfree);
	KMO_CHECK_ALIGNED(test, struct kmo_a32, kvzalloc_obj(struct kmo_a32), kvfree);
	KMO_CHECK_ALIGNED(test, struct kmo_a256, kmalloc_obj(struct kmo_a256), kfree);
}

static void align_objs_test(struct kunit *test)
{
	/* 3 * 64 = 192 bytes; the count varies from object to object */
	KMO_CHECK_ALIGNED(test, struct kmo_a64,
			  kmalloc_objs(struct kmo_a64, 1 + __i % 3), kfree);
	KMO_CHECK_ALIGNED(test, struct kmo_a64,
			  kzalloc_objs(struct kmo_a64, 3), kfree);
	KMO_CHECK_ALIGNED(test, struct kmo_a64,
			  kvmalloc_objs(struct kmo_a64, 1 + __i % 3), kvfree);
	KMO_CHECK_ALIGNED(test, struct kmo_a64,
			  kvzalloc_objs(struct kmo_a64, 3), kvfree);
	KMO_CHECK_ALIGNED(test, struct kmo_a32,
			  kmalloc_objs(struct kmo_a32, kmo_runtime(2)), kfree);
}

static void align_flex_test(struct kunit *test)
{
	/* 64 + 4 * count bytes: 68..156, through the 96 and 192 caches */
	KMO_CHECK_ALIGNED(test, struct kmo_fa64,
			  kmalloc_flex(struct kmo_fa64, items, 1 + __i), kfree);
	KMO_CHECK_ALIGNED(test, struct kmo_fa64,
			  kzalloc_flex(struct kmo_fa64, items, 1 + __i), kfree);
	KMO_CHECK_ALIGNED(test, struct kmo_fa64,
			  kvmalloc_flex(struct kmo_fa64, items, 1 + __i), kvfree);
	KMO_CHECK_ALIGNED(test, struct kmo_fa64,
			  kvzalloc_flex(struct kmo_fa64, items, 1 + __i), kvfree);
	KMO_CHECK_ALIGNED(test, struct kmo_fa64,
			  kmalloc_flex(struct kmo_fa64, items, 8), kfree);
	KMO_CHECK_ALIGNED(test, struct kmo_fa128,
			  kmalloc_flex(struct kmo_fa128, items, 2 + 7 * __i), kfree);
	KMO_CHECK_ALIGNED(test, struct kmo_fa256,
			  kmalloc_flex(struct kmo_fa256, items, 1 + 5 * __i), kfree);
}

static void align_vmalloc_test(struct kunit *test)
{
	/* Past KMALLOC_MAX_SIZE only vmalloc() can serve kvmalloc(). */
	size_t n = KMALLOC_MAX_SIZE / sizeof(u32) + 1;
	struct kmo_fa256 *f;

	f = kvmalloc_flex(*f, items, n);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(f));
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((uintptr_t)kmo_runtime(f), __alignof__(*f)));
	kvfree(f);
}

static struct kunit_case kmalloc_obj_align_cases[] = {
	KUNIT_CASE(align_obj_test),
	KUNIT_CASE(align_objs_test),
	KUNIT_CASE(align_flex_test),
	KUNIT_CASE(align_vmalloc_test),
	{}
};

static struct kunit_suite kmalloc_obj_align_suite = {
	.name = "kmalloc_obj_align",
	.test_cases = kmalloc_obj_align_cases,
};

/* ---------------------------------------------------------------------- */
/* __counted_by() counters */

/*
 * Allocate with each flex variant over memory that was just filled with a
 * pattern and freed, so that a counter left unset shows up as garbage.
 */
#define KMO_DIRTY(size)						\
	do {								\
		void *__d = kmalloc(size, GFP_KERNEL);			\
		if (__d)						\
			memset(__d, 0xa5, size);			\
		kfree(__d);						\
	} while (0)

#define KMO_CHECK_COUNTER(test, alloc, freefn, n, zeroed)		\
	do {								\
		struct kmo_flex *__f;					\
									\
		KMO_DIRTY(struct_size(__f, items, n));			\
		__f = alloc(*__f, items, n);				\
		KUNIT_ASSERT_NOT_NULL(test, __f);			\
		if (KMO_HAVE_COUNTER)					\
			KUNIT_EXPECT_EQ_MSG(test, __f->count, n, #alloc); \
		else if (zeroed)					\
			KUNIT_EXPECT_EQ_MSG(test, __f->count, 0, #alloc); \
		freefn(__f);						\
	} while (0)

static void counter_set_test(struct kunit *test)
{
	int n = kmo_runtime(13);

	KMO_CHECK_COUNTER(test, kmalloc_flex, kfree, 5, false);
	KMO_CHECK_COUNTER(test, kzalloc_flex, kfree, 5, true);
	KMO_CHECK_COUNTER(test, kvmalloc_flex, kvfree, 5, false);
	KMO_CHECK_COUNTER(test, kvzalloc_flex, kvfree, 5, true);
	KMO_CHECK_COUNTER(test, kmalloc_flex, kfree, n, false);
	KMO_CHECK_COUNTER(test, kzalloc_flex, kfree, n, true);
	KMO_CHECK_COUNTER(test, kvmalloc_flex, kvfree, n, false);
	KMO_CHECK_COUNTER(test, kvzalloc_flex, kvfree, n, true);
}

static void counter_zero_test(struct kunit *test)
{
	KMO_CHECK_COUNTER(test, kmalloc_flex, kfree, 0, false);
	KMO_CHECK_COUNTER(test, kzalloc_flex, kfree, 0, true);
	KMO_CHECK_COUNTER(test, kmalloc_flex, kfree, kmo_runtime(0), false);
	KMO_CHECK_COUNTER(test, kvmalloc_flex, kvfree, kmo_runtime(0), false);
}

static void counter_unannotated_test(struct kunit *test)
{
	struct kmo_raw *r;

	/* No annotation: nothing may be stored in the structure. */
	r = kzalloc_flex(*r, items, 9);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->count, 0);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(r, 0, struct_size(r, items, 9)), NULL);
	kfree(r);

	r = kvzalloc_flex(*r, items, kmo_runtime(9));
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->count, 0);
	kvfree(r);
}

/*
 * A count above what the counter can hold allocates every element asked
 * for, and the counter says as many as it can: its type's maximum, never
 * more than was allocated, never a truncated value. Counts are made with
 * the default flags: neither the family nor the allocator may WARN.
 */
#define KMO_CHECK_SATURATE(test, type, max)				\
	do {								\
		struct type *__f;					\
		size_t __n = (size_t)(max) + 1;				\
									\
		__f = kzalloc_flex(*__f, items, (max) + 1);		\
		KUNIT_ASSERT_NOT_NULL_MSG(test, __f, "%s: count %zu refused", \
					  #type, __n);			\
		KMO_EXPECT_BUCKET(test, __f, struct_size(__f, items, __n)); \
		KUNIT_EXPECT_EQ_MSG(test, (u64)__f->count,		\
				    KMO_HAVE_COUNTER ? (u64)(max) : 0,	\
				    "%s: count %zu", #type, __n);	\
		kfree(__f);						\
		__f = kmalloc_flex(*__f, items, kmo_runtime(__n));	\
		KUNIT_ASSERT_NOT_NULL_MSG(test, __f, "%s: count %zu refused", \
					  #type, __n);			\
		KMO_EXPECT_BUCKET(test, __f, struct_size(__f, items, __n)); \
		if (KMO_HAVE_COUNTER)					\
			KUNIT_EXPECT_EQ_MSG(test, (u64)__f->count, (u64)(max), \
					    "%s: count %zu", #type, __n); \
		kfree(__f);						\
		__f = kvmalloc_flex(*__f, items, kmo_runtime(__n - 1)); \
		KUNIT_ASSERT_NOT_NULL(test, __f);			\
		if (KMO_HAVE_COUNTER)					\
			KUNIT_EXPECT_EQ_MSG(test, (u64)__f->count, (u64)(max), \
					    "%s: count %zu", #type, __n - 1); \
		kvfree(__f);						\
	} while (0)

static void counter_saturate_test(struct kunit *test)
{
	KMO_CHECK_SATURATE(test, kmo_c_u8, U8_MAX);
	KMO_CHECK_SATURATE(test, kmo_c_s8, S8_MAX);
	KMO_CHECK_SATURATE(test, kmo_c_char, (char)~0 < 0 ? S8_MAX : U8_MAX);
#if KMO_BOOL_COUNTER
	KMO_CHECK_SATURATE(test, kmo_c_bool, 1);
#endif
	KMO_CHECK_SATURATE(test, kmo_c_u16, U16_MAX);
	KMO_CHECK_SATURATE(test, kmo_c_s16, S16_MAX);
}

/*
 * fs/ext4/dir.c allocates name_len + 1 elements, the last one the
 * terminator, then sets the counter itself: a 255-byte name must not
 * make the allocation fail, and the counter it finds must not claim a
 * truncated count meanwhile.
 */
static void counter_ext4_name_test(struct kunit *test)
{
	static const u32 lens[] = { 0, 1, 254, 255 };
	char src[255];
	int i;

	memset(src, 'x', sizeof(src));
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		u32 len = kmo_runtime((u32)lens[i]);
		struct kmo_fname *fn;

		fn = kzalloc_flex(*fn, name, len + 1);
		KUNIT_ASSERT_NOT_NULL_MSG(test, fn, "name of %u bytes", len);
		KMO_EXPECT_BUCKET(test, fn, struct_size(fn, name, len + 1));
		KUNIT_EXPECT_EQ_MSG(test, fn->name_len,
				    KMO_HAVE_COUNTER ? min(len + 1, 255U) : 0,
				    "name of %u bytes", len);
		fn->name_len = len;
		memcpy(fn->name, src, len);
		KUNIT_EXPECT_EQ(test, fn->name[len], 0);
		kfree(fn);
	}
}

/*
 * The counter store itself, for every counter type, including the wide
 * ones whose maximum no allocation can reach: values that fit are stored
 * as they are, larger ones as the type's maximum, and a negative one
 * (which no allocation helper passes on) as zero.
 */
#define KMO_CHECK_STORE(test, type, val, expect)			\
	do {								\
		struct type __s = { .count = 7 };			\
		const s64 __before = __s.count;				\
									\
		__set_flex_counter(__s.items, val);			\
		KUNIT_EXPECT_EQ_MSG(test, (s64)__s.count,		\
				    KMO_HAVE_COUNTER ? (s64)(expect) : __before, \
				    "%s <- %s", #type, #val);		\
	} while (0)

static void counter_store_test(struct kunit *test)
{
#ifdef __set_flex_counter
	u64 big = kmo_runtime(U64_MAX);
	int neg = kmo_runtime(-1);

	KMO_CHECK_STORE(test, kmo_c_u8, 255, U8_MAX);
	KMO_CHECK_STORE(test, kmo_c_u8, kmo_runtime(257), U8_MAX);
	KMO_CHECK_STORE(test, kmo_c_u8, kmo_runtime(256), U8_MAX);
	KMO_CHECK_STORE(test, kmo_c_u8, neg, 0);
	KMO_CHECK_STORE(test, kmo_c_s8, kmo_runtime(200), S8_MAX);
	KMO_CHECK_STORE(test, kmo_c_s8, neg, 0);
#if KMO_BOOL_COUNTER
	KMO_CHECK_STORE(test, kmo_c_bool, kmo_runtime(2), 1);
	KMO_CHECK_STORE(test, kmo_c_bool, 0, 0);
#endif
	KMO_CHECK_STORE(test, kmo_c_char, kmo_runtime(300),
			(char)~0 < 0 ? S8_MAX : U8_MAX);
	KMO_CHECK_STORE(test, kmo_c_s16, kmo_runtime(1000), 1000);
	KMO_CHECK_STORE(test, kmo_c_int, kmo_runtime((s64)INT_MAX + 1), INT_MAX);
	KMO_CHECK_STORE(test, kmo_c_int, big, INT_MAX);
	KMO_CHECK_STORE(test, kmo_c_int, neg, 0);
	KMO_CHECK_STORE(test, kmo_c_u32, kmo_runtime((u64)U32_MAX + 1), U32_MAX);
	KMO_CHECK_STORE(test, kmo_c_u32, U32_MAX, U32_MAX);
	KMO_CHECK_STORE(test, kmo_c_enum, KMO_COUNT_SOME, KMO_COUNT_SOME);
	KMO_CHECK_STORE(test, kmo_c_enum, big,
			(enum kmo_count)~0 < 0 ? INT_MAX : U32_MAX);
	KMO_CHECK_STORE(test, kmo_c_s64, big, S64_MAX);
	KMO_CHECK_STORE(test, kmo_c_s64, kmo_runtime((s64)-5), 0);
	KMO_CHECK_STORE(test, kmo_c_u64, big, (s64)U64_MAX);
#else
	KUNIT_FAIL(test, "this tree has no __set_flex_counter()");
#endif
}

/* Counters of every type build, and are set when the count fits. */
static void counter_types_test(struct kunit *test)
{
#define KMO_CHECK_TYPE(type, n)						\
	do {								\
		struct type *__f = kmalloc_flex(*__f, items, n);	\
									\
		KUNIT_ASSERT_NOT_NULL(test, __f);			\
		if (KMO_HAVE_COUNTER)					\
			KUNIT_EXPECT_EQ_MSG(test, (u64)__f->count, (u64)(n), \
					    "%s", #type);		\
		kfree(__f);						\
	} while (0)
	KMO_CHECK_TYPE(kmo_c_char, 100);
#if KMO_BOOL_COUNTER
	KMO_CHECK_TYPE(kmo_c_bool, 1);
	KMO_CHECK_TYPE(kmo_c_bool, kmo_runtime(true));
#endif
	KMO_CHECK_TYPE(kmo_c_enum, KMO_COUNT_SOME);
	KMO_CHECK_TYPE(kmo_c_enum, kmo_runtime(KMO_COUNT_SOME));
	KMO_CHECK_TYPE(kmo_c_int, kmo_runtime(1000));
	KMO_CHECK_TYPE(kmo_c_u32, 3000);
	KMO_CHECK_TYPE(kmo_c_s64, kmo_runtime((s64)2000));
	KMO_CHECK_TYPE(kmo_c_u64, kmo_runtime((u64)3000));
#undef KMO_CHECK_TYPE
}

/*
 * A negative count sizes nothing: NULL, before anything is allocated,
 * without a WARN, whatever the counter's type. The default flags are
 * used, so a negative count that reached the allocator as a huge size
 * would WARN.
 */
static void counter_negative_test(struct kunit *test)
{
	struct kmo_c_s16 *s;
	struct kmo_c_int *i;
	struct kmo_c_s64 *w;
	struct kmo_c_u8 *u;

	/* -1 fits these counters: only the sign can reject it. */
	s = kmalloc_flex(*s, items, kmo_runtime(-1));
	KUNIT_EXPECT_NULL(test, s);
	kfree(s);
	i = kvmalloc_flex(*i, items, kmo_runtime(-1));
	KUNIT_EXPECT_NULL(test, i);
	kvfree(i);
	i = kzalloc_flex(*i, items, -1);
	KUNIT_EXPECT_NULL(test, i);
	kfree(i);
	i = kmalloc_flex(*i, items, kmo_runtime(INT_MIN));
	KUNIT_EXPECT_NULL(test, i);
	kfree(i);
	w = kvzalloc_flex(*w, items, kmo_runtime((s64)-4096));
	KUNIT_EXPECT_NULL(test, w);
	kvfree(w);
	u = kzalloc_flex(*u, items, kmo_runtime(-2));
	KUNIT_EXPECT_NULL(test, u);
	kfree(u);
}

static struct kunit_case kmalloc_obj_counter_cases[] = {
	KUNIT_CASE(counter_set_test),
	KUNIT_CASE(counter_zero_test),
	KUNIT_CASE(counter_unannotated_test),
	KUNIT_CASE(counter_saturate_test),
	KUNIT_CASE(counter_ext4_name_test),
	KUNIT_CASE(counter_store_test),
	KUNIT_CASE(counter_types_test),
	KUNIT_CASE(counter_negative_test),
	{}
};

static struct kunit_suite kmalloc_obj_counter_suite = {
	.name = "kmalloc_obj_counter",
	.test_cases = kmalloc_obj_counter_cases,
};

/* ---------------------------------------------------------------------- */
/* Saturation */

/*
 * Sizes that do not fit in size_t are refused before the allocator is
 * called, so the default flags are used throughout: a saturated size that
 * reached the allocator would WARN.
 */
static void overflow_objs_test(struct kunit *test)
{
	/* 16 * (SIZE_MAX / 16 + 2) wraps around to 16 bytes. */
	size_t wrap = SIZE_MAX / sizeof(struct kmo_plain) + 2;
	struct kmo_plain *p;
	struct kmo_a64 *q;
	char *c;

	p = kmalloc_objs(*p, SIZE_MAX / sizeof(struct kmo_plain) + 2);
	KUNIT_EXPECT_NULL(test, p);
	kfree(p);
	p = kmalloc_objs(*p, kmo_runtime(wrap));
	KUNIT_EXPECT_NULL(test, p);
	kfree(p);
	p = kzalloc_objs(*p, kmo_runtime(wrap));
	KUNIT_EXPECT_NULL(test, p);
	kfree(p);
	p = kvmalloc_objs(*p, kmo_runtime(wrap));
	KUNIT_EXPECT_NULL(test, p);
	kvfree(p);
	p = kvzalloc_objs(*p, kmo_runtime(wrap));
	KUNIT_EXPECT_NULL(test, p);
	kvfree(p);
	p = kmalloc_objs(*p, kmo_runtime(-1));
	KUNIT_EXPECT_NULL(test, p);
	kfree(p);

	/* Negative counts, even for one-byte elements, refuse too. */
	c = kmalloc_objs(*c, kmo_runtime(-1));
	KUNIT_EXPECT_NULL(test, c);
	kfree(c);
	c = kvmalloc_objs(char, kmo_runtime((s64)S64_MIN));
	KUNIT_EXPECT_NULL(test, c);
	kvfree(c);
	/* A u64 count: above SIZE_MAX where size_t is 32-bit. */
	p = kzalloc_objs(*p, kmo_runtime(U64_MAX));
	KUNIT_EXPECT_NULL(test, p);
	kfree(p);
	if (sizeof(size_t) < sizeof(u64)) {
		/* Truncated to size_t, this would be one byte. */
		c = kmalloc_objs(*c, kmo_runtime((u64)SIZE_MAX + 2));
		KUNIT_EXPECT_NULL(test, c);
		kfree(c);
	}

	/* Over-aligned types. */
	q = kmalloc_objs(*q, kmo_runtime(SIZE_MAX / sizeof(*q) + 2));
	KUNIT_EXPECT_NULL(test, q);
	kfree(q);
	q = kvzalloc_objs(*q, kmo_runtime(-1));
	KUNIT_EXPECT_NULL(test, q);
	kvfree(q);
}

static void overflow_flex_test(struct kunit *test)
{
	/* 4 * 2^62 wraps to 0: only the header would be allocated. */
	size_t wrap = SIZE_MAX / sizeof(u32) + 1;
	struct kmo_raw *r;
	struct kmo_fa64 *a;

	r = kmalloc_flex(*r, items, SIZE_MAX / sizeof(u32) + 1);
	KUNIT_EXPECT_NULL(test, r);
	kfree(r);
	r = kmalloc_flex(*r, items, kmo_runtime(wrap));
	KUNIT_EXPECT_NULL(test, r);
	kfree(r);
	r = kzalloc_flex(*r, items, kmo_runtime(wrap));
	KUNIT_EXPECT_NULL(test, r);
	kfree(r);
	r = kvmalloc_flex(*r, items, kmo_runtime(wrap));
	KUNIT_EXPECT_NULL(test, r);
	kvfree(r);
	r = kvzalloc_flex(*r, items, kmo_runtime(wrap));
	KUNIT_EXPECT_NULL(test, r);
	kvfree(r);

	/* The header plus elements overflowing, not the elements alone. */
	r = kmalloc_flex(*r, items, kmo_runtime(SIZE_MAX / sizeof(u32)));
	KUNIT_EXPECT_NULL(test, r);
	kfree(r);

	r = kmalloc_flex(*r, items, kmo_runtime(-1));
	KUNIT_EXPECT_NULL(test, r);
	kfree(r);
	r = kmalloc_flex(*r, items, kmo_runtime((long long)INT_MIN));
	KUNIT_EXPECT_NULL(test, r);
	kfree(r);

	a = kmalloc_flex(*a, items, kmo_runtime(wrap));
	KUNIT_EXPECT_NULL(test, a);
	kfree(a);
	a = kvzalloc_flex(*a, items, kmo_runtime(-1));
	KUNIT_EXPECT_NULL(test, a);
	kvfree(a);

	/* A u64 count: above SIZE_MAX where size_t is 32-bit. */
	r = kzalloc_flex(*r, items, kmo_runtime(U64_MAX));
	KUNIT_EXPECT_NULL(test, r);
	kfree(r);
	if (sizeof(size_t) < sizeof(u64)) {
		/*
		 * Truncated to size_t, SIZE_MAX + 2 would be 1 element, and a
		 * u64 counter would claim 2^32 + 1 of them.
		 */
		struct kmo_c_u64 *w;

		w = kmalloc_flex(*w, items, kmo_runtime((u64)SIZE_MAX + 2));
		KUNIT_EXPECT_NULL(test, w);
		kfree(w);
		w = kvzalloc_flex(*w, items, kmo_runtime((u64)SIZE_MAX + 2));
		KUNIT_EXPECT_NULL(test, w);
		kvfree(w);
	}
}

static struct kunit_case kmalloc_obj_overflow_cases[] = {
	KUNIT_CASE(overflow_objs_test),
	KUNIT_CASE(overflow_flex_test),
	{}
};

static struct kunit_suite kmalloc_obj_overflow_suite = {
	.name = "kmalloc_obj_overflow",
	.test_cases = kmalloc_obj_overflow_cases,
};

/* ---------------------------------------------------------------------- */
/* Zeroing and the vmalloc() fallback */

#define KMO_CHECK_ZEROED(test, alloc, freefn, bytes)			\
	do {								\
		void *__z;						\
									\
		KMO_DIRTY(bytes);					\
		__z = (alloc);						\
		KUNIT_ASSERT_NOT_NULL(test, __z);			\
		KUNIT_EXPECT_PTR_EQ_MSG(test, memchr_inv(__z, 0, bytes), NULL, \
					"%s", #alloc);			\
		freefn(__z);						\
	} while (0)

static void memory_zeroed_test(struct kunit *test)
{
	struct kmo_plain *p;
	struct kmo_flex *f;

	KMO_CHECK_ZEROED(test, kzalloc_obj(*p), kfree, sizeof(*p));
	KMO_CHECK_ZEROED(test, kvzalloc_obj(*p), kvfree, sizeof(*p));
	KMO_CHECK_ZEROED(test, kzalloc_objs(*p, 5), kfree, 5 * sizeof(*p));
	KMO_CHECK_ZEROED(test, kvzalloc_objs(*p, kmo_runtime(5)), kvfree,
			 5 * sizeof(*p));

	/* Everything but the counter is zero. */
	KMO_DIRTY(struct_size(f, items, 6));
	f = kzalloc_flex(*f, items, 6);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->tag, 0);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(f->items, 0, 6 * sizeof(u32)), NULL);
	kfree(f);
	KMO_DIRTY(struct_size(f, items, 6));
	f = kvzalloc_flex(*f, items, kmo_runtime(6));
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->tag, 0);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(f->items, 0, 6 * sizeof(u32)), NULL);
	kvfree(f);
}

static void memory_kv_fallback_test(struct kunit *test)
{
	size_t big = 2 * KMALLOC_MAX_SIZE;
	struct kmo_raw *r;
	u8 *b;

	/* Small requests stay with kmalloc(). */
	b = kvmalloc_objs(*b, 64);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(b));
	kvfree(b);

	/* Beyond what kmalloc() can ever give, vmalloc() steps in. */
	b = kvmalloc_objs(*b, big);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(b));
	b[0] = 1;
	b[big - 1] = 1;
	kvfree(b);

	b = kvzalloc_objs(*b, kmo_runtime(big));
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(b));
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(b, 0, big), NULL);
	kvfree(b);

	r = kvzalloc_flex(*r, items, big / sizeof(u32));
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(r));
	KUNIT_EXPECT_EQ(test, r->items[big / sizeof(u32) - 1], 0);
	kvfree(r);

	/*
	 * kmalloc_*() has no fallback and fails instead. The size fits in
	 * size_t, so it is the allocator that refuses it, and it WARNs
	 * unless told not to, as for kmalloc() itself: hence __GFP_NOWARN,
	 * the one refusal in these suites that is not the family's.
	 */
	b = kmalloc_objs(*b, kmo_runtime(big), KMO_NOWARN);
	KUNIT_EXPECT_NULL(test, b);
	kfree(b);
}

static struct kunit_case kmalloc_obj_memory_cases[] = {
	KUNIT_CASE(memory_zeroed_test),
	KUNIT_CASE(memory_kv_fallback_test),
	{}
};

static struct kunit_suite kmalloc_obj_memory_suite = {
	.name = "kmalloc_obj_memory",
	.test_cases = kmalloc_obj_memory_cases,
};

kunit_test_suites(&kmalloc_obj_sizes_suite, &kmalloc_obj_align_suite, &kmalloc_obj_counter_suite,
		  &kmalloc_obj_overflow_suite, &kmalloc_obj_memory_suite);

MODULE_DESCRIPTION("KUnit tests for the kmalloc_obj() allocation helpers");
MODULE_LICENSE("GPL");
