// SPDX-License-Identifier: GPL-2.0
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/route.h>

#include "listener.h"
#include "state.h"
#include "netns.h"
#include "stats.h"

/* Buckets to start with and never fewer, at most; lock stripes. */
#define SG_LISTENER_MIN_BUCKETS	256
#define SG_LISTENER_MAX_BUCKETS	4194304
#define SG_LISTENER_LOCKS	64

int sg_listeners_init(struct sg_listeners *ls)
{
	atomic_set(&ls->count, 0);
	atomic_set(&ls->gen, 0);
	ls->seed = get_random_u32();
	return sg_htable_init(&ls->h, SG_LISTENER_MIN_BUCKETS,
			      SG_LISTENER_MAX_BUCKETS, SG_LISTENER_LOCKS);
}

static void listener_free(struct sg_listener *l)
{
	free_percpu(l->pc);
	kfree(l);
}

static void listener_free_rcu(struct rcu_head *head)
{
	listener_free(container_of(head, struct sg_listener, rcu));
}

u64 sg_lc_read(const struct sg_listener *l, enum synguard_listener_count id)
{
	u64 sum = 0;
	int cpu;

	if (!sg_lc_counter(id))
		return atomic64_read(&l->c[id]);
	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(l->pc, cpu)->c[id]);
	return sum;
}

void sg_listeners_exit(struct sg_listeners *ls)
{
	struct sg_buckets *b = sg_htable_owned(&ls->h);
	struct sg_listener *l;
	struct hlist_node *tmp;
	unsigned int i;

	/* No packets, no connections and no dumps are left by now. */
	for (i = 0; i <= b->mask; i++) {
		hlist_for_each_entry_safe(l, tmp, &b->b[i], node) {
			hlist_del(&l->node);
			listener_free(l);
		}
	}
	sg_htable_free(&ls->h);
}

static u32 listener_hash(const struct sg_listeners *ls,
			 const struct in6_addr *addr, u16 port)
{
	return jhash2(addr->s6_addr32, 4, ls->seed ^ port);
}

static struct sg_listener *lookup(struct hlist_head *b,
				  const struct in6_addr *addr, u16 port)
{
	struct sg_listener *l;

	hlist_for_each_entry_rcu(l, b, node)
		if (l->port == port && ipv6_addr_equal(&l->addr, addr))
			return l;
	return NULL;
}

/* Under the stripe lock of @hash: exact, even while a resize runs. */
static struct sg_listener *lookup_locked(struct sg_listeners *ls, u32 hash,
					 const struct in6_addr *addr, u16 port)
{
	struct hlist_head *cur, *old;
	struct sg_listener *l;

	sg_htable_chains(&ls->h, hash, &cur, &old);
	l = lookup(cur, addr, port);
	if (!l && old)
		l = lookup(old, addr, port);
	return l;
}

static struct sg_listener *find(struct sg_listeners *ls, u32 hash,
				const struct in6_addr *addr, u16 port)
{
	struct sg_buckets *b = sg_htable_cur(&ls->h);
	struct sg_listener *l;
	spinlock_t *lock;	/* of the stripe, should the walk miss */

	l = lookup(sg_bucket(b, hash), addr, port);
	if (l || likely(!sg_htable_recheck(&ls->h, b)))
		return l;
	lock = sg_bucket_lock(&ls->h, hash);
	spin_lock_bh(lock);
	l = lookup_locked(ls, hash, addr, port);
	spin_unlock_bh(lock);
	return l;
}

struct sg_listener *sg_listener_lookup(struct sg_net *sn,
				       const struct in6_addr *addr, u16 port)
{
	struct sg_listeners *ls = &sn->listeners;

	return find(ls, listener_hash(ls, addr, port), addr, port);
}

static u32 node_hash(const struct sg_htable *h, const struct hlist_node *n)
{
	const struct sg_listeners *ls = container_of(h, struct sg_listeners, h);
	const struct sg_listener *l = hlist_entry(n, struct sg_listener, node);

	return listener_hash(ls, &l->addr, l->port);
}

bool sg_listeners_resize(struct sg_net *sn)
{
	struct sg_listeners *ls = &sn->listeners;

	if (!sg_htable_fit(&ls->h, atomic_read(&ls->count), sn->memcg,
			   node_hash))
		return false;
	atomic_inc(&ls->gen);
	sg_count(sn, SYNGUARD_CNT_TABLE_RESIZES);
	return true;
}

/*
 * Under the stripe lock of @l's bucket: remove @l if the table's is the
 * only reference left to it.
 */
static bool unlist(struct sg_net *sn, struct sg_listener *l)
{
	struct sg_listeners *ls = &sn->listeners;

	if (atomic_cmpxchg(&l->refs, 1, 0) != 1)
		return false;
	hlist_del_rcu(&l->node);
	atomic_dec(&ls->count);
	atomic_inc(&ls->gen);
	if (test_and_clear_bit(SG_LST_COOKIES, &l->flags))
		sg_gauge_add(sn, SYNGUARD_CNT_COOKIE_LISTENERS, -1);
	/* Cookies it sent may still come back: the namespace remembers. */
	if (time_after(READ_ONCE(l->cookie_until), READ_ONCE(sn->cookie_until)))
		WRITE_ONCE(sn->cookie_until, READ_ONCE(l->cookie_until));
	call_rcu(&l->rcu, listener_free_rcu);
	return true;
}

