// SPDX-License-Identifier: GPL-2.0
/*
 * Copies of IPsec sec_paths for the segments synguard sends in a
 * client's name (see secpath.h). A copy holds a reference on each
 * xfrm_state, not on the client's skb or its extensions, so that nothing
 * else the client's skb carried (bridge netfilter state, say) rides
 * along. Few connections have one: a small hash keyed by the entry's
 * address, a lock a bucket; entries that have none never look.
 */
#include <linux/hash.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <net/xfrm.h>

#include "netns.h"
#include "secpath.h"
#include "stats.h"

struct sg_sp_copy {
	struct hlist_node node;
	const struct sg_conn *c;	/* only compared, never followed */
	int len;
#ifdef CONFIG_XFRM
	struct xfrm_state *xvec[XFRM_MAX_DEPTH];
#endif
};

void sg_sp_init(struct sg_sptable *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t->b); i++) {
		spin_lock_init(&t->b[i].lock);
		INIT_HLIST_HEAD(&t->b[i].head);
	}
	atomic_set(&t->count, 0);
}

static void put_copy(struct sg_sp_copy *cp)
{
#ifdef CONFIG_XFRM
	int i;

	for (i = 0; i < cp->len; i++)
		xfrm_state_put(cp->xvec[i]);
#endif
	kfree(cp);
}

void sg_sp_exit(struct sg_sptable *t)
{
	struct sg_sp_copy *cp;
	struct hlist_node *tmp;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t->b); i++)
		hlist_for_each_entry_safe(cp, tmp, &t->b[i].head, node)
			put_copy(cp);
}

#ifdef CONFIG_XFRM
static struct sg_sp_bucket *bucket(struct sg_sptable *t,
				   const struct sg_conn *c)
{
	return &t->b[hash_ptr(c, SG_SP_BITS)];
}

/* Under the bucket's lock. */
static struct sg_sp_copy *find(struct sg_sp_bucket *b, const struct sg_conn *c)
{
	struct sg_sp_copy *cp;

	hlist_for_each_entry(cp, &b->head, node)
		if (cp->c == c)
			return cp;
	return NULL;
}

bool sg_sp_keep(struct sg_net *sn, const struct sg_conn *c,
		const struct sk_buff *skb)
{
	const struct sec_path *sp = skb_sec_path(skb);
	struct sg_sp_bucket *b = bucket(&sn->sp, c);
	struct mem_cgroup *memcg;
	struct sg_sp_copy *cp;
	int i;

	if (!sp || !sp->len)
		return false;
	memcg = sg_set_active_memcg(sn->memcg);
	cp = kmalloc(sizeof(*cp), GFP_ATOMIC | __GFP_ACCOUNT);
	sg_set_active_memcg(memcg);
	if (!cp) {
		sg_count(sn, SYNGUARD_CNT_ALLOC_FAILED);
		return false;
	}
	cp->c = c;
	cp->len = min_t(int, sp->len, XFRM_MAX_DEPTH);
	for (i = 0; i < cp->len; i++) {
		cp->xvec[i] = sp->xvec[i];
		xfrm_state_hold(cp->xvec[i]);
	}
	spin_lock_bh(&b->lock);
	hlist_add_head(&cp->node, &b->head);
	spin_unlock_bh(&b->lock);
	atomic_inc(&sn->sp.count);
	return true;
}

void sg_sp_forget(struct sg_net *sn, const struct sg_conn *c)
{
	struct sg_sp_bucket *b = bucket(&sn->sp, c);
	struct sg_sp_copy *cp;

	spin_lock_bh(&b->lock);
	cp = find(b, c);
	if (cp)
		hlist_del(&cp->node);
	spin_unlock_bh(&b->lock);
	if (cp) {
		atomic_dec(&sn->sp.count);
		put_copy(cp);
	}
}

/* @nskb is new: it has no sec_path of its own yet. */
static int set(struct sk_buff *nskb, struct xfrm_state *const *xvec, int len)
{
	struct sec_path *sp = secpath_set(nskb);
	int i;

	if (!sp)
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		xfrm_state_hold(xvec[i]);
		sp->xvec[i] = xvec[i];
	}
	sp->len = len;
	return 0;
}

int sg_sp_apply(struct sg_net *sn, const struct sg_conn *c,
		const struct sk_buff *from, struct sk_buff *nskb)
{
	struct sg_sp_bucket *b;
	struct sg_sp_copy *cp;
	int err = 0;

	if (from) {
		const struct sec_path *sp = skb_sec_path(from);

		return sp && sp->len ? set(nskb, sp->xvec,
					   min_t(int, sp->len, XFRM_MAX_DEPTH)) : 0;
	}
	if (!atomic_read(&sn->sp.count))
		return 0;
	b = bucket(&sn->sp, c);
	spin_lock_bh(&b->lock);
	cp = find(b, c);
	if (cp)
		err = set(nskb, cp->xvec, cp->len);
	spin_unlock_bh(&b->lock);
	return err;
}
#else
bool sg_sp_keep(struct sg_net *sn, const struct sg_conn *c,
		const struct sk_buff *skb)
{
	return false;
}

void sg_sp_forget(struct sg_net *sn, const struct sg_conn *c)
{
}

int sg_sp_apply(struct sg_net *sn, const struct sg_conn *c,
		const struct sk_buff *from, struct sk_buff *nskb)
{
	return 0;
}
#endif
