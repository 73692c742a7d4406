// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family. The contract, with every command and
 * attribute, is in uapi/linux/synguard.h.
 */
#include <linux/capability.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink.h"
#include "netns.h"
#include "secrets.h"
#include "service.h"
#include "stats.h"

static struct genl_family sg_family;

/* Set while the family is registered, so hooks may multicast. */
static bool sg_genl_ready;

#define KNOB_RANGE(id, name, type, _min, _max, def, desc)		\
	[SYNGUARD_KNOB_##id] = { .min = _min, .max = _max },
/* Not const: the 6.1 policy holds a non-const pointer. */
static struct netlink_range_validation knob_range[] = {
	SYNGUARD_KNOBS(KNOB_RANGE)
};

#define KNOB_POLICY(id, name, type, min, max, def, desc)		\
	[SYNGUARD_KNOB_ATTR(SYNGUARD_KNOB_##id)] =			\
		NLA_POLICY_FULL_RANGE(NLA_U32, &knob_range[SYNGUARD_KNOB_##id]),
static const struct nla_policy knob_policy[__SYNGUARD_KNOB_MAX + 1] = {
	SYNGUARD_KNOBS(KNOB_POLICY)
};

static const struct nla_policy service_policy[SYNGUARD_S_A_MAX + 1] = {
	[SYNGUARD_S_A_ADDR] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[SYNGUARD_S_A_PREFIX] = NLA_POLICY_MAX(NLA_U8, 128),
	[SYNGUARD_S_A_PORT_MIN] = NLA_POLICY_MIN(NLA_U16, 1),
	[SYNGUARD_S_A_PORT_MAX] = NLA_POLICY_MIN(NLA_U16, 1),
	[SYNGUARD_S_A_CONFIG] = NLA_POLICY_NESTED(knob_policy),
};

static const struct nla_policy sg_policy[SYNGUARD_A_MAX + 1] = {
	[SYNGUARD_A_CONFIG] = NLA_POLICY_NESTED(knob_policy),
	[SYNGUARD_A_SERVICE] = NLA_POLICY_NESTED(service_policy),
	[SYNGUARD_A_COOKIE_SECRET] = { .type = NLA_BINARY,
				       .len = sizeof(siphash_key_t) },
	[SYNGUARD_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, __SYNGUARD_F_ALL),
	[SYNGUARD_A_FILTER_STATE] =
		NLA_POLICY_MAX(NLA_U8, __SYNGUARD_STATE_MAX - 1),
	[SYNGUARD_A_FILTER_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

/*
 * What a namespace whose user namespace is not the initial one may make
 * synguard hold: its entries are charged to its maker's memory cgroup,
 * and this bounds them besides.
 */
static unsigned int sg_userns_max_conns __read_mostly = 65536;
module_param_named(userns_max_conns, sg_userns_max_conns, uint, 0644);
MODULE_PARM_DESC(userns_max_conns,
		 "most max_conns a network namespace owned by a non-initial user namespace may set");

static struct sg_net *info_sn(struct genl_info *info)
{
	return sg_pernet(genl_info_net(info));
}

static int put_config(struct sk_buff *skb, const struct sg_config *cfg)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, SYNGUARD_A_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++)
		if (nla_put_u32(skb, SYNGUARD_KNOB_ATTR(i), cfg->v[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct sg_net *sn = info_sn(info);
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sg_family, 0,
				SYNGUARD_CMD_GET_CONFIG);
	err = -EMSGSIZE;
	if (!hdr || nla_put_u32(msg, SYNGUARD_A_VERSION, SYNGUARD_GENL_VERSION))
		goto err_free;
	rcu_read_lock();
	err = put_config(msg, rcu_dereference(sn->cfg));
	rcu_read_unlock();
	if (!err && READ_ONCE(sn->has_shared))
		err = nla_put_flag(msg, SYNGUARD_A_COOKIE_SHARED);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

/* Knob values from a nest the policy has already range-checked. */
static int parse_knobs(const struct nlattr *nest, u32 *v, u64 *mask,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[__SYNGUARD_KNOB_MAX + 1];
	int err, i;

	err = nla_parse_nested(tb, __SYNGUARD_KNOB_MAX, nest, knob_policy,
			       extack);
	if (err)
		return err;
	*mask = 0;
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++) {
		if (!tb[SYNGUARD_KNOB_ATTR(i)])
			continue;
		v[i] = nla_get_u32(tb[SYNGUARD_KNOB_ATTR(i)]);
		*mask |= BIT_ULL(i);
	}
	return 0;
}

static int set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *secret = info->attrs[SYNGUARD_A_COOKIE_SECRET];
	struct sg_net *sn = info_sn(info);
	u32 v[__SYNGUARD_KNOB_MAX];
	siphash_key_t key;
	u64 mask = 0;
	int err;

	if (!info->attrs[SYNGUARD_A_CONFIG] && !secret) {
		NL_SET_ERR_MSG(info->extack,
			       "SYNGUARD_A_CONFIG or SYNGUARD_A_COOKIE_SECRET is required");
		return -EINVAL;
	}
	if (secret && nla_len(secret) && nla_len(secret) != sizeof(key)) {
		NL_SET_ERR_MSG_ATTR(info->extack, secret,
				    "a cookie secret has 16 bytes");
		return -EINVAL;
	}
	if (info->attrs[SYNGUARD_A_CONFIG]) {
		err = parse_knobs(info->attrs[SYNGUARD_A_CONFIG], v, &mask,
				  info->extack);
		if (err)
			return err;
		if (!mask) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[SYNGUARD_A_CONFIG],
					    "no knob to set");
			return -EINVAL;
		}
	}
	if ((mask & BIT_ULL(SYNGUARD_KNOB_MAX_CONNS)) &&
	    genl_info_net(info)->user_ns != &init_user_ns &&
	    v[SYNGUARD_KNOB_MAX_CONNS] > sg_userns_max_conns) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SYNGUARD_A_CONFIG],
				    "max_conns above the module's userns_max_conns needs the initial user namespace");
		return -EPERM;
	}
	if (secret && nla_len(secret))
		nla_memcpy(&key, secret, sizeof(key));
	mutex_lock(&sn->lock);
	err = mask ? sg_config_update(sn, v, mask) : 0;
	if (!err && secret)
		err = sg_secrets_share(sn, nla_len(secret) ? &key : NULL);
	mutex_unlock(&sn->lock);
	memzero_explicit(&key, sizeof(key));
	if (!err)
		sg_event(sn, SYNGUARD_EVENT_CONFIG, NULL);
	return err;
}

static int get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sg_net *sn = info_sn(info);
	u64 val[__SYNGUARD_CNT_MAX];
	struct sk_buff *msg;
	struct nlattr *nest;
	bool reset = false;
	void *hdr;
	int i;

	if (info->attrs[SYNGUARD_A_FLAGS])
		reset = nla_get_u32(info->attrs[SYNGUARD_A_FLAGS]) &
			SYNGUARD_F_RESET;
	if (reset && !netlink_ns_capable(skb, genl_info_net(info)->user_ns,
					 CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SYNGUARD_A_FLAGS],
				    "resetting counters needs CAP_NET_ADMIN");
		return -EPERM;
	}

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &sg_family, 0,
				SYNGUARD_CMD_GET_STATS);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, SYNGUARD_A_STATS);
	if (!nest)
		goto err_free;
	mutex_lock(&sn->lock);
	sg_stats_read(sn, val, reset);
	mutex_unlock(&sn->lock);
	/* Type 0 pads inside the nest; clients skip it. */
	for (i = 0; i < __SYNGUARD_CNT_MAX; i++)
		if (nla_put_u64_64bit(msg, SYNGUARD_CNT_ATTR(i), val[i], 0))
			goto err_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int put_listener(struct sk_buff *skb, const struct sg_listener *l)
{
	struct nlattr *nest, *counts;
	int i;

	nest = nla_nest_start(skb, SYNGUARD_A_LISTENER);
	if (!nest ||
	    nla_put(skb, SYNGUARD_L_A_ADDR, sizeof(l->addr), &l->addr) ||
	    nla_put_u16(skb, SYNGUARD_L_A_PORT, l->port))
		return -EMSGSIZE;
	counts = nla_nest_start(skb, SYNGUARD_L_A_COUNTS);
	if (!counts)
		return -EMSGSIZE;
	for (i = 0; i < __SYNGUARD_LC_MAX; i++)
		if (!sg_lc_sampled(i) &&
		    nla_put_u64_64bit(skb, SYNGUARD_LC_ATTR(i),
				      sg_lc_read(l, i), 0))
			return -EMSGSIZE;
	/* A dump's skb belongs to the requester's socket; an event's not. */
	if (skb->sk && sg_listener_put_sock(skb, sock_net(skb->sk), l))
		return -EMSGSIZE;
	nla_nest_end(skb, counts);
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * One message of a dump: its header, the consistency mark, and a body
 * put by @put. False when it did not fit, with nothing of it left.
 */
static bool dump_one(struct sk_buff *skb, struct netlink_callback *cb,
		     u8 cmd, int (*put)(struct sk_buff *skb, const void *obj),
		     const void *obj)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &sg_family, NLM_F_MULTI, cmd);
	if (!hdr)
		return false;
	genl_dump_check_consistent(cb, hdr);
	if (put(skb, obj)) {
		genlmsg_cancel(skb, hdr);
		return false;
	}
	genlmsg_end(skb, hdr);
	return true;
}

