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

/*
 * Test types whose sizeof, offset of the array, element size and pointer
 * size all differ (16, 9, 1 and 8 for kmo_t16 on 64-bit; 12, 9, 1 and 4 on
 * i386; kmo_e12 is 12 bytes), so that sizing by the array's offset, by one
 * element too many or by pointer-sized elements asks for another size.
 */
struct kmo_t16 {
	u64 x;
	u8 n;
	u8 items[] __counted_by(n);
};

struct kmo_e12 {
	u32 a, b, c;
};

/*
 * Elements of no size: any count allocates the header alone, so counts up
 * to the counter's maximum and beyond can be made and read back without
 * the allocator refusing them (GNU C; GCC 15 and Clang 22 accept the
 * annotation on them).
 */
struct kmo_nothing {};

#define KMO_ZCOUNTED(name, ctype)					\
	struct name {							\
		u64 x;							\
		ctype n;						\
		struct kmo_nothing items[] __counted_by(n);		\
	}
KMO_ZCOUNTED(kmo_z_u16, u16);
KMO_ZCOUNTED(kmo_z_int, int);
KMO_ZCOUNTED(kmo_z_u32, u32);

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

/*
 * Over-aligned types: sizes that kmalloc() serves from 96/192 byte caches.
 * Alignments from 16 (twice x86_64's ARCH_KMALLOC_MINALIGN) to 256.
 */
struct kmo_a16 {
	u8 b[80];
} __aligned(16);

struct kmo_a32 {
	u8 b[96];
} __aligned(32);

struct kmo_a64 {
	u8 b[64];
} __aligned(64);

struct kmo_a256 {
	u8 b[256];
} __aligned(256);

struct kmo_fa16 {
	u32 count;
	u32 items[] __counted_by(count);
} __aligned(16);

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

/*
 * A member's memory as bytes of the allocation, not through the member:
 * the suites look at flexible arrays past their counter (a terminator,
 * or memory whose counter an unpatched family never set), which
 * UBSAN_BOUNDS and FORTIFY_SOURCE rightly report when it is done through
 * a __counted_by() array.
 */
#define KMO_BYTES(p, member)	((u8 *)(p) + offsetof(typeof(*(p)), member))

/*
 * A case about a property that this kernel or compiler gives no way to
 * exercise still runs its other checks; if they passed, it ends as a
 * skip that says why, so that it never reads as a pass of that property.
 * The verdict fails on a skip that tests/skips.expect does not name for
 * the cell.
 */
static void kmo_not_exercised(struct kunit *test, const char *why)
{
	if (test->status == KUNIT_SUCCESS)
		kunit_mark_skipped(test, "not exercised: %s", why);
}

#define KMO_NO_COUNTER	"the compiler has no __builtin_counted_by_ref()"

/* ---------------------------------------------------------------------- */
/* Sizes, types, arguments */

/* The requested size must be exactly what the bucket was chosen for. */
#define KMO_EXPECT_BUCKET(test, p, bytes)				\
	KUNIT_EXPECT_EQ_MSG(test, ksize(p), kmalloc_size_roundup(bytes),	\
			    "allocation is not of %zu bytes", (size_t)(bytes))

static void sizes_obj_test(struct kunit *test)
{
	struct kmo_e12 *p;
	struct kmo_a64 *q;

	p = kmalloc_obj(*p);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KMO_EXPECT_BUCKET(test, p, sizeof(*p));
	kfree(p);

	p = kzalloc_obj(struct kmo_e12, GFP_KERNEL);
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
	struct kmo_a64 *b;
	struct kmo_e12 *a;

	/* 16 * 12 = 192 bytes; one element more (or 16-byte ones) is 256 */
	a = kmalloc_objs(*a, 16);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KMO_EXPECT_BUCKET(test, a, 16 * sizeof(*a));
	kfree(a);

	a = kzalloc_objs(struct kmo_e12, n, GFP_KERNEL);
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
	/* Over-aligned types too, whose sizes may be rounded: not zero. */
	b = kmalloc_objs(struct kmo_a64, kmo_runtime(0));
	KUNIT_EXPECT_PTR_EQ(test, kmo_runtime((void *)b), ZERO_SIZE_PTR);
	kfree(b);
}

