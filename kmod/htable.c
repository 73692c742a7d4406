// SPDX-License-Identifier: GPL-2.0
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "htable.h"

int sg_htable_init(struct sg_htable *h, unsigned int buckets,
		   unsigned int locks)
{
	unsigned int i;

	if (WARN_ON_ONCE(!is_power_of_2(buckets) || !is_power_of_2(locks)))
		return -EINVAL;
	h->buckets = kvcalloc(buckets, sizeof(*h->buckets), GFP_KERNEL);
	if (!h->buckets)
		return -ENOMEM;
	h->locks = kvcalloc(locks, sizeof(*h->locks), GFP_KERNEL);
	if (!h->locks) {
		kvfree(h->buckets);
		return -ENOMEM;
	}
	for (i = 0; i < buckets; i++)
		INIT_HLIST_HEAD(&h->buckets[i]);
	for (i = 0; i < locks; i++)
		spin_lock_init(&h->locks[i]);
	h->mask = buckets - 1;
	h->lock_mask = locks - 1;
	return 0;
}

void sg_htable_free(struct sg_htable *h)
{
	kvfree(h->locks);
	kvfree(h->buckets);
}
