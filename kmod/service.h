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
struct sg_policy;
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

void sg_services_exit(struct sg_net *sn);

/*
 * Resolve the policy for an inbound packet to @daddr:@dport; with @daddr
 * NULL, or without a matching service, the namespace's: only a global
 * mode=enforce protects it.
 */
void sg_policy_get(struct sg_net *sn, const struct sg_config *cfg,
		   const struct in6_addr *daddr, u16 dport,
		   struct sg_policy *pol);

/* Caller holds sn->lock. */
int sg_service_add(struct sg_net *sn, const struct sg_service *svc,
		   struct netlink_ext_ack *extack);
int sg_service_del(struct sg_net *sn, const struct sg_service *svc,
		   struct netlink_ext_ack *extack);

#endif /* _SYNGUARD_SERVICE_H */
