/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Buckets for RCU hash tables with striped locks: readers walk a bucket
 * under RCU with no lock; writers take the lock covering that bucket, so
 * inserts and deletes on different buckets never contend.
 */
#ifndef _SYNGUARD_HTABLE_H
#define _SYNGUARD_HTABLE_H

#include <linux/list.h>
#include <linux/spinlock.h>

struct sg_htable {
	struct hlist_head *buckets;
	spinlock_t *locks;		/* striped over the buckets */
	unsigned int mask;		/* buckets - 1 */
	unsigned int lock_mask;		/* locks - 1 */
};

/* Both counts must be powers of two. */
int sg_htable_init(struct sg_htable *h, unsigned int buckets,
		   unsigned int locks);
void sg_htable_free(struct sg_htable *h);

static inline struct hlist_head *sg_bucket(struct sg_htable *h, u32 hash)
{
	return &h->buckets[hash & h->mask];
}

static inline spinlock_t *sg_bucket_lock(struct sg_htable *h, u32 hash)
{
	return &h->locks[hash & h->lock_mask];
}

#endif /* _SYNGUARD_HTABLE_H */
