/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CG_PAIR(name, macro_call, hand_call, args...): two exported functions of
 * the same arguments, cg_NAME_macro returning macro_call (a helper of the
 * family) and cg_NAME_hand returning hand_call (the call it replaces), for
 * scripts/codegen.sh to disassemble and compare.
 */
#ifndef KMO_CODEGEN_PAIR_H
#define KMO_CODEGEN_PAIR_H

#include <linux/export.h>

#define CG_PAIR(name, macro_call, hand_call, args...)			\
	noinline void *cg_##name##_macro(args) { return macro_call; }	\
	noinline void *cg_##name##_hand(args) { return hand_call; }	\
	EXPORT_SYMBOL(cg_##name##_macro);				\
	EXPORT_SYMBOL(cg_##name##_hand)

#endif
