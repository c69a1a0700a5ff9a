// SPDX-License-Identifier: GPL-2.0-only
/*
 * One function per member of the kmalloc_obj() family, for
 * scripts/alloc-token.sh to compile with -Rpass=alloc-token, which makes
 * Clang report each allocation whose type it could not infer for
 * CONFIG_KMALLOC_PARTITION_TYPED. Two untyped kmalloc() calls are the
 * control: they must be reported, or the measurement measured nothing.
 * Not a test module: it is only compiled.
 */
#include <linux/module.h>
#include <linux/slab.h>

struct at_obj {
	void *ptr;
	u32 n;
};

struct at_flex {
	void *ptr;
	u16 count;
	u32 items[] __counted_by(count);
};

#define AT_FN(name, call, args...)					\
	noinline void *at_##name(args) { return call; }			\
	EXPORT_SYMBOL(at_##name)

AT_FN(kmalloc_obj, kmalloc_obj(struct at_obj), void);
AT_FN(kzalloc_obj, kzalloc_obj(struct at_obj), void);
AT_FN(kvmalloc_obj, kvmalloc_obj(struct at_obj), void);
AT_FN(kvzalloc_obj, kvzalloc_obj(struct at_obj), void);
AT_FN(kmalloc_objs, kmalloc_objs(struct at_obj, n), size_t n);
AT_FN(kzalloc_objs, kzalloc_objs(struct at_obj, n), size_t n);
AT_FN(kvmalloc_objs, kvmalloc_objs(struct at_obj, n), size_t n);
AT_FN(kvzalloc_objs, kvzalloc_objs(struct at_obj, n), size_t n);
AT_FN(kmalloc_flex, kmalloc_flex(struct at_flex, items, n), u8 n);
AT_FN(kzalloc_flex, kzalloc_flex(struct at_flex, items, n), u8 n);
AT_FN(kvmalloc_flex, kvmalloc_flex(struct at_flex, items, n), u8 n);
AT_FN(kvzalloc_flex, kvzalloc_flex(struct at_flex, items, n), u8 n);
AT_FN(control_kmalloc, kmalloc(n, GFP_KERNEL), size_t n);
AT_FN(control_kvmalloc, kvmalloc(n, GFP_KERNEL), size_t n);

MODULE_LICENSE("GPL");
