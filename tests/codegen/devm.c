// SPDX-License-Identifier: GPL-2.0-only
/*
 * The devm_ helpers against the hand-written devres calls they replace, as
 * in codegen.c. A file of its own: the unpatched trees have no devm_
 * helpers, so the build against their headers leaves it out (Kbuild).
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "pair.h"

struct cg_dobj {
	u64 a;
	u32 b;
};

CG_PAIR(devm_kmalloc_obj, devm_kmalloc_obj(dev, struct cg_dobj),
	devm_kmalloc(dev, sizeof(struct cg_dobj), GFP_KERNEL), struct device *dev);
CG_PAIR(devm_kzalloc_obj, devm_kzalloc_obj(dev, struct cg_dobj, GFP_ATOMIC),
	devm_kzalloc(dev, sizeof(struct cg_dobj), GFP_ATOMIC), struct device *dev);
CG_PAIR(devm_kmalloc_objs, devm_kmalloc_objs(dev, struct cg_dobj, n),
	devm_kmalloc_array(dev, n, sizeof(struct cg_dobj), GFP_KERNEL),
	struct device *dev, size_t n);
CG_PAIR(devm_kmalloc_objs_int, devm_kmalloc_objs(dev, struct cg_dobj, n, GFP_NOWAIT),
	devm_kmalloc_array(dev, n, sizeof(struct cg_dobj), GFP_NOWAIT),
	struct device *dev, int n);
CG_PAIR(devm_kmalloc_objs_const, devm_kmalloc_objs(dev, struct cg_dobj, 10),
	devm_kmalloc_array(dev, 10, sizeof(struct cg_dobj), GFP_KERNEL),
	struct device *dev);
CG_PAIR(devm_kzalloc_objs, devm_kzalloc_objs(dev, struct cg_dobj, n),
	devm_kcalloc(dev, n, sizeof(struct cg_dobj), GFP_KERNEL),
	struct device *dev, size_t n);

/* As in codegen.c: no more than the allocation plus the counter store. */
#if (!defined(__clang__) && __GNUC__ >= 15) || \
	(defined(__clang__) && (__clang_major__ > 22 || \
				(__clang_major__ == 22 && __clang_minor__ >= 1)))
struct cg_dflex {
	u32 tag;
	u16 count;
	u32 items[] __counted_by(count);
};

#define CG_DFLEX_HAND(dev, n)						\
	({								\
		struct cg_dflex *__p = devm_kzalloc(dev,		\
						    sizeof(struct cg_dflex) + \
						    (size_t)(n) * sizeof(u32), \
						    GFP_KERNEL);	\
		if (__p)						\
			__p->count = (n);				\
		__p;							\
	})

CG_PAIR(devm_kzalloc_flex_u8, devm_kzalloc_flex(dev, struct cg_dflex, items, n),
	CG_DFLEX_HAND(dev, n), struct device *dev, u8 n);
CG_PAIR(devm_kzalloc_flex_const, devm_kzalloc_flex(dev, struct cg_dflex, items, 100),
	CG_DFLEX_HAND(dev, 100), struct device *dev);
#endif
