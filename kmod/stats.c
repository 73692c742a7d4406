// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>

#include "stats.h"

#define COUNTER_KIND(id, name, kind, desc)				\
	[SYNGUARD_CNT_##id] = kind,
const u8 sg_counter_kind[__SYNGUARD_CNT_MAX] = {
	SYNGUARD_COUNTERS(COUNTER_KIND)
};

int sg_stats_init(struct sg_net *sn)
{
	sn->stats = alloc_percpu(struct sg_stats);
	if (!sn->stats)
		return -ENOMEM;
	sn->stats_base = kcalloc(__SYNGUARD_CNT_MAX, sizeof(u64), GFP_KERNEL);
	if (!sn->stats_base) {
		free_percpu(sn->stats);
		return -ENOMEM;
	}
	return 0;
}

void sg_stats_exit(struct sg_net *sn)
{
	kfree(sn->stats_base);
	free_percpu(sn->stats);
}

void sg_stats_read(struct sg_net *sn, u64 *out, bool reset)
{
	int cpu, i;

	lockdep_assert_held(&sn->lock);
	memset(out, 0, __SYNGUARD_CNT_MAX * sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct sg_stats *s = per_cpu_ptr(sn->stats, cpu);

		for (i = 0; i < __SYNGUARD_CNT_MAX; i++)
			out[i] += READ_ONCE(s->c[i]);
	}
	/* Counters are reported relative to the last reset. */
	for (i = 0; i < __SYNGUARD_CNT_MAX; i++) {
		u64 sum = out[i];

		if (sg_counter_kind[i] != SYNGUARD_CK_COUNTER)
			continue;
		out[i] = sum - sn->stats_base[i];
		if (reset)
			sn->stats_base[i] = sum;
	}
	out[SYNGUARD_CNT_CONNS] = atomic_read(&sn->conns.count);
}