/*
 * How far a full table of listeners looks for a record no connection
 * holds: buckets from the new one's on, and records examined.
 */
#define SG_RECLAIM_BUCKETS	64
#define SG_RECLAIM_RECORDS	16

/*
 * Make room for a new listener hashed to @hash by removing one that no
 * connection holds, near its bucket, without waiting for the reaper:
 * packets to ever new ports would keep the table full between its
 * passes. The walk is lock-free; a bucket's lock is taken only for a
 * record that looks free. Called under RCU.
 */
static bool reclaim(struct sg_net *sn, u32 hash)
{
	struct sg_listeners *ls = &sn->listeners;
	struct sg_buckets *b = sg_htable_cur(&ls->h);
	unsigned int i, n, seen = 0;
	struct sg_listener *l;
	spinlock_t *lock;	/* of the bucket's stripe */
	bool done;

	for (i = 0; i < SG_RECLAIM_BUCKETS && seen < SG_RECLAIM_RECORDS;
	     i++) {
		n = (hash + i) & b->mask;
		hlist_for_each_entry_rcu(l, &b->b[n], node) {
			if (++seen > SG_RECLAIM_RECORDS)
				break;
			if (atomic_read(&l->refs) != 1)
				continue;
			lock = sg_bucket_lock(&ls->h, n);
			spin_lock_bh(lock);
			done = unlist(sn, l);
			spin_unlock_bh(lock);
			if (done)
				return true;
		}
	}
	return false;
}

struct sg_listener *sg_listener_add(struct sg_net *sn,
				    const struct in6_addr *addr, u16 port,
				    u32 max)
{
	struct sg_listener *l = sg_listener_lookup(sn, addr, port);

	if (l)
		return l;
	l = sg_listener_get(sn, addr, port, max);
	/* Under RCU it stays valid after the reference is dropped. */
	if (l)
		sg_listener_put(l);
	return l;
}

struct sg_listener *sg_listener_get(struct sg_net *sn,
				    const struct in6_addr *addr, u16 port,
				    u32 max)
{
	struct sg_listeners *ls = &sn->listeners;
	u32 hash = listener_hash(ls, addr, port);
	spinlock_t *lock = sg_bucket_lock(&ls->h, hash);
	struct hlist_head *cur, *old;
	struct mem_cgroup *memcg;
	struct sg_listener *l;

	l = find(ls, hash, addr, port);
	if (l && atomic_inc_not_zero(&l->refs))
		return l;

	/* First connection to this listener, or it was just unlisted. */
	if (atomic_read(&ls->count) >= max && !reclaim(sn, hash))
		return NULL;
	spin_lock_bh(lock);
	l = lookup_locked(ls, hash, addr, port);
	if (l && atomic_inc_not_zero(&l->refs))
		goto out;
	memcg = sg_set_active_memcg(sn->memcg);
	l = kzalloc(sizeof(*l), GFP_ATOMIC | __GFP_ACCOUNT);
	if (l)
		l->pc = alloc_percpu_gfp(struct sg_listener_pcpu,
					 GFP_ATOMIC | __GFP_ACCOUNT);
	sg_set_active_memcg(memcg);
	if (l && !l->pc) {
		kfree(l);
		l = NULL;
	}
	if (!l)
		goto out;
	l->addr = *addr;
	l->port = port;
	/* Not zero: jiffies start 5 minutes before the wrap. */
	l->cookie_until = jiffies;
	atomic_set(&l->refs, 2);
	atomic_inc(&ls->count);
	atomic_inc(&ls->gen);
	sg_htable_chains(&ls->h, hash, &cur, &old);
	hlist_add_head_rcu(&l->node, cur);
out:
	spin_unlock_bh(lock);
	return l;
}

void sg_listener_put(struct sg_listener *l)
{
	if (atomic_dec_return(&l->refs) == 1)
		WRITE_ONCE(l->idle_since, jiffies);
}

void sg_listeners_reap(struct sg_net *sn, unsigned int first, unsigned int n,
		       unsigned long idle)
{
	struct sg_listeners *ls = &sn->listeners;
	struct sg_buckets *b = sg_htable_cur(&ls->h);
	struct sg_listener *l;
	struct hlist_node *tmp;
	unsigned int i;

	for (i = first; i < first + n && i <= b->mask; i++) {
		spinlock_t *lock = sg_bucket_lock(&ls->h, i);

		if (hlist_empty(&b->b[i]))
			continue;
		spin_lock_bh(lock);
		hlist_for_each_entry_safe(l, tmp, &b->b[i], node) {
			if (atomic_read(&l->refs) != 1 ||
			    time_before(jiffies, READ_ONCE(l->idle_since) + idle))
				continue;
			unlist(sn, l);
		}
		spin_unlock_bh(lock);
	}
}

