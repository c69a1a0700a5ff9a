// SPDX-License-Identifier: GPL-2.0-only
/*
 * A devm_ allocation of a type aligned beyond ARCH_KMALLOC_MINALIGN, which
 * devres cannot align behind its header: the helpers must refuse it when
 * it is compiled. Twice ARCH_KMALLOC_MINALIGN is beyond it on every arch.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>

struct refuse_over {
	u8 b[8];
} __aligned(2 * ARCH_KMALLOC_MINALIGN);

void *refuse_devm(struct device *dev);
void *refuse_devm(struct device *dev)
{
	return devm_kzalloc_obj(dev, struct refuse_over);
}
EXPORT_SYMBOL(refuse_devm);

MODULE_LICENSE("GPL");