static void sizes_flex_test(struct kunit *test)
{
	struct kmo_t16 *f;
	int n;

	/*
	 * 16 + 16 = 32 bytes on 64-bit; one element more is 33 (64-byte
	 * bucket), pointer-sized elements 144 (kmalloc-192 or -256).
	 */
	f = kmalloc_flex(*f, items, 16);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KMO_EXPECT_BUCKET(test, f, sizeof(*f) + 16);
	kfree(f);

	n = kmo_runtime(16);
	f = kzalloc_flex(*f, items, n);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KMO_EXPECT_BUCKET(test, f, sizeof(*f) + 16);
	kfree(f);

	f = kmalloc_flex(struct kmo_t16, items, n + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KMO_EXPECT_BUCKET(test, f, sizeof(*f) + 17);
	kfree(f);

	/* A count of zero gives the bare structure. */
	f = kmalloc_flex(*f, items, kmo_runtime(0));
	KUNIT_ASSERT_NOT_NULL(test, f);
	KMO_EXPECT_BUCKET(test, f, sizeof(*f));
	kfree(f);
}

/*
 * The result has the allocated type, checked at build time, and pointer
 * arithmetic on the result itself (__auto_type takes the macro's type)
 * steps by the size of that type, where a void * would step by one byte.
 */
#define KMO_CHECK_STEP(test, alloc, freefn, size)			\
	do {								\
		__auto_type __r = (alloc);				\
									\
		KUNIT_ASSERT_NOT_NULL(test, __r);			\
		KUNIT_EXPECT_EQ_MSG(test, (uintptr_t)(__r + 1) - (uintptr_t)__r, \
				    (uintptr_t)(size), "%s", #alloc);	\
		freefn(__r);						\
	} while (0)

static void sizes_type_test(struct kunit *test)
{
	struct kmo_e12 *p = NULL;
	struct kmo_t16 *f = NULL;

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

	KMO_CHECK_STEP(test, kmalloc_obj(*p), kfree, sizeof(*p));
	KMO_CHECK_STEP(test, kzalloc_objs(*p, 2), kfree, sizeof(*p));
	KMO_CHECK_STEP(test, kvzalloc_obj(struct kmo_e12), kvfree, sizeof(*p));
	KMO_CHECK_STEP(test, kvmalloc_objs(*p, kmo_runtime(2)), kvfree, sizeof(*p));
	KMO_CHECK_STEP(test, kmalloc_flex(*f, items, 2), kfree, sizeof(*f));
	KMO_CHECK_STEP(test, kvzalloc_flex(*f, items, 2), kvfree, sizeof(*f));
}

static void sizes_eval_once_test(struct kunit *test)
{
	struct kmo_e12 *p = NULL;
	struct kmo_t16 *f = NULL;
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

/*
 * Objects of a power-of-two size are aligned to it by kmalloc() whatever
 * the debug options, and vmalloc() gives pages: alignment is at risk only
 * in the 96 and 192 byte caches (and then for types aligned beyond
 * ARCH_KMALLOC_MINALIGN). Where kmalloc() has no 96-byte cache (arm64
 * before 6.5, whose minimum alignment is 128) no allocation can come back
 * misaligned, and the cases say so. Since 6.12 (at the latest; not 6.1)
 * every kmalloc cache is also aligned to the largest power of two dividing
 * its size: there an object of an over-aligned type (whose size is a
 * multiple of its alignment) comes back misaligned only if the family asks
 * for another size, and the rounding is exercised by flexible structures
 * alone (align_flex_test). Types aligned to 256 and more are never at
 * risk: their requests are checked in the calls suite instead.
 */
static void kmo_align_exercised(struct kunit *test)
{
	if (kmalloc_size_roundup(96) != 96)
		kmo_not_exercised(test,
				  "kmalloc() has no 96-byte cache, every object is aligned to its power-of-two size");
}

static void align_obj_test(struct kunit *test)
{
	KMO_CHECK_ALIGNED(test, struct kmo_a32, kmalloc_obj(struct kmo_a32), kfree);
	KMO_CHECK_ALIGNED(test, struct kmo_a32, kzalloc_obj(struct kmo_a32), kfree);
	KMO_CHECK_ALIGNED(test, struct kmo_a32, kvmalloc_obj(struct kmo_a32), kvfree);
	KMO_CHECK_ALIGNED(test, struct kmo_a32, kvzalloc_obj(struct kmo_a32), kvfree);
	KMO_CHECK_ALIGNED(test, struct kmo_a16, kmalloc_obj(struct kmo_a16), kfree);
	KMO_CHECK_ALIGNED(test, struct kmo_a16, kzalloc_obj(struct kmo_a16), kfree);
	kmo_align_exercised(test);
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
	/* 2 * 80 = 160 bytes: the 192 byte cache */
	KMO_CHECK_ALIGNED(test, struct kmo_a16,
			  kvmalloc_objs(struct kmo_a16, kmo_runtime(2)), kvfree);
	kmo_align_exercised(test);
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
	/* 16 + 4 * count: 84..96 and 180..192 bytes */
	KMO_CHECK_ALIGNED(test, struct kmo_fa16,
			  kmalloc_flex(struct kmo_fa16, items, 17 + __i % 4), kfree);
	KMO_CHECK_ALIGNED(test, struct kmo_fa16,
			  kvzalloc_flex(struct kmo_fa16, items, 41 + __i % 4), kvfree);
	kmo_align_exercised(test);
}

static struct kunit_case kmalloc_obj_align_cases[] = {
	KUNIT_CASE(align_obj_test),
	KUNIT_CASE(align_objs_test),
	KUNIT_CASE(align_flex_test),
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
	if (!KMO_HAVE_COUNTER)
		kmo_not_exercised(test, KMO_NO_COUNTER);
}

static void counter_zero_test(struct kunit *test)
{
	KMO_CHECK_COUNTER(test, kmalloc_flex, kfree, 0, false);
	KMO_CHECK_COUNTER(test, kzalloc_flex, kfree, 0, true);
	KMO_CHECK_COUNTER(test, kmalloc_flex, kfree, kmo_runtime(0), false);
	KMO_CHECK_COUNTER(test, kvmalloc_flex, kvfree, kmo_runtime(0), false);
	if (!KMO_HAVE_COUNTER)
		kmo_not_exercised(test, KMO_NO_COUNTER);
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
	if (!KMO_HAVE_COUNTER)
		kmo_not_exercised(test, KMO_NO_COUNTER);
}

/*
 * Counters too wide for an allocation to reach their maximum, with
 * elements of no size: the counts themselves are made and read back, up
 * to the maximum and one past it, whatever the allocator would say of a
 * real array that large. The header alone is allocated every time.
 */
#define KMO_CHECK_WIDE(test, type, count, expect)			\
	do {								\
		struct type *__w;					\
									\
		__w = kmalloc_flex(*__w, items, kmo_runtime(count));	\
		KUNIT_ASSERT_NOT_NULL_MSG(test, __w, "%s <- %s", #type, #count); \
		KMO_EXPECT_BUCKET(test, __w, sizeof(*__w));		\
		if (KMO_HAVE_COUNTER)					\
			KUNIT_EXPECT_EQ_MSG(test, (u64)__w->n, (u64)(expect), \
					    "%s <- %s", #type, #count);	\
		kfree(__w);						\
	} while (0)

static void counter_wide_test(struct kunit *test)
{
	struct kmo_z_u32 *w;

	KMO_CHECK_WIDE(test, kmo_z_u16, 65535, U16_MAX);
	KMO_CHECK_WIDE(test, kmo_z_u16, 65536, U16_MAX);
	/* 65539 truncated to 16 bits would be 3 */
	KMO_CHECK_WIDE(test, kmo_z_int, 65539, 65539);
	KMO_CHECK_WIDE(test, kmo_z_int, INT_MAX - 1, INT_MAX - 1);
	KMO_CHECK_WIDE(test, kmo_z_int, INT_MAX, INT_MAX);
	KMO_CHECK_WIDE(test, kmo_z_int, (s64)INT_MAX + 1, INT_MAX);
	KMO_CHECK_WIDE(test, kmo_z_int, U32_MAX, INT_MAX);
	KMO_CHECK_WIDE(test, kmo_z_u32, 65539, 65539);
	KMO_CHECK_WIDE(test, kmo_z_u32, (u32)INT_MAX + 1, (u32)INT_MAX + 1);
	KMO_CHECK_WIDE(test, kmo_z_u32, U32_MAX, U32_MAX);
	if (sizeof(size_t) > sizeof(u32)) {
		KMO_CHECK_WIDE(test, kmo_z_u32, (u64)U32_MAX + 1, U32_MAX);
	} else {
		/* Above SIZE_MAX: not a size, whatever the element. */
		w = kmalloc_flex(*w, items, kmo_runtime((u64)U32_MAX + 1));
		KUNIT_EXPECT_NULL(test, w);
		kfree(w);
	}
	if (!KMO_HAVE_COUNTER)
		kmo_not_exercised(test, KMO_NO_COUNTER);
}

/*
 * What the counter is for: __builtin_dynamic_object_size() of the array,
 * through a pointer the compiler knows nothing about, reads the counter
 * and must find COUNT elements, on the kmalloc() and vmalloc() paths.
 */
#define KMO_CHECK_BDOS(test, alloc, freefn, type, n)			\
	do {								\
		struct type *__b = alloc(struct type, items, kmo_runtime(n)); \
									\
		KUNIT_ASSERT_NOT_NULL(test, __b);			\
		__b = kmo_runtime(__b);					\
		if (KMO_HAVE_COUNTER)					\
			KUNIT_EXPECT_EQ_MSG(test,			\
				__builtin_dynamic_object_size(__b->items, 1), \
				(size_t)(n) * sizeof(__b->items[0]),	\
				"%s(%s, %s)", #alloc, #type, #n);	\
		freefn(__b);						\
	} while (0)

static void counter_bdos_test(struct kunit *test)
{
	KMO_CHECK_BDOS(test, kmalloc_flex, kfree, kmo_t16, 37);
	KMO_CHECK_BDOS(test, kzalloc_flex, kfree, kmo_flex, 300);
	KMO_CHECK_BDOS(test, kvmalloc_flex, kvfree, kmo_c_int, 5000);
	KMO_CHECK_BDOS(test, kvzalloc_flex, kvfree, kmo_c_u32,
		       KMALLOC_MAX_SIZE + 1);
	if (!KMO_HAVE_COUNTER)
		kmo_not_exercised(test, KMO_NO_COUNTER);
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
		/* The terminator lies past the counter, as in ext4. */
		KUNIT_EXPECT_EQ(test, KMO_BYTES(fn, name)[len], 0);
		kfree(fn);
	}
	if (!KMO_HAVE_COUNTER)
		kmo_not_exercised(test, KMO_NO_COUNTER);
}

/*
 * The counter store itself, for every counter type, including the wide
 * ones whose maximum no allocation can reach: values that fit are stored
 * as they are, larger ones as the type's maximum, and a negative one
 * (which no allocation helper passes on) as zero. Without
 * __builtin_counted_by_ref() the store cannot find a counter and must
 * leave it alone, which is all there is to check then.
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
	if (!KMO_HAVE_COUNTER)
		kmo_not_exercised(test, KMO_NO_COUNTER);
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
	if (!KMO_HAVE_COUNTER)
		kmo_not_exercised(test, KMO_NO_COUNTER);
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
	KUNIT_CASE(counter_wide_test),
	KUNIT_CASE(counter_bdos_test),
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

	/* Everything but the counter is zero, the padding after it too. */
	KMO_DIRTY(struct_size(f, items, 6));
	f = kzalloc_flex(*f, items, 6);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->tag, 0);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(&f->count + 1, 0, offsetof(typeof(*f), items) -
					     offsetofend(typeof(*f), count)), NULL);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(KMO_BYTES(f, items), 0, 6 * sizeof(u32)), NULL);
	kfree(f);
	KMO_DIRTY(struct_size(f, items, 6));
	f = kvzalloc_flex(*f, items, kmo_runtime(6));
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->tag, 0);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(KMO_BYTES(f, items), 0, 6 * sizeof(u32)), NULL);
	kvfree(f);
}

