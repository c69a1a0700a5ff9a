// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pairs of functions, one using the kmalloc_obj() family and one the
 * hand-written call it replaces, for scripts/codegen.sh to disassemble and
 * compare. Not a test module: it is only compiled.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "pair.h"

struct cg_obj {
	u64 a;
	u32 b;
};

CG_PAIR(kmalloc_obj, kmalloc_obj(struct cg_obj),
	kmalloc(sizeof(struct cg_obj), GFP_KERNEL), void);
CG_PAIR(kzalloc_obj, kzalloc_obj(struct cg_obj, GFP_ATOMIC),
	kzalloc(sizeof(struct cg_obj), GFP_ATOMIC), void);
CG_PAIR(kvmalloc_obj, kvmalloc_obj(struct cg_obj),
	kvmalloc(sizeof(struct cg_obj), GFP_KERNEL), void);
CG_PAIR(kvzalloc_obj, kvzalloc_obj(struct cg_obj),
	kvzalloc(sizeof(struct cg_obj), GFP_KERNEL), void);
CG_PAIR(kmalloc_objs, kmalloc_objs(struct cg_obj, n),
	kmalloc_array(n, sizeof(struct cg_obj), GFP_KERNEL), size_t n);
CG_PAIR(kmalloc_objs_int, kmalloc_objs(struct cg_obj, n, GFP_NOWAIT),
	kmalloc_array(n, sizeof(struct cg_obj), GFP_NOWAIT), int n);
CG_PAIR(kmalloc_objs_const, kmalloc_objs(struct cg_obj, 10),
	kmalloc_array(10, sizeof(struct cg_obj), GFP_KERNEL), void);
CG_PAIR(kzalloc_objs, kzalloc_objs(struct cg_obj, n),
	kcalloc(n, sizeof(struct cg_obj), GFP_KERNEL), size_t n);
CG_PAIR(kvmalloc_objs, kvmalloc_objs(struct cg_obj, n),
	kvmalloc_array(n, sizeof(struct cg_obj), GFP_KERNEL), size_t n);
CG_PAIR(kvzalloc_objs, kvzalloc_objs(struct cg_obj, n),
	kvcalloc(n, sizeof(struct cg_obj), GFP_KERNEL), size_t n);

/*
 * With a compiler that finds __counted_by() counters, a _flex helper whose
 * count is constant, or of a type the counter can hold, must cost no more
 * than the hand-written allocation plus the counter store: the counter
 * check and the saturation check fold away.
 */
#if (!defined(__clang__) && __GNUC__ >= 15) || \
	(defined(__clang__) && (__clang_major__ > 22 || \
				(__clang_major__ == 22 && __clang_minor__ >= 1)))
struct cg_flex {
	u32 tag;
	u16 count;
	u32 items[] __counted_by(count);
};

#define CG_FLEX_HAND(n)							\
	({								\
		struct cg_flex *__p = kmalloc(sizeof(struct cg_flex) +	\
					      (size_t)(n) * sizeof(u32), \
					      GFP_KERNEL);		\
		if (__p)						\
			__p->count = (n);				\
		__p;							\
	})

CG_PAIR(kmalloc_flex_u8, kmalloc_flex(struct cg_flex, items, n),
	CG_FLEX_HAND(n), u8 n);
CG_PAIR(kmalloc_flex_const, kmalloc_flex(struct cg_flex, items, 100),
	CG_FLEX_HAND(100), void);
/*
 * A run-time count wider than the counter: the helper stores the counter's
 * maximum where the hand-written store truncates. Measured, not asserted.
 */
CG_PAIR(kmalloc_flex_wide, kmalloc_flex(struct cg_flex, items, n),
	CG_FLEX_HAND(n), u32 n);
#endif

MODULE_LICENSE("GPL");
