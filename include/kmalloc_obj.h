/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmalloc_obj.h - the kmalloc_obj() family for out-of-tree modules
 *
 * Include this header instead of a private shim to allocate by type on
 * every kernel from 6.1 on:
 *
 *	p = kzalloc_obj(*p);
 *	a = kmalloc_objs(*a, n, GFP_ATOMIC);
 *	f = kvzalloc_flex(*f, items, n);
 *	d = devm_kzalloc_obj(dev, *d);
 *
 * It defines the whole family, {kmalloc,kzalloc,kvmalloc,kvzalloc}_{obj,
 * objs,flex}() and devm_{kmalloc,kzalloc}_{obj,objs,flex}(), with one
 * contract whatever the kernel has:
 *
 * - the result is a (typeof(VAR_OR_TYPE) *), by an explicit cast;
 * - GFP may be left out (GFP_KERNEL); VAR_OR_TYPE is never evaluated,
 *   DEV, COUNT and GFP exactly once;
 * - a size that does not fit in size_t, or a negative COUNT, gives NULL
 *   without calling the allocator (so without a WARN, whatever GFP says);
 * - the pointer is aligned to __alignof__(VAR_OR_TYPE): for a type aligned
 *   beyond ARCH_KMALLOC_MINALIGN a request up to KMALLOC_MAX_CACHE_SIZE is
 *   rounded up to a power of two, which kmalloc() aligns naturally, and
 *   larger ones get whole pages; devm_ allocations of types aligned beyond
 *   ARCH_KMALLOC_MINALIGN (devres puts its header in front of them) do not
 *   build, nor, on a kernel without a family of its own, types aligned
 *   beyond PAGE_SIZE (where the kernel has one, the header refuses nothing
 *   that the kernel's accepts);
 * - the _flex() helpers set the __counted_by() counter of the flexible
 *   array, where the compiler can find it (GCC 15, Clang 22.1 and later):
 *   to COUNT, or to the counter type's largest value when COUNT is larger,
 *   so the counter never claims more elements than were allocated and the
 *   call never fails for it.
 *
 * What the kernel already has is found at compile time, macro by macro
 * (the family is made of macros): 6.1 has none of it, 6.12.y and 6.18.y
 * have the twelve non-devm helpers, or some of them (stable took them in
 * pieces), without counter support, 7.0 and later the twelve with it; no
 * release so far has the devm_ helpers. Each name is then defined here,
 * the kernel's own definition, if any, replaced (#undef first, so there is
 * no "redefined" warning). That is the point: the kernels' own helpers
 * have defects that a module cannot otherwise avoid. 6.12.y and 6.18.y
 * never set the counter; 7.0 to 7.3 store a COUNT too large for the
 * counter truncated, so that the counter claims fewer elements than were
 * allocated, by any amount, and the bounds checkers (UBSAN_BOUNDS,
 * FORTIFY_SOURCE, on in Debian's 7.2 kernel) trust it; and every one of
 * them returns flexible-array objects of over-aligned types misaligned
 * for some counts.
 *
 * The same goes for three helpers of the family's that code may use
 * directly: default_gfp() (the optional GFP argument), __flex_counter()
 * (where the counter is) and __set_flex_counter() (the counter store,
 * saturating as described above).
 *
 * Define KMALLOC_OBJ_USE_KERNEL before including this header to keep every
 * one of these names that the kernel defines, and add only the missing
 * ones (for example kzalloc_flex() on a 6.18.y that has kmalloc_obj()
 * only). The kernel's helpers then keep the defects above.
 *
 * Code that includes this header must not carry its own definitions of
 * these names: a definition after this header's warns, one before it is
 * replaced.
 */
#ifndef KMALLOC_OBJ_COMPAT_H
#define KMALLOC_OBJ_COMPAT_H

#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>

/* For code that wants to know that this header, not the kernel, speaks. */
#define KMALLOC_OBJ_COMPAT	1

/* Whether the kernel has a family of its own, as this header found it. */
#ifdef kmalloc_obj
#define __KMO_KERNEL_FAMILY	1
#else
#define __KMO_KERNEL_FAMILY	0
#endif

/*
 * The optional GFP argument: the caller's flags, else GFP_KERNEL. The
 * first argument of __kmo_gfp_pick() is always empty: it is there so that
 * the comma after it goes when the caller gives no flags.
 */
#define __kmo_gfp_pick(empty, gfp, ...)	(empty gfp)
#define __kmo_gfp(...)	__kmo_gfp_pick(, ##__VA_ARGS__, GFP_KERNEL)

/*
 * The counter of a __counted_by() flexible array member: a pointer to it,
 * or (void *)NULL where the member has no annotation or the compiler
 * cannot find it. Clang's builtin is not trusted before 22.1.
 */
#if __has_builtin(__builtin_counted_by_ref) &&				\
	(!defined(__clang__) || __clang_major__ > 22 ||			\
	 (__clang_major__ == 22 && __clang_minor__ >= 1))
#define __kmo_flex_counter(FAM)	__builtin_counted_by_ref(FAM)
#else
#define __kmo_flex_counter(FAM)	((void *)(sizeof((FAM)[0]) * 0))
#endif

#define __kmo_counter_or(ptr, none)	_Generic(ptr, void * : (none), default : (ptr))

/* The counter's type; size_t where there is no counter. */
#define __kmo_counter_type(FAM)						\
	typeof(*__kmo_counter_or(__kmo_flex_counter(FAM), (size_t *)NULL))

/*
 * Store COUNT in the counter of FAM, if there is one: as it is when the
 * counter's type holds it, as that type's maximum when COUNT is larger,
 * as 0 when COUNT is negative (no helper passes one on). Without a
 * counter, COUNT is evaluated and the store goes to a temporary.
 */
#define __kmo_set_counter(FAM, COUNT)					\
({									\
	const typeof((COUNT) + 0) __kmo_sc_count = (COUNT);		\
									\
	*__kmo_counter_or(__kmo_flex_counter(FAM), &(size_t){ 0 }) =	\
		!(__kmo_sc_count > 0 || __kmo_sc_count == 0) ? 0 :	\
		(unsigned long long)__kmo_sc_count >			\
		(unsigned long long)type_max(__kmo_counter_type(FAM)) ?	\
		type_max(__kmo_counter_type(FAM)) :			\
		(__kmo_counter_type(FAM))__kmo_sc_count;		\
})

/*
 * Whether COUNT, of any integer type, can size an allocation: not
 * negative, and held by size_t (a u64 on a 32-bit kernel may not be).
 * True at compile time for an unsigned count no wider than size_t.
 */
#define __kmo_count_ok(count)						\
	(((count) > 0 || (count) == 0) &&				\
	 (count) == (typeof(count))(size_t)(count))

#define __kmo_overaligned(TYPE)	(__alignof__(TYPE) > ARCH_KMALLOC_MINALIGN)

/*
 * Alignment beyond a page is more than vmalloc() gives. Refused where the
 * kernel has no family; where it has one, its helpers accept such types,
 * and so must the header's, which code written for them may use.
 */
#define __kmo_check_align(TYPE)						\
	static_assert(__KMO_KERNEL_FAMILY || __alignof__(TYPE) <= PAGE_SIZE, \
		      "kmalloc_obj family: type is aligned beyond PAGE_SIZE")

/*
 * The size to ask for: kmalloc() aligns every object to
 * ARCH_KMALLOC_MINALIGN, and a power-of-two size to itself (red zones of
 * slub_debug included); sizes above KMALLOC_MAX_CACHE_SIZE, and vmalloc(),
 * get whole pages. Anything else is rounded up to a power of two for a
 * type aligned beyond ARCH_KMALLOC_MINALIGN; for other types this folds
 * away to SIZE.
 */
static __always_inline size_t __kmo_size(size_t size, size_t align)
{
	if (align <= ARCH_KMALLOC_MINALIGN || !size ||
	    size > KMALLOC_MAX_CACHE_SIZE)
		return size;
	return roundup_pow_of_two(size);
}

/* struct_size() of COUNT elements of FAM in TYPE, saturated at SIZE_MAX. */
#define __kmo_flex_size(TYPE, FAM, COUNT)				\
	size_add(sizeof(TYPE),						\
		 size_mul(sizeof(((TYPE *)NULL)->FAM[0]) +		\
			  __must_be_array(((TYPE *)NULL)->FAM), COUNT))

/*
 * Allocate SIZE bytes for TYPE with ALLOC, whose leading arguments, each
 * followed by a comma, are the variable arguments; SIZE_MAX is a size
 * that saturated, refused.
 */
#define __kmo_sized(TYPE, SIZE, GFP, ALLOC, ...)			\
({									\
	const size_t __kmo_s_size = (SIZE);				\
	const gfp_t __kmo_s_gfp = (GFP);				\
									\
	__kmo_s_size == SIZE_MAX ? NULL :				\
		ALLOC(__VA_ARGS__ __kmo_size(__kmo_s_size, __alignof__(TYPE)), \
		      __kmo_s_gfp);					\
})

#define __kmo_obj(TYPE, GFP, ALLOC, ...)				\
({									\
	__kmo_check_align(TYPE);					\
	(TYPE *)__kmo_sized(TYPE, sizeof(TYPE), GFP, ALLOC, __VA_ARGS__); \
})

/*
 * An ordinary type goes to the array allocator as a hand-written
 * kmalloc_array() call would; an over-aligned one needs its size rounded
 * first. A negative COUNT, or one size_t cannot hold, is refused before.
 */
#define __kmo_objs(TYPE, COUNT, GFP, ALLOC, ARRAY_ALLOC, ...)		\
({									\
	const typeof((COUNT) + 0) __kmo_a_count = (COUNT);		\
	const gfp_t __kmo_a_gfp = (GFP);				\
									\
	__kmo_check_align(TYPE);					\
	(TYPE *)(unlikely(!__kmo_count_ok(__kmo_a_count)) ? NULL :	\
		 __builtin_choose_expr(__kmo_overaligned(TYPE),		\
			__kmo_sized(TYPE,				\
				    size_mul(__kmo_a_count, sizeof(TYPE)), \
				    __kmo_a_gfp, ALLOC, __VA_ARGS__),	\
			ARRAY_ALLOC(__VA_ARGS__ __kmo_a_count,		\
				    sizeof(TYPE), __kmo_a_gfp)));	\
})

#define __kmo_flex(TYPE, FAM, COUNT, GFP, ALLOC, ...)			\
({									\
	const typeof((COUNT) + 0) __kmo_f_count = (COUNT);		\
	const gfp_t __kmo_f_gfp = (GFP);				\
	TYPE *__kmo_f_obj = NULL;					\
									\
	__kmo_check_align(TYPE);					\
	if (likely(__kmo_count_ok(__kmo_f_count))) {			\
		__kmo_f_obj = (TYPE *)__kmo_sized(TYPE,			\
				__kmo_flex_size(TYPE, FAM, __kmo_f_count), \
				__kmo_f_gfp, ALLOC, __VA_ARGS__);	\
		if (__kmo_f_obj)					\
			__kmo_set_counter(__kmo_f_obj->FAM, __kmo_f_count); \
	}								\
	__kmo_f_obj;							\
})

/* devm_: the device is evaluated once, into a local the allocators use. */
#define __kmo_devm_check_align(TYPE)					\
	static_assert(__alignof__(TYPE) <= ARCH_KMALLOC_MINALIGN,	\
		      "devm_ allocation: devres aligns its data to "	\
		      "ARCH_KMALLOC_MINALIGN only; allocate this type with " \
		      "kmalloc_obj() and free it from a devm action")

#define __kmo_devm_kmalloc(SIZE, GFP)	devm_kmalloc(__kmo_dev, SIZE, GFP)
#define __kmo_devm_kzalloc(SIZE, GFP)	devm_kzalloc(__kmo_dev, SIZE, GFP)
#define __kmo_devm_kmalloc_array(N, SIZE, GFP)				\
	devm_kmalloc_array(__kmo_dev, N, SIZE, GFP)
#define __kmo_devm_kzalloc_array(N, SIZE, GFP)				\
	devm_kcalloc(__kmo_dev, N, SIZE, GFP)

#define __kmo_devm_objs(KIND, DEV, GFP, TYPE, COUNT)			\
({									\
	struct device *__kmo_dev = (DEV);				\
									\
	__kmo_devm_check_align(TYPE);					\
	__kmo_objs(TYPE, COUNT, GFP, __kmo_devm_##KIND,			\
		   __kmo_devm_##KIND##_array);				\
})

#define __kmo_devm_flex(KIND, DEV, GFP, TYPE, FAM, COUNT)		\
({									\
	struct device *__kmo_dev = (DEV);				\
									\
	__kmo_devm_check_align(TYPE);					\
	__kmo_flex(TYPE, FAM, COUNT, GFP, __kmo_devm_##KIND);		\
})

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(default_gfp)
#undef default_gfp
/**
 * default_gfp - GFP flags for an optional gfp argument
 * @...: the allocation flags, or nothing
 *
 * Return: %GFP_KERNEL for default_gfp(), @flags for default_gfp(@flags).
 */
#define default_gfp(...)	__kmo_gfp(__VA_ARGS__)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(__flex_counter)
#undef __flex_counter
/**
 * __flex_counter - Pointer to the counter of a flexible array member
 * @FAM: flexible array member, for example ``p->items``
 *
 * Return: the address of the member that the __counted_by() annotation of
 * @FAM names, or (void *)NULL where there is none or the compiler cannot
 * find it (before GCC 15 and Clang 22.1).
 */
#define __flex_counter(FAM)	__kmo_flex_counter(FAM)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(__set_flex_counter)
#undef __set_flex_counter
/**
 * __set_flex_counter - Store a count in a flexible array's counter
 * @FAM: flexible array member of an object, for example ``p->items``
 * @COUNT: number of elements allocated; evaluated once
 *
 * Assigns @COUNT to the counter that the __counted_by() annotation of @FAM
 * names, or the counter type's largest value when @COUNT is larger, or 0
 * when it is negative; stores nothing where there is no counter.
 */
#define __set_flex_counter(FAM, COUNT)	__kmo_set_counter(FAM, COUNT)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(kmalloc_obj)
#undef kmalloc_obj
/**
 * kmalloc_obj - Allocate one object of a given type
 * @VAR_OR_TYPE: the type, or an expression of that type such as ``*p``;
 *		 never evaluated
 * @GFP: optional allocation flags, %GFP_KERNEL when left out
 *
 * Return: a typeof(@VAR_OR_TYPE) * to the uninitialised object, aligned to
 * __alignof__(@VAR_OR_TYPE), or NULL on failure. Free it with kfree().
 */
#define kmalloc_obj(VAR_OR_TYPE, GFP...)				\
	__kmo_obj(typeof(VAR_OR_TYPE), __kmo_gfp(GFP), kmalloc)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(kmalloc_objs)
#undef kmalloc_objs
/**
 * kmalloc_objs - Allocate an array of objects of a given type
 * @VAR_OR_TYPE: the element type, or an expression of that type; never
 *		 evaluated
 * @COUNT: number of elements, of any integer type; evaluated once
 * @GFP: optional allocation flags, %GFP_KERNEL when left out
 *
 * A @COUNT of 0 gives what kmalloc(0) gives (ZERO_SIZE_PTR).
 *
 * Return: a typeof(@VAR_OR_TYPE) * to the uninitialised array, or NULL on
 * failure, and without calling the allocator when @COUNT is negative or
 * the size does not fit in size_t. Free it with kfree().
 */
#define kmalloc_objs(VAR_OR_TYPE, COUNT, GFP...)			\
	__kmo_objs(typeof(VAR_OR_TYPE), COUNT, __kmo_gfp(GFP),		\
		   kmalloc, kmalloc_array)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(kmalloc_flex)
#undef kmalloc_flex
/**
 * kmalloc_flex - Allocate an object that ends in a flexible array
 * @VAR_OR_TYPE: the structure type, or an expression of that type; never
 *		 evaluated
 * @FAM: name of the flexible array member
 * @COUNT: number of @FAM elements, of any integer type; evaluated once
 * @GFP: optional allocation flags, %GFP_KERNEL when left out
 *
 * Allocates struct_size() bytes for @COUNT elements and sets the counter
 * of a __counted_by() @FAM as __set_flex_counter() does.
 *
 * Return: a typeof(@VAR_OR_TYPE) * to the object, its other members
 * uninitialised, or NULL on failure, and without calling the allocator
 * when @COUNT is negative or the size does not fit in size_t. Free it
 * with kfree().
 */
#define kmalloc_flex(VAR_OR_TYPE, FAM, COUNT, GFP...)			\
	__kmo_flex(typeof(VAR_OR_TYPE), FAM, COUNT, __kmo_gfp(GFP), kmalloc)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(kzalloc_obj)
#undef kzalloc_obj
/**
 * kzalloc_obj - Allocate one zeroed object of a given type
 * @VAR_OR_TYPE: the type, or an expression of that type; never evaluated
 * @GFP: optional allocation flags, %GFP_KERNEL when left out
 *
 * Return: as kmalloc_obj(), the memory zeroed.
 */
#define kzalloc_obj(VAR_OR_TYPE, GFP...)				\
	__kmo_obj(typeof(VAR_OR_TYPE), __kmo_gfp(GFP), kzalloc)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(kzalloc_objs)
#undef kzalloc_objs
/**
 * kzalloc_objs - Allocate a zeroed array of objects of a given type
 * @VAR_OR_TYPE: the element type, or an expression of that type; never
 *		 evaluated
 * @COUNT: number of elements, of any integer type; evaluated once
 * @GFP: optional allocation flags, %GFP_KERNEL when left out
 *
 * Return: as kmalloc_objs(), the memory zeroed (as by kcalloc()).
 */
#define kzalloc_objs(VAR_OR_TYPE, COUNT, GFP...)			\
	__kmo_objs(typeof(VAR_OR_TYPE), COUNT, __kmo_gfp(GFP),		\
		   kzalloc, kcalloc)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(kzalloc_flex)
#undef kzalloc_flex
/**
 * kzalloc_flex - Allocate a zeroed object that ends in a flexible array
 * @VAR_OR_TYPE: the structure type, or an expression of that type; never
 *		 evaluated
 * @FAM: name of the flexible array member
 * @COUNT: number of @FAM elements, of any integer type; evaluated once
 * @GFP: optional allocation flags, %GFP_KERNEL when left out
 *
 * Return: as kmalloc_flex(), the memory zeroed before the counter is set.
 */
#define kzalloc_flex(VAR_OR_TYPE, FAM, COUNT, GFP...)			\
	__kmo_flex(typeof(VAR_OR_TYPE), FAM, COUNT, __kmo_gfp(GFP), kzalloc)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(kvmalloc_obj)
#undef kvmalloc_obj
/**
 * kvmalloc_obj - Allocate one object of a given type, maybe with vmalloc()
 * @VAR_OR_TYPE: the type, or an expression of that type; never evaluated
 * @GFP: optional flags compatible with kvmalloc(), %GFP_KERNEL when left
 *	 out
 *
 * Return: as kmalloc_obj(), allocated with kvmalloc(). Free it with
 * kvfree().
 */
#define kvmalloc_obj(VAR_OR_TYPE, GFP...)				\
	__kmo_obj(typeof(VAR_OR_TYPE), __kmo_gfp(GFP), kvmalloc)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(kvmalloc_objs)
#undef kvmalloc_objs
/**
 * kvmalloc_objs - Allocate an array of objects, maybe with vmalloc()
 * @VAR_OR_TYPE: the element type, or an expression of that type; never
 *		 evaluated
 * @COUNT: number of elements, of any integer type; evaluated once
 * @GFP: optional flags compatible with kvmalloc(), %GFP_KERNEL when left
 *	 out
 *
 * Return: as kmalloc_objs(), allocated as by kvmalloc_array(). Free it
 * with kvfree().
 */
#define kvmalloc_objs(VAR_OR_TYPE, COUNT, GFP...)			\
	__kmo_objs(typeof(VAR_OR_TYPE), COUNT, __kmo_gfp(GFP),		\
		   kvmalloc, kvmalloc_array)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(kvmalloc_flex)
#undef kvmalloc_flex
/**
 * kvmalloc_flex - Allocate an object ending in a flexible array, maybe
 *		   with vmalloc()
 * @VAR_OR_TYPE: the structure type, or an expression of that type; never
 *		 evaluated
 * @FAM: name of the flexible array member
 * @COUNT: number of @FAM elements, of any integer type; evaluated once
 * @GFP: optional flags compatible with kvmalloc(), %GFP_KERNEL when left
 *	 out
 *
 * Return: as kmalloc_flex(), allocated with kvmalloc(). Free it with
 * kvfree().
 */
#define kvmalloc_flex(VAR_OR_TYPE, FAM, COUNT, GFP...)			\
	__kmo_flex(typeof(VAR_OR_TYPE), FAM, COUNT, __kmo_gfp(GFP), kvmalloc)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(kvzalloc_obj)
#undef kvzalloc_obj
/**
 * kvzalloc_obj - Allocate one zeroed object, maybe with vmalloc()
 * @VAR_OR_TYPE: the type, or an expression of that type; never evaluated
 * @GFP: optional flags compatible with kvmalloc(), %GFP_KERNEL when left
 *	 out
 *
 * Return: as kvmalloc_obj(), the memory zeroed. Free it with kvfree().
 */
#define kvzalloc_obj(VAR_OR_TYPE, GFP...)				\
	__kmo_obj(typeof(VAR_OR_TYPE), __kmo_gfp(GFP), kvzalloc)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(kvzalloc_objs)
#undef kvzalloc_objs
/**
 * kvzalloc_objs - Allocate a zeroed array of objects, maybe with vmalloc()
 * @VAR_OR_TYPE: the element type, or an expression of that type; never
 *		 evaluated
 * @COUNT: number of elements, of any integer type; evaluated once
 * @GFP: optional flags compatible with kvmalloc(), %GFP_KERNEL when left
 *	 out
 *
 * Return: as kvmalloc_objs(), the memory zeroed (as by kvcalloc()). Free
 * it with kvfree().
 */
#define kvzalloc_objs(VAR_OR_TYPE, COUNT, GFP...)			\
	__kmo_objs(typeof(VAR_OR_TYPE), COUNT, __kmo_gfp(GFP),		\
		   kvzalloc, kvcalloc)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(kvzalloc_flex)
#undef kvzalloc_flex
/**
 * kvzalloc_flex - Allocate a zeroed object ending in a flexible array,
 *		   maybe with vmalloc()
 * @VAR_OR_TYPE: the structure type, or an expression of that type; never
 *		 evaluated
 * @FAM: name of the flexible array member
 * @COUNT: number of @FAM elements, of any integer type; evaluated once
 * @GFP: optional flags compatible with kvmalloc(), %GFP_KERNEL when left
 *	 out
 *
 * Return: as kvmalloc_flex(), the memory zeroed before the counter is
 * set. Free it with kvfree().
 */
#define kvzalloc_flex(VAR_OR_TYPE, FAM, COUNT, GFP...)			\
	__kmo_flex(typeof(VAR_OR_TYPE), FAM, COUNT, __kmo_gfp(GFP), kvzalloc)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(devm_kmalloc_obj)
#undef devm_kmalloc_obj
/**
 * devm_kmalloc_obj - Allocate one device-managed object of a given type
 * @DEV: the device whose lifetime the memory has; evaluated once
 * @VAR_OR_TYPE: the type, or an expression of that type; never evaluated
 * @GFP: optional allocation flags, %GFP_KERNEL when left out
 *
 * As kmalloc_obj(), but device-managed: allocated as one element by
 * devm_kmalloc_array(), freed when @DEV is unbound, or by devm_kfree(). A
 * type aligned beyond ARCH_KMALLOC_MINALIGN does not build.
 *
 * Return: a typeof(@VAR_OR_TYPE) *, or NULL on failure.
 */
#define devm_kmalloc_obj(DEV, VAR_OR_TYPE, GFP...)			\
	__kmo_devm_objs(kmalloc, DEV, __kmo_gfp(GFP), typeof(VAR_OR_TYPE), 1)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(devm_kmalloc_objs)
#undef devm_kmalloc_objs
/**
 * devm_kmalloc_objs - Allocate a device-managed array of objects
 * @DEV: the device whose lifetime the memory has; evaluated once
 * @VAR_OR_TYPE: the element type, or an expression of that type; never
 *		 evaluated
 * @COUNT: number of elements, of any integer type; evaluated once
 * @GFP: optional allocation flags, %GFP_KERNEL when left out
 *
 * As kmalloc_objs(), with devm_kmalloc_array().
 *
 * Return: a typeof(@VAR_OR_TYPE) *, or NULL on failure.
 */
#define devm_kmalloc_objs(DEV, VAR_OR_TYPE, COUNT, GFP...)		\
	__kmo_devm_objs(kmalloc, DEV, __kmo_gfp(GFP), typeof(VAR_OR_TYPE), COUNT)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(devm_kmalloc_flex)
#undef devm_kmalloc_flex
/**
 * devm_kmalloc_flex - Allocate a device-managed object ending in a flexible
 *		       array
 * @DEV: the device whose lifetime the memory has; evaluated once
 * @VAR_OR_TYPE: the structure type, or an expression of that type; never
 *		 evaluated
 * @FAM: name of the flexible array member
 * @COUNT: number of @FAM elements, of any integer type; evaluated once
 * @GFP: optional allocation flags, %GFP_KERNEL when left out
 *
 * As kmalloc_flex(), with devm_kmalloc().
 *
 * Return: a typeof(@VAR_OR_TYPE) *, or NULL on failure.
 */
#define devm_kmalloc_flex(DEV, VAR_OR_TYPE, FAM, COUNT, GFP...)	\
	__kmo_devm_flex(kmalloc, DEV, __kmo_gfp(GFP), typeof(VAR_OR_TYPE), \
			FAM, COUNT)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(devm_kzalloc_obj)
#undef devm_kzalloc_obj
/**
 * devm_kzalloc_obj - Allocate one zeroed device-managed object
 * @DEV: the device whose lifetime the memory has; evaluated once
 * @VAR_OR_TYPE: the type, or an expression of that type; never evaluated
 * @GFP: optional allocation flags, %GFP_KERNEL when left out
 *
 * Return: as devm_kmalloc_obj(), the memory zeroed.
 */
#define devm_kzalloc_obj(DEV, VAR_OR_TYPE, GFP...)			\
	__kmo_devm_objs(kzalloc, DEV, __kmo_gfp(GFP), typeof(VAR_OR_TYPE), 1)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(devm_kzalloc_objs)
#undef devm_kzalloc_objs
/**
 * devm_kzalloc_objs - Allocate a zeroed device-managed array of objects
 * @DEV: the device whose lifetime the memory has; evaluated once
 * @VAR_OR_TYPE: the element type, or an expression of that type; never
 *		 evaluated
 * @COUNT: number of elements, of any integer type; evaluated once
 * @GFP: optional allocation flags, %GFP_KERNEL when left out
 *
 * Return: as devm_kmalloc_objs(), the memory zeroed (as by devm_kcalloc()).
 */
#define devm_kzalloc_objs(DEV, VAR_OR_TYPE, COUNT, GFP...)		\
	__kmo_devm_objs(kzalloc, DEV, __kmo_gfp(GFP), typeof(VAR_OR_TYPE), COUNT)
#endif

#if !defined(KMALLOC_OBJ_USE_KERNEL) || !defined(devm_kzalloc_flex)
#undef devm_kzalloc_flex
/**
 * devm_kzalloc_flex - Allocate a zeroed device-managed object ending in a
 *		       flexible array
 * @DEV: the device whose lifetime the memory has; evaluated once
 * @VAR_OR_TYPE: the structure type, or an expression of that type; never
 *		 evaluated
 * @FAM: name of the flexible array member
 * @COUNT: number of @FAM elements, of any integer type; evaluated once
 * @GFP: optional allocation flags, %GFP_KERNEL when left out
 *
 * Return: as devm_kmalloc_flex(), the memory zeroed before the counter is
 * set.
 */
#define devm_kzalloc_flex(DEV, VAR_OR_TYPE, FAM, COUNT, GFP...)	\
	__kmo_devm_flex(kzalloc, DEV, __kmo_gfp(GFP), typeof(VAR_OR_TYPE), \
			FAM, COUNT)
#endif

#endif /* KMALLOC_OBJ_COMPAT_H */
