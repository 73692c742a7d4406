/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RCU hash tables with striped locks that grow and shrink with what they
 * hold. Readers walk a bucket under RCU with no lock; writers take the
 * lock of the bucket's stripe, so inserts and deletes on different
 * stripes never contend. A stripe's lock is chosen by the low bits of the
 * hash alone, so it covers the same entries whatever the bucket count:
 * a resize moves one stripe at a time under its lock while packets go on.
 *
 * A lockless lookup that misses while a resize is moving entries (or
 * after one replaced the array it walked) may have missed an entry that
 * moved under it; it must look again under the stripe lock (see
 * sg_htable_recheck()), where the union of the two arrays is exact.
 */
#ifndef _SYNGUARD_HTABLE_H
#define _SYNGUARD_HTABLE_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>

struct sg_buckets {
	unsigned int mask;		/* buckets - 1 */
	struct hlist_head b[];
};

struct sg_htable {
	struct sg_buckets __rcu *cur;
	/* The array a resize is moving entries out of; NULL otherwise. */
	struct sg_buckets __rcu *old;
	spinlock_t *locks;		/* striped over the hash */
	unsigned int lock_mask;		/* locks - 1 */
	unsigned int min, max;		/* bounds on the bucket count */
	/*
	 * Held for a whole resize, and by dumps, which walk bucket by
	 * bucket: a dump never sees half the entries moved.
	 */
	struct mutex resize;
};

/*
 * @min buckets to start with and never fewer, at most @max; @locks
 * stripes, no more than @min. All three are powers of two.
 */
int sg_htable_init(struct sg_htable *h, unsigned int min, unsigned int max,
		   unsigned int locks);
void sg_htable_free(struct sg_htable *h);

struct mem_cgroup;

/*
 * Resize @h for @count entries if it holds too many (more than two a
 * bucket: then one a bucket) or too few (under one per eight buckets),
 * moving every entry to a new array one stripe at a time; @hash gives an
 * entry's hash, the new array is charged to @memcg. Process context;
 * callers serialise resizes and frees. Returns the new bucket count, or
 * 0 if the table was left as it was.
 */
unsigned int sg_htable_fit(struct sg_htable *h, unsigned int count,
			   struct mem_cgroup *memcg,
			   u32 (*hash)(const struct sg_htable *h,
				       const struct hlist_node *n));

/* The array to walk, under RCU. */
static inline struct sg_buckets *sg_htable_cur(const struct sg_htable *h)
{
	return rcu_dereference(h->cur);
}

/* The array, when nothing else can change it (init, exit, the resizer). */
static inline struct sg_buckets *sg_htable_owned(const struct sg_htable *h)
{
	return rcu_dereference_protected(h->cur, 1);
}

/* The bucket count, for the resizer (or anyone holding RCU). */
static inline unsigned int sg_htable_size(const struct sg_htable *h)
{
	return rcu_dereference_check(h->cur, 1)->mask + 1;
}

static inline struct hlist_head *sg_bucket(struct sg_buckets *b, u32 hash)
{
	return &b->b[hash & b->mask];
}

static inline spinlock_t *sg_bucket_lock(struct sg_htable *h, u32 hash)
{
	return &h->locks[hash & h->lock_mask];
}

/*
 * After a lockless walk of @b found nothing: whether a resize may have
 * moved the entry out of the walker's way, so the lookup must be done
 * again under the stripe lock.
 */
static inline bool sg_htable_recheck(const struct sg_htable *h,
				     const struct sg_buckets *b)
{
	/* Seeing an entry gone from @b means seeing what moved it. */
	smp_rmb();
	return rcu_access_pointer(h->old) || rcu_access_pointer(h->cur) != b;
}

/*
 * The chains that can hold @hash's entries, under the stripe lock: the
 * current array's, and the old one's while a resize runs. @old is NULL
 * when there is no resize.
 */
static inline void sg_htable_chains(struct sg_htable *h, u32 hash,
				    struct hlist_head **cur,
				    struct hlist_head **old)
{
	struct sg_buckets *o;

	lockdep_assert_held(sg_bucket_lock(h, hash));
	*cur = sg_bucket(rcu_dereference_protected(h->cur, 1), hash);
	o = rcu_dereference_protected(h->old, 1);
	*old = o ? sg_bucket(o, hash) : NULL;
}

#endif /* _SYNGUARD_HTABLE_H */
