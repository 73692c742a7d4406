/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What IPsec did to a client's segments, for the segments synguard hands
 * the server in the client's name. A server (or a router's forward path)
 * whose xfrm policy requires IPsec checks each segment's sec_path, the
 * SAs that decapsulated it: the SYN synguard sends after a valid cookie
 * carries the cookie ACK's own, and the ACK that finishes the server's
 * handshake, sent when the server answers and no client segment is at
 * hand, carries a copy kept for it. Copies are kept only for connections
 * whose cookie ACK came through IPsec, from then until the client's first
 * segment passes translated (the server has its handshake) or the entry
 * goes.
 */
#ifndef _SYNGUARD_SECPATH_H
#define _SYNGUARD_SECPATH_H

#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct sg_net;
struct sg_conn;

#define SG_SP_BITS	6

struct sg_sptable {
	struct sg_sp_bucket {
		spinlock_t lock;	/* protects head */
		struct hlist_head head;
	} b[1 << SG_SP_BITS];
	atomic_t count;			/* copies kept: 0, none to look for */
};

/* Who a copy is for and what it holds (a reference on each state). */
struct sg_sp_copy;

void sg_sp_init(struct sg_sptable *t);
/* Drops every copy: the namespace is going and no packet is in a hook. */
void sg_sp_exit(struct sg_sptable *t);

/*
 * Keep a copy of @skb's sec_path for @c, if it has one. True if one is
 * kept; false with nothing to keep, or, counted in alloc_failed, without
 * memory.
 */
bool sg_sp_keep(struct sg_net *sn, const struct sg_conn *c,
		const struct sk_buff *skb);

/* Drop @c's copy, if it has one. */
void sg_sp_forget(struct sg_net *sn, const struct sg_conn *c);

/*
 * Give @nskb, which synguard built, the sec_path of @from (a client
 * segment) or, with @from NULL, the copy kept for @c, if any. 0 or
 * -ENOMEM.
 */
int sg_sp_apply(struct sg_net *sn, const struct sg_conn *c,
		const struct sk_buff *from, struct sk_buff *nskb);

#endif /* _SYNGUARD_SECPATH_H */