/*
 * Dumps of a hash table resume from (bucket, position in bucket) kept in
 * cb->args. A table that does not change is listed exactly once; one
 * that changes (its @gen moves) makes genl_dump_check_consistent() flag
 * the dump as interrupted. @one puts one node, false when the message is
 * full.
 */
static int dump_htable(struct sk_buff *skb, struct netlink_callback *cb,
		       struct sg_htable *h, atomic_t *gen,
		       bool (*one)(struct sk_buff *skb,
				   struct netlink_callback *cb,
				   struct hlist_node *node))
{
	unsigned long b = cb->args[0], skip = cb->args[1], idx;
	struct sg_buckets *bk;
	struct hlist_node *node;

	/* Not while a resize moves entries: this call would miss some. */
	mutex_lock(&h->resize);
	rcu_read_lock();
	bk = sg_htable_cur(h);
	/*
	 * The cursor is a bucket number: an array of another size (a resize
	 * between two parts) interrupts the dump as a change would.
	 */
	if (cb->args[2] && cb->args[2] != bk->mask + 1)
		cb->args[3]++;
	cb->args[2] = bk->mask + 1;
	cb->seq = atomic_read(gen) + cb->args[3];
	for (; b <= bk->mask; b++, skip = 0) {
		idx = 0;
		for (node = rcu_dereference(hlist_first_rcu(&bk->b[b]));
		     node; node = rcu_dereference(hlist_next_rcu(node))) {
			if (idx++ < skip)
				continue;
			if (!one(skb, cb, node))
				goto full;
		}
	}
	idx = 0;
	goto out;
full:
	idx--;
out:
	rcu_read_unlock();
	mutex_unlock(&h->resize);
	cb->args[0] = b;
	cb->args[1] = idx;
	return skb->len;
}

