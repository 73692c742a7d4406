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
struct sg_track;
struct sk_buff;
struct net;

/* A listener's counters, which only grow: per CPU, summed when read. */
struct sg_listener_pcpu {
	u64 c[__SYNGUARD_LC_MAX];
};

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
	unsigned long idle_since;
	/*
	 * Until when an ACK may return a cookie sent on the listener's
	 * behalf: the last cookie's lifetime, kept to the second so that a
	 * flood writes it once a second, not once a SYN.
	 */
	unsigned long cookie_until;
	/*
	 * Gauges, which decisions read, are shared; counters are per CPU so
	 * that a flood writes no shared line per SYN. A counter's slot in
	 * c[] is unused.
	 */
	atomic64_t c[__SYNGUARD_LC_MAX];
	struct sg_listener_pcpu __percpu *pc;
	/*
	 * The reaper's alone: the oldest since of the connections in
	 * close_wait it met in this sweep, if any (close_wait_age).
	 */
	u32 cw_since;
	bool cw_any;
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

/*
 * Resize the listener table if it holds too many or too few records for
 * its buckets; true if it did. Only the reaper calls it.
 */
bool sg_listeners_resize(struct sg_net *sn);

/*
 * Records a table of listeners holds at most, for a connection to a
 * protected service or not: an eighth of @max is kept for protected
 * services, so that packets to ever new ports elsewhere cannot take the
 * records they need.
 */
static inline u32 sg_listener_max(u32 max, bool protected)
{
	return protected ? max : max - max / 8;
}

/*
 * Find or create the listener, with a reference. A table holding @max
 * records first gives up one no connection holds, near the new one's
 * bucket. NULL when refused.
 */
struct sg_listener *sg_listener_get(struct sg_net *sn,
				    const struct in6_addr *addr, u16 port,
				    u32 max);
void sg_listener_put(struct sg_listener *l);

/* Take one more reference to a listener found under RCU, if still listed. */
static inline bool sg_listener_hold(struct sg_listener *l)
{
	return atomic_inc_not_zero(&l->refs);
}

/* The listener, under RCU and without a reference; NULL if none. */
struct sg_listener *sg_listener_lookup(struct sg_net *sn,
				       const struct in6_addr *addr, u16 port);

/*
 * The listener, created if need be, under RCU and without a reference;
 * NULL when the table of listeners holds @max already.
 */
struct sg_listener *sg_listener_add(struct sg_net *sn,
				    const struct in6_addr *addr, u16 port,
				    u32 max);

/* Note @c's age if it is the oldest in close_wait seen this sweep. */
void sg_listener_sweep_conn(struct sg_listener *l, const struct sg_track *tr,
			    u32 since);

/* A sweep of the table is over: publish each listener's close_wait_age. */
void sg_listeners_sweep_end(struct sg_net *sn);

/* Unlist listeners idle for longer than @idle jiffies. */
void sg_listeners_reap(struct sg_net *sn, unsigned int first, unsigned int n,
		       unsigned long idle);

/* A cookie was sent for @l (NULL: for a listener with no record). */
void sg_listener_cookie_sent(struct sg_net *sn, struct sg_listener *l);

/* Whether an ACK to @l (NULL: no record) may return a cookie. */
bool sg_cookies_recent(struct sg_net *sn, const struct sg_listener *l);

/* Log, rate limited, that @l started or stopped answering with cookies. */
void sg_listener_log(struct sg_net *sn, const struct sg_listener *l, bool on);

#define SG_LC_KIND(id, name, kind, desc)				\
	[SYNGUARD_LC_##id] = (kind) == SYNGUARD_CK_COUNTER,
static const bool sg_lc_counters[__SYNGUARD_LC_MAX] = {
	SYNGUARD_LISTENER_COUNTS(SG_LC_KIND)
};

#undef SG_LC_KIND

/* Whether @id only grows; folds away for a constant @id. */
static inline bool sg_lc_counter(enum synguard_listener_count id)
{
	return sg_lc_counters[id];
}

/* Counts read from the local listening socket when listed, not kept. */
static inline bool sg_lc_sampled(unsigned int id)
{
	return id == SYNGUARD_LC_ACCEPT_QUEUE ||
	       id == SYNGUARD_LC_ACCEPT_QUEUE_MAX ||
	       id == SYNGUARD_LC_LISTEN_DROPS ||
	       id == SYNGUARD_LC_SYN_QUEUE;
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
	if (sg_lc_counter(id))
		this_cpu_add(l->pc->c[id], delta);
	else
		atomic64_add(delta, &l->c[id]);
}

/*
 * Half-open connections of either kind, answered by the server or not:
 * what syn_backlog limits.
 */
static inline s64 sg_listener_half_open(const struct sg_listener *l)
{
	return atomic64_read(&l->c[SYNGUARD_LC_HALF_OPEN]) +
	       atomic64_read(&l->c[SYNGUARD_LC_SYN_UNANSWERED]);
}

/* The value of @id, summed over CPUs for a counter. */
u64 sg_lc_read(const struct sg_listener *l, enum synguard_listener_count id);

#endif /* _SYNGUARD_LISTENER_H */
