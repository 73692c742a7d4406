/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Knobs. Their names, ranges and defaults come from SYNGUARD_KNOBS in
 * the uapi header; this is only the storage. The packet path reads a
 * configuration under RCU; writers replace it whole, so a multi-knob set
 * is seen all at once or not at all.
 */
#ifndef _SYNGUARD_CONFIG_H
#define _SYNGUARD_CONFIG_H

#include <linux/rcupdate.h>
#include <linux/types.h>

#include "uapi/linux/synguard.h"

struct sg_net;

struct sg_config {
	u32 v[__SYNGUARD_KNOB_MAX];
	struct rcu_head rcu;
};

struct sg_knob_desc {
	const char *name;
	u32 min, max, def;
};

extern const struct sg_knob_desc sg_knobs[__SYNGUARD_KNOB_MAX];

int sg_config_init(struct sg_net *sn);
void sg_config_exit(struct sg_net *sn);

/*
 * Replace the knobs whose bit is set in @mask with the values in @v.
 * Values must already be range-checked. Caller holds sn->lock.
 */
int sg_config_update(struct sg_net *sn, const u32 *v, u64 mask);

/* Seconds knob as jiffies. */
static inline unsigned long sg_cfg_jiffies(const struct sg_config *cfg,
					   enum synguard_knob k)
{
	return (unsigned long)cfg->v[k] * HZ;
}

#endif /* _SYNGUARD_CONFIG_H */