/*
 * Over-aligned types take their own path through the helpers (a rounded
 * size): the zeroing must survive it, for every kz and kvz variant. The
 * caches of the rounded sizes are dirtied too.
 */
#define KMO_DIRTY_ALIGNED(size)						\
	do {								\
		KMO_DIRTY(size);					\
		KMO_DIRTY(roundup_pow_of_two(size));			\
	} while (0)

static void memory_zeroed_aligned_test(struct kunit *test)
{
	struct kmo_a32 *a;
	struct kmo_a64 *b;
	struct kmo_fa64 *f;

	KMO_DIRTY_ALIGNED(sizeof(*a));
	KMO_CHECK_ZEROED(test, kzalloc_obj(*a), kfree, sizeof(*a));
	KMO_DIRTY_ALIGNED(sizeof(*a));
	KMO_CHECK_ZEROED(test, kvzalloc_obj(*a), kvfree, sizeof(*a));
	KMO_DIRTY_ALIGNED(3 * sizeof(*b));
	KMO_CHECK_ZEROED(test, kzalloc_objs(*b, 3), kfree, 3 * sizeof(*b));
	KMO_DIRTY_ALIGNED(3 * sizeof(*b));
	KMO_CHECK_ZEROED(test, kvzalloc_objs(*b, kmo_runtime(3)), kvfree,
			 3 * sizeof(*b));

	/* Everything but the counter is zero: header padding and elements. */
	KMO_DIRTY_ALIGNED(struct_size(f, items, 20));
	f = kzalloc_flex(*f, items, 20);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(KMO_BYTES(f, items), 0, 20 * sizeof(u32)), NULL);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(&f->count + 1, 0, sizeof(*f) - sizeof(f->count)),
			    NULL);
	kfree(f);
	KMO_DIRTY_ALIGNED(struct_size(f, items, 20));
	f = kvzalloc_flex(*f, items, kmo_runtime(20));
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(KMO_BYTES(f, items), 0, 20 * sizeof(u32)), NULL);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(&f->count + 1, 0, sizeof(*f) - sizeof(f->count)),
			    NULL);
	kvfree(f);
}

