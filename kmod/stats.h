/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Namespace-wide counters: per-CPU, never locked on the packet path,
 * summed on read. Gauges are kept the same way as signed deltas whose
 * sum is the current value.
 */
#ifndef _SYNGUARD_STATS_H
#define _SYNGUARD_STATS_H

#include <linux/netfilter.h>
#include <linux/percpu.h>

#include "uapi/linux/synguard.h"
#include "netns.h"
#include "verdict.h"

struct sg_stats {
	u64 c[__SYNGUARD_CNT_MAX];
};

extern const u8 sg_counter_kind[__SYNGUARD_CNT_MAX];

static inline void sg_count(struct sg_net *sn, enum synguard_counter id)
{
	this_cpu_inc(sn->stats->c[id]);
}

static inline void sg_gauge_add(struct sg_net *sn, enum synguard_counter id,
				int delta)
{
	this_cpu_add(sn->stats->c[id], (u64)(s64)delta);
}

/* Count a drop under its reason and in dropped; returns NF_DROP. */
static inline unsigned int sg_drop(struct sg_net *sn,
				   enum synguard_counter reason)
{
	sg_count(sn, reason);
	sg_count(sn, SYNGUARD_CNT_DROPPED);
	return NF_DROP;
}

/*
 * Count what a verdict names and return the netfilter verdict: NF_DROP
 * for SG_ACT_DROP, NF_ACCEPT for anything else, which the caller acts on.
 */
static inline unsigned int sg_apply(struct sg_net *sn,
				    const struct sg_verdict *v)
{
	unsigned int i;

	for (i = 0; i < SG_VERDICT_COUNTS; i++)
		if (v->count[i] != SG_NO_COUNTER)
			sg_count(sn, v->count[i]);
	return v->act == SG_ACT_DROP ? NF_DROP : NF_ACCEPT;
}

int sg_stats_init(struct sg_net *sn);
void sg_stats_exit(struct sg_net *sn);

/*
 * Fill @out with every counter. With @reset, counters (not gauges) are
 * zeroed in the same step: each increment is reported exactly once,
 * either now or by a later read. Caller holds sn->lock.
 */
void sg_stats_read(struct sg_net *sn, u64 *out, bool reset);

#endif /* _SYNGUARD_STATS_H */
