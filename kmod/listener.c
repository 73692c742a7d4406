// SPDX-License-Identifier: GPL-2.0
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "listener.h"
#include "netns.h"
#include "stats.h"

#define SG_LISTENER_BUCKETS	1024
#define SG_LISTENER_LOCKS	64

int sg_listeners_init(struct sg_listeners *ls)
{
	atomic_set(&ls->count, 0);
	atomic_set(&ls->gen, 0);
	ls->seed = get_random_u32();
	return sg_htable_init(&ls->h, SG_LISTENER_BUCKETS, SG_LISTENER_LOCKS);
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
	struct sg_listener *l;
	struct hlist_node *tmp;
	unsigned int i;

	/* No packets, no connections and no dumps are left by now. */
	for (i = 0; i <= ls->h.mask; i++) {
		hlist_for_each_entry_safe(l, tmp, &ls->h.buckets[i], node) {
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

struct sg_listener *sg_listener_lookup(struct sg_net *sn,
				       const struct in6_addr *addr, u16 port)
{
	struct sg_listeners *ls = &sn->listeners;

	return lookup(sg_bucket(&ls->h, listener_hash(ls, addr, port)), addr,
		      port);
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
	struct hlist_head *b = sg_bucket(&ls->h, hash);
	spinlock_t *lock = sg_bucket_lock(&ls->h, hash);
	struct mem_cgroup *memcg;
	struct sg_listener *l;

	l = lookup(b, addr, port);
	if (l && atomic_inc_not_zero(&l->refs))
		return l;

	/* First connection to this listener, or it was just unlisted. */
	if (atomic_read(&ls->count) >= max)
		return NULL;
	spin_lock_bh(lock);
	l = lookup(b, addr, port);
	if (l && atomic_inc_not_zero(&l->refs))
		goto out;
	memcg = set_active_memcg(sn->memcg);
	l = kzalloc(sizeof(*l), GFP_ATOMIC | __GFP_ACCOUNT);
	if (l)
		l->pc = alloc_percpu_gfp(struct sg_listener_pcpu,
					 GFP_ATOMIC | __GFP_ACCOUNT);
	set_active_memcg(memcg);
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
	hlist_add_head_rcu(&l->node, b);
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
	struct sg_listener *l;
	struct hlist_node *tmp;
	unsigned int i;

	for (i = first; i < first + n && i <= ls->h.mask; i++) {
		spinlock_t *lock = sg_bucket_lock(&ls->h, i);

		if (hlist_empty(&ls->h.buckets[i]))
			continue;
		spin_lock_bh(lock);
		hlist_for_each_entry_safe(l, tmp, &ls->h.buckets[i], node) {
			if (atomic_read(&l->refs) != 1 ||
			    time_before(jiffies, READ_ONCE(l->idle_since) + idle))
				continue;
			if (atomic_cmpxchg(&l->refs, 1, 0) != 1)
				continue;
			hlist_del_rcu(&l->node);
			atomic_dec(&ls->count);
			atomic_inc(&ls->gen);
			if (test_and_clear_bit(SG_LST_COOKIES, &l->flags))
				sg_gauge_add(sn, SYNGUARD_CNT_COOKIE_LISTENERS,
					     -1);
			call_rcu(&l->rcu, listener_free_rcu);
		}
		spin_unlock_bh(lock);
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