struct kmo_huge {
	u8 b[KMALLOC_MAX_SIZE + 1];
};

static void memory_kv_fallback_test(struct kunit *test)
{
	size_t big = 2 * KMALLOC_MAX_SIZE;
	struct kmo_huge *h;
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

	/* A type larger than kmalloc() can serve: the _obj variants too. */
	h = kvmalloc_obj(*h);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(h));
	h->b[sizeof(*h) - 1] = 1;
	kvfree(h);
	KMO_DIRTY(PAGE_SIZE);
	h = kvzalloc_obj(struct kmo_huge, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(h));
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(h, 0, sizeof(*h)), NULL);
	kvfree(h);

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

/*
 * Past KMALLOC_MAX_SIZE only vmalloc() can serve the kv variants: the
 * counter is set there too, and the memory is as large as it says.
 */
static void memory_vmalloc_flex_test(struct kunit *test)
{
	size_t n = KMALLOC_MAX_SIZE / sizeof(u32) + 3;
	struct kmo_fa64 *f;
	struct kmo_c_u32 *c;

	f = kvmalloc_flex(*f, items, kmo_runtime(n));
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(f));
	if (KMO_HAVE_COUNTER)
		KUNIT_EXPECT_EQ(test, (size_t)f->count, n);
	((u32 *)KMO_BYTES(f, items))[n - 1] = 1;
	kvfree(f);

	c = kvzalloc_flex(*c, items, KMALLOC_MAX_SIZE + 1);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(c));
	KUNIT_EXPECT_EQ(test, (size_t)c->count,
			KMO_HAVE_COUNTER ? KMALLOC_MAX_SIZE + 1 : 0);
	KUNIT_EXPECT_EQ(test, KMO_BYTES(c, items)[KMALLOC_MAX_SIZE], 0);
	kvfree(c);
	if (!KMO_HAVE_COUNTER)
		kmo_not_exercised(test, KMO_NO_COUNTER);
}