static int put_listener_obj(struct sk_buff *skb, const void *obj)
{
	return put_listener(skb, obj);
}

static bool dump_listener(struct sk_buff *skb, struct netlink_callback *cb,
			  struct hlist_node *node)
{
	return dump_one(skb, cb, SYNGUARD_CMD_GET_LISTENERS, put_listener_obj,
			hlist_entry(node, struct sg_listener, node));
}

static int dump_listeners(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sg_net *sn = sg_pernet(sock_net(skb->sk));

	return dump_htable(skb, cb, &sn->listeners.h, &sn->listeners.gen,
			   dump_listener);
}

/* An entry as one dump message reports it, read under its lock. */
struct conn_snap {
	const struct sg_conn *c;
	struct sg_track tr;
	u32 expires;
	u32 since;
};

static int put_conn_obj(struct sk_buff *skb, const void *obj)
{
	const struct conn_snap *snap = obj;
	long left = sg_conn_expires_in(snap->expires);
	const struct sg_track *tr = &snap->tr;
	const struct sg_conn *c = snap->c;
	struct nlattr *nest;

	nest = nla_nest_start(skb, SYNGUARD_A_CONN);
	if (!nest ||
	    nla_put(skb, SYNGUARD_C_A_SRC, sizeof(c->key.src), &c->key.src) ||
	    nla_put(skb, SYNGUARD_C_A_DST, sizeof(c->key.dst), &c->key.dst) ||
	    nla_put_u16(skb, SYNGUARD_C_A_SPORT, ntohs(c->key.sport)) ||
	    nla_put_u16(skb, SYNGUARD_C_A_DPORT, ntohs(c->key.dport)) ||
	    nla_put_u8(skb, SYNGUARD_C_A_STATE, tr->state) ||
	    nla_put_u8(skb, SYNGUARD_C_A_CLOSER, tr->closer) ||
	    nla_put_u32(skb, SYNGUARD_C_A_EXPIRES,
			left > 0 ? DIV_ROUND_UP(left, HZ) : 0) ||
	    nla_put_u32(skb, SYNGUARD_C_A_AGE,
			((u32)jiffies - snap->since) / HZ) ||
	    ((tr->seen & SG_SEEN_PICKED_UP) &&
	     nla_put_flag(skb, SYNGUARD_C_A_PICKED_UP)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static bool conn_matches(const struct sg_conn *c, const struct sg_track *tr,
			 int state, int port)
{
	if (state >= 0 && tr->state != state)
		return false;
	return port < 0 || ntohs(c->key.sport) == port ||
	       ntohs(c->key.dport) == port;
}

static bool dump_conn(struct sk_buff *skb, struct netlink_callback *cb,
		      struct hlist_node *node)
{
	struct sg_conn *c = hlist_entry(node, struct sg_conn, node);
	struct nlattr **attrs = sg_dump_attrs(cb);
	int state = -1, port = -1;
	struct conn_snap snap = { .c = c };

	if (attrs[SYNGUARD_A_FILTER_STATE])
		state = nla_get_u8(attrs[SYNGUARD_A_FILTER_STATE]);
	if (attrs[SYNGUARD_A_FILTER_PORT])
		port = nla_get_u16(attrs[SYNGUARD_A_FILTER_PORT]);
	spin_lock_bh(&c->lock);
	if (sg_conn_dead(c)) {
		/* Going, and its window fields are the RCU head now. */
		spin_unlock_bh(&c->lock);
		return true;
	}
	snap.tr = c->tr;
	snap.expires = c->expires;
	snap.since = c->since;
	spin_unlock_bh(&c->lock);
	if (!conn_matches(c, &snap.tr, state, port))
		return true;
	return dump_one(skb, cb, SYNGUARD_CMD_GET_CONNS, put_conn_obj, &snap);
}

static int dump_conns(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sg_net *sn = sg_pernet(sock_net(skb->sk));

	return dump_htable(skb, cb, &sn->conns.h, &sn->conns.gen, dump_conn);
}

static int parse_service(struct genl_info *info, struct sg_service *svc)
{
	struct nlattr *tb[SYNGUARD_S_A_MAX + 1], *nest;
	static const u8 required[] = {
		SYNGUARD_S_A_ADDR, SYNGUARD_S_A_PREFIX,
		SYNGUARD_S_A_PORT_MIN, SYNGUARD_S_A_PORT_MAX,
	};
	unsigned int i;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SYNGUARD_A_SERVICE)) {
		NL_SET_ERR_MSG(info->extack, "SYNGUARD_A_SERVICE is required");
		return -EINVAL;
	}
	nest = info->attrs[SYNGUARD_A_SERVICE];
	err = nla_parse_nested(tb, SYNGUARD_S_A_MAX, nest, service_policy,
			       info->extack);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(required); i++) {
		if (!tb[required[i]]) {
			NL_SET_ERR_ATTR_MISS(info->extack, nest, required[i]);
			NL_SET_ERR_MSG(info->extack,
				       "a service needs an address, a prefix length and a port range");
			return -EINVAL;
		}
	}
	memset(svc, 0, sizeof(*svc));
	nla_memcpy(&svc->addr, tb[SYNGUARD_S_A_ADDR], sizeof(svc->addr));
	svc->prefix = nla_get_u8(tb[SYNGUARD_S_A_PREFIX]);
	svc->port_min = nla_get_u16(tb[SYNGUARD_S_A_PORT_MIN]);
	svc->port_max = nla_get_u16(tb[SYNGUARD_S_A_PORT_MAX]);
	if (tb[SYNGUARD_S_A_CONFIG])
		return parse_knobs(tb[SYNGUARD_S_A_CONFIG], svc->v, &svc->mask,
				   info->extack);
	return 0;
}