void sg_listener_sweep_conn(struct sg_listener *l, const struct sg_track *tr,
			    u32 since)
{
	if (sg_track_side(tr, SG_DIR_REPLY) != SG_SIDE_CLOSE_WAIT)
		return;
	if (!l->cw_any || (s32)(since - l->cw_since) < 0) {
		l->cw_since = since;
		l->cw_any = true;
	}
}

void sg_listeners_sweep_end(struct sg_net *sn)
{
	struct sg_buckets *b = sg_htable_cur(&sn->listeners.h);
	struct sg_listener *l;
	unsigned int i;
	u64 age;

	for (i = 0; i <= b->mask; i++) {
		hlist_for_each_entry_rcu(l, &b->b[i], node) {
			age = l->cw_any ?
			      ((u32)jiffies - l->cw_since) / HZ : 0;
			atomic64_set(&l->c[SYNGUARD_LC_CLOSE_WAIT_AGE], age);
			l->cw_any = false;
		}
	}
}

/* A cookie is good for up to two rotation periods (cookie.h). */
static unsigned long cookie_lifetime(struct sg_net *sn)
{
	return 2UL * rcu_dereference(sn->cfg)->v[SYNGUARD_KNOB_COOKIE_ROTATE] *
	       HZ;
}

static void extend(unsigned long *until, unsigned long to)
{
	if (time_after(to, READ_ONCE(*until) + HZ))
		WRITE_ONCE(*until, to);
}

void sg_listener_cookie_sent(struct sg_net *sn, struct sg_listener *l)
{
	unsigned long to = jiffies + cookie_lifetime(sn);

	extend(l ? &l->cookie_until : &sn->cookie_until, to);
}

bool sg_cookies_recent(struct sg_net *sn, const struct sg_listener *l)
{
	unsigned long now = jiffies;

	if (l && time_before(now, READ_ONCE(l->cookie_until)))
		return true;
	return time_before(now, READ_ONCE(sn->cookie_until));
}

void sg_listener_log(struct sg_net *sn, const struct sg_listener *l, bool on)
{
	if (ipv6_addr_v4mapped(&l->addr))
		net_info_ratelimited("synguard: %s SYN flooding on %pI4:%u. %s\n",
				     on ? "Possible" : "No more",
				     &l->addr.s6_addr32[3], l->port,
				     on ? "Sending cookies." :
					  "Stopped sending cookies.");
	else
		net_info_ratelimited("synguard: %s SYN flooding on [%pI6c]:%u. %s\n",
				     on ? "Possible" : "No more", &l->addr,
				     l->port,
				     on ? "Sending cookies." :
					  "Stopped sending cookies.");
}

/*
 * The socket listening on @l's address and port in @net, when that
 * address is local; no reference, under RCU. A listener bound to a
 * device is not found, and of a reuseport group one socket is.
 */
static struct sock *local_sock(struct net *net, const struct sg_listener *l)
{
	struct inet_hashinfo *hinfo = net->ipv4.tcp_death_row.hashinfo;

	if (ipv6_addr_v4mapped(&l->addr)) {
		if (inet_addr_type(net, l->addr.s6_addr32[3]) != RTN_LOCAL)
			return NULL;
		return inet_lookup_listener(net, hinfo, NULL, 0, 0, 0,
					    l->addr.s6_addr32[3],
					    htons(l->port), 0, 0);
	}
	if (!ipv6_chk_addr(net, &l->addr, NULL, 0))
		return NULL;
	return inet6_lookup_listener(net, hinfo, NULL, 0, &in6addr_any, 0,
				     &l->addr, l->port, 0, 0);
}

int sg_listener_put_sock(struct sk_buff *skb, struct net *net,
			 const struct sg_listener *l)
{
	u64 v[4];
	struct sock *sk;

	rcu_read_lock();
	sk = local_sock(net, l);
	if (sk) {
		v[0] = READ_ONCE(sk->sk_ack_backlog);
		v[1] = READ_ONCE(sk->sk_max_ack_backlog);
		v[2] = (u32)atomic_read(&sk->sk_drops);
		v[3] = inet_csk_reqsk_queue_len(sk);
	}
	rcu_read_unlock();
	if (!sk)
		return 0;
	if (nla_put_u64_64bit(skb, SYNGUARD_LC_ATTR(SYNGUARD_LC_ACCEPT_QUEUE),
			      v[0], 0) ||
	    nla_put_u64_64bit(skb,
			      SYNGUARD_LC_ATTR(SYNGUARD_LC_ACCEPT_QUEUE_MAX),
			      v[1], 0) ||
	    nla_put_u64_64bit(skb, SYNGUARD_LC_ATTR(SYNGUARD_LC_LISTEN_DROPS),
			      v[2], 0) ||
	    nla_put_u64_64bit(skb, SYNGUARD_LC_ATTR(SYNGUARD_LC_SYN_QUEUE),
			      v[3], 0))
		return -EMSGSIZE;
	return 0;
}