static struct kunit_case kmalloc_obj_memory_cases[] = {
	KUNIT_CASE(memory_zeroed_test),
	KUNIT_CASE(memory_zeroed_aligned_test),
	KUNIT_CASE(memory_kv_fallback_test),
	KUNIT_CASE(memory_vmalloc_flex_test),
	{}
};

static struct kunit_suite kmalloc_obj_memory_suite = {
	.name = "kmalloc_obj_memory",
	.test_cases = kmalloc_obj_memory_cases,
};

/* ---------------------------------------------------------------------- */
/* What the family asks of the allocator */

/*
 * The family's macros expand where they are used, so the allocators they
 * name can be replaced for the rest of this file by a spy that records
 * each call (bytes, flags, kmalloc() or kvmalloc()) and then allocates for
 * real. That checks the exact request, flags included, which a bucket
 * size cannot, and that a refused call allocates nothing. The spy stands
 * for every allocator a tree's family may call: kmalloc(), kzalloc(),
 * kvmalloc(), kvzalloc() and the array allocators; kz and kvz ones are
 * recorded as their flags plus __GFP_ZERO. Like kmalloc_array(), the spy
 * refuses a product of count and size that overflows without allocating:
 * that refusal is the array allocators' own, before any allocation.
 */
static struct {
	unsigned int calls;
	bool kv;
	size_t bytes;
	gfp_t gfp;
} kmo_spy;

static void *kmo_spy_alloc(bool kv, size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	/* The array allocators refuse an overflowing product themselves. */
	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	kmo_spy.calls++;
	kmo_spy.kv = kv;
	kmo_spy.bytes = bytes;
	kmo_spy.gfp = gfp;
	return kv ? kvmalloc(bytes, gfp) : kmalloc(bytes, gfp);
}

#pragma push_macro("kmalloc")
#pragma push_macro("kzalloc")
#pragma push_macro("kvmalloc")
#pragma push_macro("kvzalloc")
#pragma push_macro("kmalloc_array")
#pragma push_macro("kcalloc")
#pragma push_macro("kvmalloc_array")
#pragma push_macro("kvcalloc")
#undef kmalloc
#undef kzalloc
#undef kvmalloc
#undef kvzalloc
#undef kmalloc_array
#undef kcalloc
#undef kvmalloc_array
#undef kvcalloc
#define kmalloc(s, g)		kmo_spy_alloc(false, 1, s, g)
#define kzalloc(s, g)		kmo_spy_alloc(false, 1, s, (g) | __GFP_ZERO)
#define kvmalloc(s, g)		kmo_spy_alloc(true, 1, s, g)
#define kvzalloc(s, g)		kmo_spy_alloc(true, 1, s, (g) | __GFP_ZERO)
#define kmalloc_array(n, s, g)	kmo_spy_alloc(false, n, s, g)
#define kcalloc(n, s, g)	kmo_spy_alloc(false, n, s, (g) | __GFP_ZERO)
#define kvmalloc_array(n, s, g)	kmo_spy_alloc(true, n, s, g)
#define kvcalloc(n, s, g)	kmo_spy_alloc(true, n, s, (g) | __GFP_ZERO)

#define KMO_GFP(g)		((__force unsigned long)(g))

/*
 * One call of the allocator, for @bytes_ with exactly @gfp_, kvmalloc() if
 * @kv_. Types aligned to @align beyond ARCH_KMALLOC_MINALIGN may have
 * their size rounded up: to a multiple of @align no larger than the next
 * power of two; others get exactly what they ask for.
 */
