/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cookie secrets of a namespace: random ones rotated every
 * cookie_rotate seconds, or ones derived from an operator's shared
 * secret on the wall clock (cookie.h says how). The packet path reads
 * them under RCU; rotation publishes a new copy.
 */
#ifndef _SYNGUARD_SECRETS_H
#define _SYNGUARD_SECRETS_H

#include <linux/rcupdate.h>

#include "cookie.h"

struct sg_net;

struct sg_secrets {
	struct sg_cookie_secrets s;
	struct rcu_head rcu;
};

int sg_secrets_init(struct sg_net *sn);
void sg_secrets_exit(struct sg_net *sn);
/* Rotate the cookie secret when due; called from the reaper. */
void sg_secrets_tick(struct sg_net *sn);
/* Use the operator's secret @key from now on, or random ones if NULL. */
int sg_secrets_share(struct sg_net *sn, const siphash_key_t *key);

#endif /* _SYNGUARD_SECRETS_H */
