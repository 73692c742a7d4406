// SPDX-License-Identifier: GPL-2.0
#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "config.h"
#include "netns.h"
#include "service.h"
#include "state.h"
#include "stats.h"
#include "verdict.h"

/*
 * Every inbound packet walks the services: a bound keeps that walk short
 * (a prefix or a port range covers many destinations in one service).
 */
#define SG_SERVICES_MAX	256

#define SERVICE_KNOB(id) SYNGUARD_KNOB_##id,
static const u8 service_knobs[] = { SYNGUARD_SERVICE_KNOBS(SERVICE_KNOB) };

static u64 service_knob_mask(void)
{
	u64 mask = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(service_knobs); i++)
		mask |= BIT_ULL(service_knobs[i]);
	return mask;
}

static bool prefix_match(const struct in6_addr *addr,
			 const struct in6_addr *net, u8 prefix)
{
	return ipv6_prefix_equal(addr, net, prefix);
}

static const struct sg_service *match(const struct sg_services *ss,
				      const struct in6_addr *daddr, u16 dport)
{
	unsigned int i;

	for (i = 0; i < ss->n; i++) {
		const struct sg_service *s = &ss->s[i];

		if (dport >= s->port_min && dport <= s->port_max &&
		    prefix_match(daddr, &s->addr, s->prefix))
			return s;
	}
	return NULL;
}

static u32 knob(const struct sg_config *cfg, const struct sg_service *s,
		enum synguard_knob k)
{
	return s && (s->mask & BIT_ULL(k)) ? s->v[k] : cfg->v[k];
}

void sg_policy_get(struct sg_net *sn, const struct sg_config *cfg,
		   const struct in6_addr *daddr, u16 dport,
		   struct sg_policy *pol)
{
	struct sg_services *ss = daddr ? rcu_dereference(sn->services) : NULL;
	const struct sg_service *s = ss ? match(ss, daddr, dport) : NULL;
	unsigned long grace_end;

	pol->mode = cfg->v[SYNGUARD_KNOB_MODE];
	pol->protected = pol->mode == SYNGUARD_MODE_ENFORCE;
	if (s) {
		/* A service enforces unless it says otherwise. */
		pol->mode = s->mask & BIT_ULL(SYNGUARD_KNOB_MODE) ?
			    s->v[SYNGUARD_KNOB_MODE] : SYNGUARD_MODE_ENFORCE;
		pol->protected = pol->mode != SYNGUARD_MODE_OFF;
		grace_end = s->added +
			(unsigned long)knob(cfg, s, SYNGUARD_KNOB_PICKUP_GRACE) * HZ;
	} else {
		grace_end = READ_ONCE(sn->enforce_since) +
			(unsigned long)cfg->v[SYNGUARD_KNOB_PICKUP_GRACE] * HZ;
	}
	pol->in_grace = time_before(jiffies, grace_end);
	pol->cookies = knob(cfg, s, SYNGUARD_KNOB_COOKIES);
	pol->syn_backlog = knob(cfg, s, SYNGUARD_KNOB_SYN_BACKLOG);
	pol->src_backlog = knob(cfg, s, SYNGUARD_KNOB_SRC_BACKLOG);
	pol->mss = knob(cfg, s, SYNGUARD_KNOB_MSS);
	pol->wscale = knob(cfg, s, SYNGUARD_KNOB_WSCALE);
	pol->sack = knob(cfg, s, SYNGUARD_KNOB_SACK);
	pol->timestamps = knob(cfg, s, SYNGUARD_KNOB_TIMESTAMPS);
	pol->rfc1337 = cfg->v[SYNGUARD_KNOB_RFC1337];
	pol->rfc6191 = cfg->v[SYNGUARD_KNOB_RFC6191];
}

void sg_services_exit(struct sg_net *sn)
{
	kfree(rcu_dereference_protected(sn->services, true));
}

static bool same(const struct sg_service *a, const struct sg_service *b)
{
	return a->prefix == b->prefix && a->port_min == b->port_min &&
	       a->port_max == b->port_max && ipv6_addr_equal(&a->addr, &b->addr);
}

static bool overlap(const struct sg_service *a, const struct sg_service *b)
{
	u8 prefix = min(a->prefix, b->prefix);

	return a->port_min <= b->port_max && b->port_min <= a->port_max &&
	       ipv6_prefix_equal(&a->addr, &b->addr, prefix);
}

/* A copy of @old with room for @extra more entries (or one fewer). */
static struct sg_services *copy(const struct sg_services *old, int extra)
{
	unsigned int n = (old ? old->n : 0) + extra;
	struct sg_services *ss;

	ss = kzalloc(struct_size(ss, s, n), GFP_KERNEL);
	if (ss && old)
		memcpy(ss->s, old->s, min(old->n, n) * sizeof(ss->s[0]));
	if (ss)
		ss->n = n;
	return ss;
}

int sg_service_add(struct sg_net *sn, const struct sg_service *svc,
		   struct netlink_ext_ack *extack)
{
	struct sg_services *old, *ss;
	struct in6_addr masked;
	unsigned int i;

	old = rcu_dereference_protected(sn->services,
					lockdep_is_held(&sn->lock));
	ipv6_addr_prefix(&masked, &svc->addr, svc->prefix);
	if (!ipv6_addr_equal(&masked, &svc->addr)) {
		NL_SET_ERR_MSG(extack, "host bits are set in the service address");
		return -EINVAL;
	}
	if (svc->port_min > svc->port_max) {
		NL_SET_ERR_MSG(extack, "port range start is greater than its end");
		return -EINVAL;
	}
	if (svc->mask & ~service_knob_mask()) {
		NL_SET_ERR_MSG(extack, "a knob that cannot be set per service");
		return -EINVAL;
	}
	for (i = 0; old && i < old->n; i++) {
		if (same(&old->s[i], svc)) {
			NL_SET_ERR_MSG(extack, "the service already exists");
			return -EEXIST;
		}
		if (overlap(&old->s[i], svc)) {
			NL_SET_ERR_MSG(extack, "the service overlaps an existing one");
			return -EEXIST;
		}
	}
	if (old && old->n >= SG_SERVICES_MAX) {
		NL_SET_ERR_MSG(extack, "too many services");
		return -ENOSPC;
	}
	ss = copy(old, 1);
	if (!ss)
		return -ENOMEM;
	ss->s[ss->n - 1] = *svc;
	ss->s[ss->n - 1].added = jiffies;
	rcu_assign_pointer(sn->services, ss);
	WRITE_ONCE(sn->services_gen, sn->services_gen + 1);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

int sg_service_del(struct sg_net *sn, const struct sg_service *svc,
		   struct netlink_ext_ack *extack)
{
	struct sg_services *old, *ss;
	unsigned int i;

	old = rcu_dereference_protected(sn->services,
					lockdep_is_held(&sn->lock));
	for (i = 0; old && i < old->n; i++)
		if (same(&old->s[i], svc))
			break;
	if (!old || i == old->n) {
		NL_SET_ERR_MSG(extack, "no such service");
		return -ENOENT;
	}
	ss = copy(old, -1);
	if (!ss)
		return -ENOMEM;
	/* Keep the others in the order they were added. */
	memcpy(&ss->s[i], &old->s[i + 1], (old->n - i - 1) * sizeof(ss->s[0]));
	rcu_assign_pointer(sn->services, ss);
	WRITE_ONCE(sn->services_gen, sn->services_gen + 1);
	kfree_rcu(old, rcu);
	return 0;
}
