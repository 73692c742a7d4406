// SPDX-License-Identifier: GPL-2.0
/*
 * Cookie secrets: their lifetime, rotation and sharing. The derivation
 * and the generations are cookie.h's; this file keeps the state.
 */
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "netns.h"
#include "secrets.h"

int sg_secrets_init(struct sg_net *sn)
{
	struct sg_secrets *sec;

	sec = kzalloc(sizeof(*sec), GFP_KERNEL_ACCOUNT);
	if (!sec)
		return -ENOMEM;
	get_random_bytes(&sec->s.key, sizeof(sec->s.key));
	RCU_INIT_POINTER(sn->secrets, sec);
	sn->next_rotate = jiffies;
	return 0;
}

void sg_secrets_exit(struct sg_net *sn)
{
	kfree_sensitive(rcu_dereference_protected(sn->secrets, true));
	memzero_explicit(&sn->shared, sizeof(sn->shared));
}

static void free_secrets(struct rcu_head *head)
{
	kfree_sensitive(container_of(head, struct sg_secrets, rcu));
}

static u64 shared_epoch(u32 period)
{
	return div_u64(ktime_get_real_seconds(), max(1U, period));
}

/* Publish a new copy of the secrets; the reaper and config serialise. */
static int publish(struct sg_net *sn, const struct sg_cookie_secrets *s)
{
	struct sg_secrets *old, *sec;

	sec = kzalloc(sizeof(*sec), GFP_KERNEL_ACCOUNT);
	if (!sec)
		return -ENOMEM;
	sec->s = *s;
	old = rcu_dereference_protected(sn->secrets,
					lockdep_is_held(&sn->lock));
	rcu_assign_pointer(sn->secrets, sec);
	/* Old keys are zeroed, not just freed. */
	call_rcu(&old->rcu, free_secrets);
	return 0;
}

void sg_secrets_tick(struct sg_net *sn)
{
	struct sg_cookie_secrets s;
	siphash_key_t next;
	u32 period;
	u64 epoch;

	rcu_read_lock();
	period = rcu_dereference(sn->cfg)->v[SYNGUARD_KNOB_COOKIE_ROTATE];
	rcu_read_unlock();

	mutex_lock(&sn->lock);
	s = rcu_dereference_protected(sn->secrets,
				      lockdep_is_held(&sn->lock))->s;
	if (sn->has_shared) {
		/* Hosts sharing the secret change epoch on the same clock. */
		epoch = shared_epoch(period);
		if (epoch != sn->epoch) {
			sg_cookie_set_epoch(&s, &sn->shared, epoch);
			if (!publish(sn, &s))
				sn->epoch = epoch;
		}
	} else if (time_after_eq(jiffies, sn->next_rotate)) {
		get_random_bytes(&next, sizeof(next));
		sg_cookie_rotate(&s, &next);
		if (!publish(sn, &s))
			sn->next_rotate = jiffies + (unsigned long)period * HZ;
	}
	mutex_unlock(&sn->lock);
	memzero_explicit(&s, sizeof(s));
	memzero_explicit(&next, sizeof(next));
}

int sg_secrets_share(struct sg_net *sn, const siphash_key_t *key)
{
	struct sg_cookie_secrets s = {};
	u32 period;
	int err;

	lockdep_assert_held(&sn->lock);
	period = rcu_dereference_protected(sn->cfg, lockdep_is_held(&sn->lock))
		 ->v[SYNGUARD_KNOB_COOKIE_ROTATE];
	if (key) {
		sn->shared = *key;
		sn->epoch = shared_epoch(period);
		sg_cookie_set_epoch(&s, &sn->shared, sn->epoch);
	} else {
		memzero_explicit(&sn->shared, sizeof(sn->shared));
		get_random_bytes(&s.key, sizeof(s.key));
		sn->next_rotate = jiffies + (unsigned long)period * HZ;
	}
	sn->has_shared = !!key;
	err = publish(sn, &s);
	memzero_explicit(&s, sizeof(s));
	return err;
}
