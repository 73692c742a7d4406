// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>

#include "config.h"
#include "netns.h"

#define KNOB_DESC(id, _name, type, _min, _max, _def, desc)		\
	[SYNGUARD_KNOB_##id] = {					\
		.name = #_name, .min = _min, .max = _max, .def = _def,	\
	},
const struct sg_knob_desc sg_knobs[__SYNGUARD_KNOB_MAX] = {
	SYNGUARD_KNOBS(KNOB_DESC)
};

int sg_config_init(struct sg_net *sn)
{
	struct sg_config *cfg;
	int i;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++)
		cfg->v[i] = sg_knobs[i].def;
	RCU_INIT_POINTER(sn->cfg, cfg);
	return 0;
}

void sg_config_exit(struct sg_net *sn)
{
	kfree(rcu_dereference_protected(sn->cfg, true));
}

int sg_config_update(struct sg_net *sn, const u32 *v, u64 mask)
{
	struct sg_config *old, *cfg;
	int i;

	old = rcu_dereference_protected(sn->cfg, lockdep_is_held(&sn->lock));
	cfg = kmemdup(old, sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++)
		if (mask & BIT_ULL(i))
			cfg->v[i] = v[i];
	/* pickup_grace runs from the moment enforcing begins. */
	if (cfg->v[SYNGUARD_KNOB_MODE] == SYNGUARD_MODE_ENFORCE &&
	    old->v[SYNGUARD_KNOB_MODE] != SYNGUARD_MODE_ENFORCE)
		WRITE_ONCE(sn->enforce_since, jiffies);
	rcu_assign_pointer(sn->cfg, cfg);
	kfree_rcu(old, rcu);
	return 0;
}
