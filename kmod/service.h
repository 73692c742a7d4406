/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protected services: destinations whose inbound TCP synguard enforces,
 * each with knob overrides. The set is small and read on every inbound
 * packet, so it is an array replaced whole under RCU.
 */
#ifndef _SYNGUARD_SERVICE_H
#define _SYNGUARD_SERVICE_H

#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include "uapi/linux/synguard.h"

struct sg_net;
struct sg_tcp;
struct sg_config;
struct netlink_ext_ack;

struct sg_service {
	struct in6_addr addr;
	u8 prefix;
	u16 port_min, port_max;
	u64 mask;			/* knobs this service overrides */
	u32 v[__SYNGUARD_KNOB_MAX];	/* their values */
	unsigned long added;		/* jiffies, for pickup_grace */
};

struct sg_services {
	unsigned int n;
	struct rcu_head rcu;
	struct sg_service s[];
};

/* The knobs that decide what happens to a packet, resolved once. */
struct sg_policy {
	u32 mode, cookies, syn_backlog, src_backlog, mss, wscale;
	unsigned long grace_end;	/* jiffies: pick-up allowed until */
	bool protected;			/* a service, or global enforce */
};

void sg_services_exit(struct sg_net *sn);

/*
 * Resolve the policy for an inbound packet to @daddr:@dport. Without a
 * matching service, only a global mode=enforce protects it.
 */
void sg_policy_get(struct sg_net *sn, const struct sg_config *cfg,
		   const struct in6_addr *daddr, u16 dport,
		   struct sg_policy *pol);

/*
 * Count a packet that breaks a rule under @reason, and say whether to
 * drop it: only when enforcing. A service in mode observe counts what it
 * would have dropped instead.
 */
bool sg_refuse(struct sg_net *sn, const struct sg_policy *pol,
	       enum synguard_counter reason);

/*
 * The verdict on a tracked segment, given the SG_STEP_* flags its step
 * returned: one outside the window is counted (RSTs apart), and dropped
 * if it is bound for a protected service in mode enforce.
 */
unsigned int sg_window_verdict(struct sg_net *sn, const struct sg_policy *pol,
			       unsigned int steps, const struct sg_tcp *t);

/* Caller holds sn->lock. */
int sg_service_add(struct sg_net *sn, const struct sg_service *svc,
		   struct netlink_ext_ack *extack);
int sg_service_del(struct sg_net *sn, const struct sg_service *svc,
		   struct netlink_ext_ack *extack);

#endif /* _SYNGUARD_SERVICE_H */
