/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-listener accounting. A listener is the responder of a tracked
 * connection, keyed by (address, port): the local server for inbound
 * connections, the remote server for outbound ones, the server behind a
 * router for forwarded ones.
 */
#ifndef _SYNGUARD_LISTENER_H
#define _SYNGUARD_LISTENER_H

#include <linux/atomic.h>
#include <linux/in6.h>
#include <linux/rculist.h>

#include "uapi/linux/synguard.h"
#include "htable.h"

struct sg_net;
struct sk_buff;
struct net;

struct sg_listener {
	struct hlist_node node;
	struct in6_addr addr;
	u16 port;
	/*
	 * One reference belongs to the table while the listener is listed,
	 * one more to each connection. The reaper unlists a listener only
	 * by taking refs from 1 to 0, so lookups use atomic_inc_not_zero()
	 * and need no lock.
	 */
	atomic_t refs;
	unsigned long flags;		/* SG_LST_* bits */
	/* What the server announced in its last SYN-ACK; 0 until seen. */
	u16 srv_mss;
	u8 srv_ws;			/* SG_COOKIE_WSCALE_NONE if absent */
	u8 srv_seen;
	unsigned long idle_since;
	atomic64_t c[__SYNGUARD_LC_MAX];
	struct rcu_head rcu;
};

/* Half-open count went past syn_backlog and has not fallen to half. */
#define SG_LST_OVERFLOW		0
/* SYNs to this listener are answered with cookies. */
#define SG_LST_COOKIES		1

struct sg_listeners {
	struct sg_htable h;
	atomic_t count;
	atomic_t gen;			/* bumped on insert and removal */
	u32 seed;
};

int sg_listeners_init(struct sg_listeners *ls);
void sg_listeners_exit(struct sg_listeners *ls);

/* Find or create the listener, with a reference. NULL when refused. */
struct sg_listener *sg_listener_get(struct sg_net *sn,
				    const struct in6_addr *addr, u16 port,
				    u32 max);
void sg_listener_put(struct sg_listener *l);

/* Unlist listeners idle for longer than @idle jiffies. */
void sg_listeners_reap(struct sg_listeners *ls, unsigned int first,
		       unsigned int n, unsigned long idle);

/* Counts read from the local listening socket when listed, not kept. */
static inline bool sg_lc_sampled(unsigned int id)
{
	return id == SYNGUARD_LC_ACCEPT_QUEUE ||
	       id == SYNGUARD_LC_ACCEPT_QUEUE_MAX ||
	       id == SYNGUARD_LC_LISTEN_DROPS;
}

/*
 * Put the sampled counts of @l's local listening socket in @net, if its
 * address is local and a socket listens there; nothing otherwise.
 */
int sg_listener_put_sock(struct sk_buff *skb, struct net *net,
			 const struct sg_listener *l);

static inline void sg_lc_add(struct sg_listener *l,
			     enum synguard_listener_count id, int delta)
{
	atomic64_add(delta, &l->c[id]);
}

#endif /* _SYNGUARD_LISTENER_H */
