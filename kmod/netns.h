/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything synguard keeps per network namespace. Knobs, counters and
 * tables are all per namespace, so containers each get their own.
 */
#ifndef _SYNGUARD_NETNS_H
#define _SYNGUARD_NETNS_H

#include <linux/mutex.h>
#include <linux/siphash.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "config.h"
#include "table.h"
#include "listener.h"
#include "secpath.h"

struct sg_stats;
struct sg_services;
struct sg_secrets;
struct sg_ratelimit;

struct mem_cgroup;

struct sg_net {
	struct net *net;
	/* What entries are charged to: the namespace maker's; NULL for init. */
	struct mem_cgroup *memcg;
	struct sg_config __rcu *cfg;
	struct sg_stats __percpu *stats;
	/* Serialises configuration writes and counter resets. */
	struct mutex lock;
	u64 *stats_base;
	struct sg_conntable conns;
	/* IPsec state kept for proxied connections (secpath.h). */
	struct sg_sptable sp;
	struct sg_services __rcu *services;
	u32 services_gen;		/* bumped on every change, for dumps */
	struct sg_secrets __rcu *secrets;
	struct sg_ratelimit __percpu *synack_rl;
	/* When mode last became enforce, for pickup_grace. */
	unsigned long enforce_since;
	unsigned long next_rotate;	/* jiffies */
	/* The operator's cookie secret, under lock; epoch it was used at. */
	siphash_key_t shared;
	bool has_shared;
	u64 epoch;
	struct sg_listeners listeners;
	struct delayed_work reaper;
	unsigned int reap_cursor;
	/* SG_NET_* bits. */
	unsigned long flags;
	/* Until when cookies sent for listeners without a record are good. */
	unsigned long cookie_until;
	/* Lockless event rate limit: window start and events sent in it. */
	unsigned long ev_window;
	atomic_t ev_sent;
};

/* The table is full; set until the reaper sees room again. */
#define SG_NET_TABLE_FULL	0

extern unsigned int sg_net_id;

static inline struct sg_net *sg_pernet(const struct net *net)
{
	return net_generic(net, sg_net_id);
}

#endif /* _SYNGUARD_NETNS_H */