static int change_service(struct genl_info *info,
			  int (*change)(struct sg_net *sn,
					const struct sg_service *svc,
					struct netlink_ext_ack *extack))
{
	struct sg_net *sn = info_sn(info);
	struct sg_service svc;
	int err;

	err = parse_service(info, &svc);
	if (err)
		return err;
	mutex_lock(&sn->lock);
	err = change(sn, &svc, info->extack);
	mutex_unlock(&sn->lock);
	if (!err)
		sg_event(sn, SYNGUARD_EVENT_SERVICES, NULL);
	return err;
}

static int add_service(struct sk_buff *skb, struct genl_info *info)
{
	return change_service(info, sg_service_add);
}

static int del_service(struct sk_buff *skb, struct genl_info *info)
{
	return change_service(info, sg_service_del);
}

static int put_service(struct sk_buff *skb, const struct sg_service *s)
{
	struct nlattr *nest, *cfg;
	int i;

	nest = nla_nest_start(skb, SYNGUARD_A_SERVICE);
	if (!nest ||
	    nla_put(skb, SYNGUARD_S_A_ADDR, sizeof(s->addr), &s->addr) ||
	    nla_put_u8(skb, SYNGUARD_S_A_PREFIX, s->prefix) ||
	    nla_put_u16(skb, SYNGUARD_S_A_PORT_MIN, s->port_min) ||
	    nla_put_u16(skb, SYNGUARD_S_A_PORT_MAX, s->port_max))
		return -EMSGSIZE;
	cfg = nla_nest_start(skb, SYNGUARD_S_A_CONFIG);
	if (!cfg)
		return -EMSGSIZE;
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++)
		if ((s->mask & BIT_ULL(i)) &&
		    nla_put_u32(skb, SYNGUARD_KNOB_ATTR(i), s->v[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, cfg);
	nla_nest_end(skb, nest);
	return 0;
}

static int put_service_obj(struct sk_buff *skb, const void *obj)
{
	return put_service(skb, obj);
}

static int dump_services(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sg_net *sn = sg_pernet(sock_net(skb->sk));
	unsigned long i = cb->args[0];
	struct sg_services *ss;

	rcu_read_lock();
	/* The array may be replaced between reads: flag the dump if it was. */
	cb->seq = READ_ONCE(sn->services_gen);
	ss = rcu_dereference(sn->services);
	for (; ss && i < ss->n; i++) {
		if (!dump_one(skb, cb, SYNGUARD_CMD_GET_SERVICES,
			      put_service_obj, &ss->s[i]))
			break;
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return skb->len;
}

static bool event_allowed(struct sg_net *sn, u32 rate)
{
	unsigned long start = READ_ONCE(sn->ev_window), now = jiffies;

	/* One window per second; losing a race here costs one event. */
	if (time_after_eq(now, start + HZ) &&
	    cmpxchg(&sn->ev_window, start, now) == start)
		atomic_set(&sn->ev_sent, 0);
	return atomic_inc_return(&sn->ev_sent) <= rate;
}

void sg_event(struct sg_net *sn, enum synguard_event ev,
	      const struct sg_listener *l)
{
	struct sk_buff *msg;
	u32 rate;
	void *hdr;

	if (!READ_ONCE(sg_genl_ready) ||
	    !genl_has_listeners(&sg_family, sn->net, 0))
		return;
	rcu_read_lock();
	rate = rcu_dereference(sn->cfg)->v[SYNGUARD_KNOB_EVENT_RATE];
	rcu_read_unlock();
	if (!event_allowed(sn, rate)) {
		sg_count(sn, SYNGUARD_CNT_EVENTS_SUPPRESSED);
		return;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &sg_family, 0, SYNGUARD_CMD_EVENT);
	if (!hdr || nla_put_u32(msg, SYNGUARD_A_EVENT, ev) ||
	    (l && put_listener(msg, l))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&sg_family, sn->net, msg, 0, 0, GFP_ATOMIC);
}

static const struct genl_small_ops sg_ops[] = {
	{
		.cmd = SYNGUARD_CMD_GET_CONFIG,
		.doit = get_config,
	},
	{
		.cmd = SYNGUARD_CMD_SET_CONFIG,
		.doit = set_config,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SYNGUARD_CMD_GET_STATS,
		.doit = get_stats,
	},
	{
		.cmd = SYNGUARD_CMD_GET_LISTENERS,
		.dumpit = dump_listeners,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SYNGUARD_CMD_GET_CONNS,
		.dumpit = dump_conns,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SYNGUARD_CMD_ADD_SERVICE,
		.doit = add_service,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SYNGUARD_CMD_DEL_SERVICE,
		.doit = del_service,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = SYNGUARD_CMD_GET_SERVICES,
		.dumpit = dump_services,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group sg_mcgrps[] = {
	/* Events carry listener addresses and counts: admin only. */
	{ .name = SYNGUARD_MCGRP_EVENTS, .flags = GENL_UNS_ADMIN_PERM, },
};

static struct genl_family sg_family __ro_after_init = {
	.name = SYNGUARD_GENL_NAME,
	.version = SYNGUARD_GENL_VERSION,
	.maxattr = SYNGUARD_A_MAX,
	.policy = sg_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = sg_ops,
	.n_small_ops = ARRAY_SIZE(sg_ops),
	.mcgrps = sg_mcgrps,
	.n_mcgrps = ARRAY_SIZE(sg_mcgrps),
};

int __init sg_genl_init(void)
{
	int err = genl_register_family(&sg_family);

	if (!err)
		WRITE_ONCE(sg_genl_ready, true);
	return err;
}

void sg_genl_exit(void)
{
	WRITE_ONCE(sg_genl_ready, false);
	/* Hooks run under RCU: wait for any that saw the family ready. */
	synchronize_rcu();
	genl_unregister_family(&sg_family);
}