#define KMO_EXPECT_CALL(test, alloc, freefn, kv_, bytes_, gfp_, align)	\
	do {								\
		size_t __want = (bytes_);				\
		void *__p;						\
									\
		memset(&kmo_spy, 0, sizeof(kmo_spy));			\
		__p = (alloc);						\
		KUNIT_EXPECT_EQ_MSG(test, kmo_spy.calls, 1, "%s", #alloc); \
		KUNIT_EXPECT_EQ_MSG(test, kmo_spy.kv, kv_, "%s: kvmalloc()", #alloc); \
		KUNIT_EXPECT_EQ_MSG(test, KMO_GFP(kmo_spy.gfp), KMO_GFP(gfp_), \
				    "%s: flags", #alloc);		\
		if ((align) <= ARCH_KMALLOC_MINALIGN) {			\
			KUNIT_EXPECT_EQ_MSG(test, kmo_spy.bytes, __want, \
					    "%s: bytes", #alloc);	\
		} else {						\
			KUNIT_EXPECT_GE_MSG(test, kmo_spy.bytes, __want, \
					    "%s: bytes", #alloc);	\
			KUNIT_EXPECT_LE_MSG(test, kmo_spy.bytes,	\
					    roundup_pow_of_two(__want), \
					    "%s: bytes", #alloc);	\
			KUNIT_EXPECT_TRUE_MSG(test,			\
				IS_ALIGNED(kmo_spy.bytes, (size_t)(align)), \
				"%s: %zu bytes, not a multiple of %zu", \
				#alloc, kmo_spy.bytes, (size_t)(align)); \
		}							\
		KUNIT_EXPECT_NOT_NULL_MSG(test, __p, "%s", #alloc);	\
		freefn(__p);						\
	} while (0)

/* A refused call: NULL, and the allocator never called. */
#define KMO_EXPECT_REFUSED(test, alloc, freefn)				\
	do {								\
		void *__p;						\
									\
		memset(&kmo_spy, 0, sizeof(kmo_spy));			\
		__p = (alloc);						\
		KUNIT_EXPECT_EQ_MSG(test, kmo_spy.calls, 0,		\
				    "%s: the allocator was called for %zu bytes", \
				    #alloc, kmo_spy.bytes);		\
		KUNIT_EXPECT_NULL_MSG(test, __p, "%s", #alloc);		\
		freefn(__p);						\
	} while (0)

#define Z	__GFP_ZERO
#define ACCT	GFP_KERNEL_ACCOUNT

static void calls_obj_test(struct kunit *test)
{
	const size_t e = sizeof(struct kmo_e12);
	struct kmo_e12 *p;

	KMO_EXPECT_CALL(test, kmalloc_obj(*p), kfree, false, e, GFP_KERNEL, 1);
	KMO_EXPECT_CALL(test, kzalloc_obj(*p), kfree, false, e, GFP_KERNEL | Z, 1);
	KMO_EXPECT_CALL(test, kvmalloc_obj(*p), kvfree, true, e, GFP_KERNEL, 1);
	KMO_EXPECT_CALL(test, kvzalloc_obj(*p), kvfree, true, e, GFP_KERNEL | Z, 1);
	KMO_EXPECT_CALL(test, kmalloc_obj(*p, ACCT), kfree, false, e, ACCT, 1);
	KMO_EXPECT_CALL(test, kzalloc_obj(*p, GFP_NOWAIT), kfree, false, e,
			GFP_NOWAIT | Z, 1);
	KMO_EXPECT_CALL(test, kvmalloc_obj(*p, ACCT), kvfree, true, e, ACCT, 1);
	KMO_EXPECT_CALL(test, kvzalloc_obj(*p, ACCT), kvfree, true, e, ACCT | Z, 1);
	KMO_EXPECT_CALL(test, kmalloc_obj(struct kmo_t16), kfree, false,
			sizeof(struct kmo_t16), GFP_KERNEL, 1);
}

static void calls_objs_test(struct kunit *test)
{
	const size_t e = sizeof(struct kmo_e12);
	size_t n = kmo_runtime((size_t)5);
	struct kmo_e12 *p;

	KMO_EXPECT_CALL(test, kmalloc_objs(*p, 5), kfree, false, 5 * e, GFP_KERNEL, 1);
	KMO_EXPECT_CALL(test, kzalloc_objs(*p, n), kfree, false, 5 * e,
			GFP_KERNEL | Z, 1);
	KMO_EXPECT_CALL(test, kvmalloc_objs(*p, n), kvfree, true, 5 * e, GFP_KERNEL, 1);
	KMO_EXPECT_CALL(test, kvzalloc_objs(*p, 5), kvfree, true, 5 * e,
			GFP_KERNEL | Z, 1);
	KMO_EXPECT_CALL(test, kmalloc_objs(*p, n, ACCT), kfree, false, 5 * e, ACCT, 1);
	KMO_EXPECT_CALL(test, kzalloc_objs(*p, (int)n, GFP_NOWAIT), kfree, false,
			5 * e, GFP_NOWAIT | Z, 1);
	KMO_EXPECT_CALL(test, kvmalloc_objs(*p, (u8)n, ACCT), kvfree, true, 5 * e,
			ACCT, 1);
	KMO_EXPECT_CALL(test, kvzalloc_objs(*p, n, ACCT), kvfree, true, 5 * e,
			ACCT | Z, 1);
	/* Zero elements: a request for zero bytes. */
	KMO_EXPECT_CALL(test, kmalloc_objs(*p, kmo_runtime(0)), kfree, false, 0,
			GFP_KERNEL, 1);
}

static void calls_flex_test(struct kunit *test)
{
	const size_t h = sizeof(struct kmo_t16);
	int n = kmo_runtime(5);
	struct kmo_t16 *f;

	KMO_EXPECT_CALL(test, kmalloc_flex(*f, items, 5), kfree, false, h + 5,
			GFP_KERNEL, 1);
	KMO_EXPECT_CALL(test, kzalloc_flex(*f, items, n), kfree, false, h + 5,
			GFP_KERNEL | Z, 1);
	KMO_EXPECT_CALL(test, kvmalloc_flex(*f, items, n), kvfree, true, h + 5,
			GFP_KERNEL, 1);
	KMO_EXPECT_CALL(test, kvzalloc_flex(*f, items, 5), kvfree, true, h + 5,
			GFP_KERNEL | Z, 1);
	KMO_EXPECT_CALL(test, kmalloc_flex(*f, items, n, ACCT), kfree, false, h + 5,
			ACCT, 1);
	KMO_EXPECT_CALL(test, kzalloc_flex(*f, items, n, GFP_NOWAIT), kfree, false,
			h + 5, GFP_NOWAIT | Z, 1);
	KMO_EXPECT_CALL(test, kvmalloc_flex(*f, items, (u64)n, ACCT), kvfree, true,
			h + 5, ACCT, 1);
	KMO_EXPECT_CALL(test, kvzalloc_flex(*f, items, n, ACCT), kvfree, true, h + 5,
			ACCT | Z, 1);
	/* Zero elements: the bare structure. */
	KMO_EXPECT_CALL(test, kmalloc_flex(*f, items, kmo_runtime(0)), kfree, false,
			h, GFP_KERNEL, 1);
	/* One-byte elements at offset 22 of a 24-byte header (16 on i386) */
	KMO_EXPECT_CALL(test, kzalloc_flex(struct kmo_fname, name, n), kfree, false,
			sizeof(struct kmo_fname) + 5, GFP_KERNEL | Z, 1);
}

/*
 * Over-aligned types: a size at least that asked for, a multiple of the
 * alignment (so that kmalloc() aligns it), at most the next power of two.
 * Alignments of 256 and more cannot be seen misaligned at run time (their
 * sizes are powers of two, or pages): only the request shows the rounding.
 */
static void calls_aligned_test(struct kunit *test)
{
	int i;

	KMO_EXPECT_CALL(test, kmalloc_obj(struct kmo_a32), kfree, false,
			sizeof(struct kmo_a32), GFP_KERNEL, 32);
	KMO_EXPECT_CALL(test, kvzalloc_objs(struct kmo_a64, 3, ACCT), kvfree, true,
			3 * sizeof(struct kmo_a64), ACCT | Z, 64);
	KMO_EXPECT_CALL(test, kmalloc_obj(struct kmo_a256, ACCT), kfree, false,
			sizeof(struct kmo_a256), ACCT, 256);
	KMO_EXPECT_CALL(test, kzalloc_obj(struct kmo_a16), kfree, false,
			sizeof(struct kmo_a16), GFP_KERNEL | Z, 16);
	for (i = 1; i < 40; i += 3) {
		KMO_EXPECT_CALL(test, kmalloc_flex(struct kmo_fa64, items, i), kfree,
				false, struct_size_t(struct kmo_fa64, items, i),
				GFP_KERNEL, 64);
		KMO_EXPECT_CALL(test, kvzalloc_flex(struct kmo_fa64, items, i, ACCT),
				kvfree, true,
				struct_size_t(struct kmo_fa64, items, i), ACCT | Z, 64);
		KMO_EXPECT_CALL(test, kzalloc_flex(struct kmo_fa128, items, i), kfree,
				false, struct_size_t(struct kmo_fa128, items, i),
				GFP_KERNEL | Z, 128);
		KMO_EXPECT_CALL(test, kvmalloc_flex(struct kmo_fa256, items, 7 * i),
				kvfree, true,
				struct_size_t(struct kmo_fa256, items, 7 * i),
				GFP_KERNEL, 256);
		KMO_EXPECT_CALL(test, kmalloc_flex(struct kmo_fa16, items, 16 + i), kfree,
				false, struct_size_t(struct kmo_fa16, items, 16 + i),
				GFP_KERNEL, 16);
	}
}

/*
 * Sizes above 4 GiB (64-bit only) reach the allocator whole, which
 * refuses them: the family must not cut them to 32 bits on the way (a
 * short buffer). The allocator's refusal of a size it cannot serve WARNs
 * unless told not to, as for kmalloc() itself: hence __GFP_NOWARN.
 */
#define KMO_EXPECT_TOO_BIG(test, alloc, freefn, kv_, bytes_)		\
	do {								\
		size_t __want = (bytes_);				\
		void *__p;						\
									\
		memset(&kmo_spy, 0, sizeof(kmo_spy));			\
		__p = (alloc);						\
		KUNIT_EXPECT_EQ_MSG(test, kmo_spy.calls, 1, "%s", #alloc); \
		KUNIT_EXPECT_EQ_MSG(test, kmo_spy.kv, kv_, "%s: kvmalloc()", #alloc); \
		KUNIT_EXPECT_GE_MSG(test, kmo_spy.bytes, __want, "%s: bytes", #alloc); \
		KUNIT_EXPECT_LE_MSG(test, kmo_spy.bytes, __want + 256, "%s: bytes", #alloc); \
		KUNIT_EXPECT_NULL_MSG(test, __p, "%s", #alloc);		\
		freefn(__p);						\
	} while (0)

static void calls_huge_test(struct kunit *test)
{
	const size_t big = kmo_runtime((size_t)U32_MAX) + 17;

	if (sizeof(size_t) == sizeof(u32)) {
		kunit_skip(test, "not exercised: size_t is 32 bits, no size above 4 GiB");
		return;
	}
	KMO_EXPECT_TOO_BIG(test, kvmalloc_objs(u8, big, KMO_NOWARN), kvfree, true, big);
	KMO_EXPECT_TOO_BIG(test, kmalloc_objs(struct kmo_e12, big / 12, KMO_NOWARN), kfree,
			   false, big / 12 * 12);
	KMO_EXPECT_TOO_BIG(test, kzalloc_flex(struct kmo_t16, items, big, KMO_NOWARN), kfree,
			   false, sizeof(struct kmo_t16) + big);
	KMO_EXPECT_TOO_BIG(test, kvmalloc_flex(struct kmo_fa64, items, big / 4, KMO_NOWARN),
			   kvfree, true, struct_size_t(struct kmo_fa64, items, big / 4));
}

/*
 * Refusals call no allocator at all, with the default flags. Each
 * variant, counts negative, wider than size_t, or whose size wraps.
 */
static void calls_refused_test(struct kunit *test)
{
	size_t wrap = SIZE_MAX / sizeof(struct kmo_e12) + 2;
	struct kmo_e12 *p;
	struct kmo_t16 *f;
	struct kmo_fa64 *a;
	char *c;

	KMO_EXPECT_REFUSED(test, kmalloc_objs(*p, kmo_runtime(-1)), kfree);
	KMO_EXPECT_REFUSED(test, kzalloc_objs(*p, kmo_runtime(wrap)), kfree);
	KMO_EXPECT_REFUSED(test, kvmalloc_objs(*p, kmo_runtime(INT_MIN)), kvfree);
	KMO_EXPECT_REFUSED(test, kvzalloc_objs(*p, kmo_runtime(wrap)), kvfree);
	KMO_EXPECT_REFUSED(test, kmalloc_objs(*c, kmo_runtime(-1)), kfree);
	KMO_EXPECT_REFUSED(test, kvzalloc_objs(*c, kmo_runtime((s64)-2)), kvfree);
	KMO_EXPECT_REFUSED(test, kmalloc_flex(*f, items, kmo_runtime(-1)), kfree);
	KMO_EXPECT_REFUSED(test, kzalloc_flex(*f, items, kmo_runtime(SIZE_MAX)), kfree);
	KMO_EXPECT_REFUSED(test, kvmalloc_flex(*f, items, kmo_runtime(SIZE_MAX - sizeof(*f) + 1)),
			   kvfree);
	KMO_EXPECT_REFUSED(test, kvzalloc_flex(*f, items, kmo_runtime(INT_MIN)), kvfree);
	KMO_EXPECT_REFUSED(test, kmalloc_flex(*a, items, kmo_runtime(SIZE_MAX / 4)),
			   kfree);
	KMO_EXPECT_REFUSED(test, kvzalloc_objs(struct kmo_a64, kmo_runtime(-1)),
			   kvfree);
	KMO_EXPECT_REFUSED(test, kmalloc_objs(struct kmo_a64, kmo_runtime(SIZE_MAX / 64 + 2)),
			   kfree);
	if (sizeof(size_t) < sizeof(u64)) {
		KMO_EXPECT_REFUSED(test, kmalloc_objs(*c, kmo_runtime((u64)SIZE_MAX + 2)),
				   kfree);
		KMO_EXPECT_REFUSED(test, kvmalloc_flex(*f, items,
						       kmo_runtime((u64)SIZE_MAX + 2)), kvfree);
	}
}

#undef Z
#undef ACCT
#pragma pop_macro("kmalloc")
#pragma pop_macro("kzalloc")
#pragma pop_macro("kvmalloc")
#pragma pop_macro("kvzalloc")
#pragma pop_macro("kmalloc_array")
#pragma pop_macro("kcalloc")
#pragma pop_macro("kvmalloc_array")
#pragma pop_macro("kvcalloc")

static struct kunit_case kmalloc_obj_calls_cases[] = {
	KUNIT_CASE(calls_obj_test),
	KUNIT_CASE(calls_objs_test),
	KUNIT_CASE(calls_flex_test),
	KUNIT_CASE(calls_aligned_test),
	KUNIT_CASE(calls_huge_test),
	KUNIT_CASE(calls_refused_test),
	{}
};

static struct kunit_suite kmalloc_obj_calls_suite = {
	.name = "kmalloc_obj_calls",
	.test_cases = kmalloc_obj_calls_cases,
};

kunit_test_suites(&kmalloc_obj_sizes_suite, &kmalloc_obj_align_suite, &kmalloc_obj_counter_suite,
		  &kmalloc_obj_overflow_suite, &kmalloc_obj_memory_suite, &kmalloc_obj_calls_suite);

MODULE_DESCRIPTION("KUnit tests for the kmalloc_obj() allocation helpers");
MODULE_LICENSE("GPL");
