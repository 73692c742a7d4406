// SPDX-License-Identifier: GPL-2.0
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "compat.h"
#include "htable.h"

static struct sg_buckets *buckets_alloc(unsigned int n)
{
	struct sg_buckets *b;
	unsigned int i;

	b = kvmalloc(struct_size(b, b, n), GFP_KERNEL_ACCOUNT);
	if (!b)
		return NULL;
	b->mask = n - 1;
	for (i = 0; i < n; i++)
		INIT_HLIST_HEAD(&b->b[i]);
	return b;
}

int sg_htable_init(struct sg_htable *h, unsigned int min, unsigned int max,
		   unsigned int locks)
{
	struct sg_buckets *b;
	unsigned int i;

	if (WARN_ON_ONCE(!is_power_of_2(min) || !is_power_of_2(max) ||
			 !is_power_of_2(locks) || locks > min || min > max))
		return -EINVAL;
	b = buckets_alloc(min);
	if (!b)
		return -ENOMEM;
	h->locks = kvcalloc(locks, sizeof(*h->locks), GFP_KERNEL_ACCOUNT);
	if (!h->locks) {
		kvfree(b);
		return -ENOMEM;
	}
	for (i = 0; i < locks; i++)
		spin_lock_init(&h->locks[i]);
	h->lock_mask = locks - 1;
	mutex_init(&h->resize);
	h->min = min;
	h->max = max;
	RCU_INIT_POINTER(h->old, NULL);
	RCU_INIT_POINTER(h->cur, b);
	return 0;
}

void sg_htable_free(struct sg_htable *h)
{
	kvfree(h->locks);
	kvfree(sg_htable_owned(h));
}

/* The bucket count to resize to for @count entries; 0: stay. */
static unsigned int want(const struct sg_htable *h, unsigned int count)
{
	unsigned int n = sg_htable_size(h), to;

	if (count > 2 * n && n < h->max)
		to = count;
	else if (count < n / 8 && n > h->min)
		to = 2 * count;
	else
		return 0;
	to = roundup_pow_of_two(clamp(to, h->min, h->max));
	return to == n ? 0 : to;
}

unsigned int sg_htable_fit(struct sg_htable *h, unsigned int count,
			   struct mem_cgroup *memcg,
			   u32 (*hash)(const struct sg_htable *h,
				       const struct hlist_node *n))
{
	struct sg_buckets *old = sg_htable_owned(h), *new;
	unsigned int i, j, buckets = want(h, count);
	struct hlist_node *n, *tmp;
	struct mem_cgroup *prev;

	if (!buckets)
		return 0;
	prev = sg_set_active_memcg(memcg);
	new = buckets_alloc(buckets);
	sg_set_active_memcg(prev);
	if (!new)
		return 0;
	mutex_lock(&h->resize);
	/*
	 * Writers see the new array once they take a stripe lock after
	 * this; lockless readers that miss see the resize and look again
	 * under the lock, where old and new together hold every entry.
	 */
	rcu_assign_pointer(h->old, old);
	rcu_assign_pointer(h->cur, new);
	/*
	 * Both pointers are visible before any entry moves: a reader that
	 * sees an entry gone sees them (sg_htable_recheck()'s smp_rmb()).
	 */
	smp_mb();
	for (i = 0; i <= h->lock_mask; i++) {
		spin_lock_bh(&h->locks[i]);
		for (j = i; j <= old->mask; j += h->lock_mask + 1) {
			/*
			 * A reader on a moved entry follows it into its new
			 * chain and ends there: entries only move from old
			 * to new, so no walk comes back.
			 */
			hlist_for_each_safe(n, tmp, &old->b[j]) {
				hlist_del_rcu(n);
				hlist_add_head_rcu(n, sg_bucket(new,
								hash(h, n)));
			}
		}
		spin_unlock_bh(&h->locks[i]);
		cond_resched();
	}
	rcu_assign_pointer(h->old, NULL);
	mutex_unlock(&h->resize);
	/* Readers still walking the old array finish before it goes. */
	synchronize_rcu();
	kvfree(old);
	return buckets;
}
