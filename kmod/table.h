/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-namespace connection table. Lookups on the packet path are
 * lock-free under RCU; inserts and deletes take the striped lock of their
 * bucket; each entry's tracking state is updated under its own lock.
 * Entries expire through an incremental reaper, never by a scan on the
 * packet path.
 */
#ifndef _SYNGUARD_TABLE_H
#define _SYNGUARD_TABLE_H

#include <linux/atomic.h>
#include <linux/in6.h>
#include <linux/rculist.h>

#include "htable.h"
#include "state.h"

struct sg_net;
struct sg_config;
struct sg_listener;

/* A connection's tuple in its original direction: src is the initiator. */
struct sg_key {
	struct in6_addr src, dst;
	__be16 sport, dport;
};

/*
 * A connection synguard opened to the server after a valid cookie. The
 * client's sequence space starts at the cookie, the server's at its own
 * ISN: every packet is translated between the two for the connection's
 * whole life.
 */
struct sg_proxy {
	u32 seq_off;	/* SG_PX_SYN: the cookie; then cookie - server ISN */
	u32 ts_off;	/* SG_PX_SYN: our SYN-ACK's TSval; then ours - server's */
	int iif;	/* the device the client's segments arrive on */
	u8 phase;	/* SG_PX_* */
	u8 mss_idx:3;	/* the client's MSS, as an index into the cookie table */
	u8 syn_tries:2;	/* SYNs sent to the server */
	u8 sack:1, ts:1;
	u8 local:1;	/* the server is local: its packets leave by LOCAL_OUT */
	/* Window scales, SG_COOKIE_WSCALE_NONE when absent. */
	u8 ws_client:4;	/* the client's */
	u8 ws_ann:4;	/* what synguard announced to the client */
	u8 ws_srv:4;	/* what the server announced */
	u8 sp:1;	/* a sec_path copy is kept for it (secpath.h) */
};

#define SG_PX_NONE	0	/* not proxied */
#define SG_PX_SYN	1	/* SYN sent to the server, no SYN-ACK yet */
#define SG_PX_OPEN	2	/* translating */

/*
 * A tracked connection: 128 bytes on x86_64. Its lock protects tr, since,
 * expires, px and tsval; key and lst never change. Lookups read key,
 * tr.state, tr.seen, tr.end, tr.isn, tsval, expires and px without it (as
 * READ_ONCE() or after px.phase's acquire). An entry is dead once
 * unlinked (sg_conn_dead()).
 */
struct sg_conn {
	struct hlist_node node;
	struct sg_listener *lst;
	union {
		struct {
			struct sg_track tr;
			/*
			 * jiffies: when tr.state or the server's side
			 * (sg_track_side()) last changed
			 */
			u32 since;
		};
		/*
		 * Once unlinked, over tr's first 16 bytes: its window
		 * fields, which only a holder of lock reads, after
		 * checking sg_conn_dead() (see SG_CONN_RCU_FITS).
		 */
		struct rcu_head rcu;
	};
	struct sg_key key;
	spinlock_t lock;		/* see above */
	u32 expires;			/* jiffies, low 32 bits */
	struct sg_proxy px;
	/* The client's last TSval, for RFC 6191 in time_wait; 0: none. */
	u32 tsval;
};

/*
 * Unlinked: sg_conn_unlink() clears node's pprev under both locks (a
 * resize moving the entry never does). Read under the entry's lock.
 */
static inline bool sg_conn_dead(const struct sg_conn *c)
{
	return hlist_unhashed_lockless(&c->node);
}

/* The RCU head covers only tr's window fields, nothing read locklessly. */
#define SG_CONN_RCU_FITS						\
	(offsetof(struct sg_conn, rcu) == offsetof(struct sg_conn, tr) &&	\
	 sizeof(struct rcu_head) <= offsetof(struct sg_track, isn))

/*
 * Deadlines are kept in 32 bits of jiffies; the longest timeout a knob
 * allows stays well below 2^31 jiffies at HZ=1000.
 */
static inline bool sg_conn_expired(const struct sg_conn *c)
{
	return (s32)((u32)jiffies - READ_ONCE(c->expires)) >= 0;
}

static inline long sg_conn_expires_in(u32 expires)
{
	return (s32)(expires - (u32)jiffies);
}

struct sg_conntable {
	struct sg_htable h;
	atomic_t count;
	/* Bumped on every insert and delete; dumps use it to detect change. */
	atomic_t gen;
	atomic_t half_open;
	atomic_t time_wait;
	/* Entries of the cookie proxy: the hooks skip lookups while none. */
	atomic_t proxied;
	u32 seed;
	/* Colliding sources share a slot: counts err on the high side. */
	atomic_t *src_half_open;
};

extern unsigned int sg_hashsize;

/* Bounds on the connection table's buckets; hashsize is where it starts. */
#define SG_TABLE_MIN_BUCKETS	1024
#define SG_TABLE_MAX_BUCKETS	4194304

/* Half-open counts per source, in slots hashed from /32 or /64 prefixes. */
#define SG_SRC_SLOTS	4096

int sg_table_cache_init(void);
void sg_table_cache_exit(void);

int sg_table_init(struct sg_conntable *t);
void sg_table_exit(struct sg_net *sn);

u32 sg_key_hash(const struct sg_conntable *t, const struct sg_key *k);

/*
 * Find the entry for @k in either direction, under RCU. On success *dir
 * says which way @k runs relative to the entry.
 */
struct sg_conn *sg_conn_find(struct sg_conntable *t, const struct sg_key *k,
			     u32 hash, enum sg_dir *dir);

/*
 * Insert a new entry for @k (the initiator's direction), whose first
 * segment is @tcp, for listener @l if the caller found it under RCU (else
 * NULL: it is looked up), to a protected service or not (which decides
 * how full the table of listeners may be: sg_listener_max()). A full
 * table first gives up an unassured entry near the new one's bucket
 * (early_drops). Returns the entry, or an ERR_PTR: -ENOSPC when the table
 * or the table of listeners is still full, -ENOMEM, or -EEXIST when
 * another CPU inserted the same connection first (then look it up again).
 */
struct sg_conn *sg_conn_insert(struct sg_net *sn, const struct sg_config *cfg,
			       const struct sg_key *k, u32 hash,
			       const struct sg_tcp *tcp,
			       const struct sg_proxy *px,
			       struct sg_listener *l, bool protected);

/* Step an entry by one segment; returns SG_STEP_* flags. */
unsigned int sg_conn_step_locked(struct sg_net *sn, const struct sg_config *cfg,
				 struct sg_conn *c, enum sg_dir dir,
				 const struct sg_tcp *tcp);
unsigned int sg_conn_step(struct sg_net *sn, const struct sg_config *cfg,
			  struct sg_conn *c, enum sg_dir dir,
			  const struct sg_tcp *tcp);

/* Why an entry is removed, for the counters. */
enum sg_unlink_why {
	SG_UNLINK_EXPIRED,	/* its state's timeout passed */
	SG_UNLINK_REPLACED,	/* a new connection reuses its tuple */
	SG_UNLINK_EVICTED,	/* the table was full (early_drops) */
};

/*
 * Remove an entry; false if another CPU did first. An entry evicted
 * (SG_UNLINK_EVICTED) leaves its slot in the table's count to the new
 * entry it made room for.
 */
bool sg_conn_unlink(struct sg_net *sn, struct sg_conn *c, u32 hash,
		    enum sg_unlink_why why);

/*
 * Whether a connection picked up mid-way was only ever heard from one
 * side: it proves nothing about who is behind it.
 */
static inline bool sg_conn_unassured(const struct sg_conn *c)
{
	return (READ_ONCE(c->tr.seen) & SG_SEEN_PICKED_UP) &&
	       !READ_ONCE(c->tr.maxwin[SG_DIR_REPLY]);
}

/* Half-open connections from @src's /32 or /64, as far as slots tell. */
int sg_src_half_open(const struct sg_conntable *t, const struct in6_addr *src);

/* Report, once until the reaper sees room again, that the table is full. */
void sg_table_full_event(struct sg_net *sn);

/*
 * Resize the table if it holds too many or too few entries for its
 * buckets; true if it did. Only the reaper calls it.
 */
bool sg_table_resize(struct sg_net *sn);

/* Expire entries in @n buckets starting at @first. */
void sg_table_reap(struct sg_net *sn, unsigned int first, unsigned int n);

#endif /* _SYNGUARD_TABLE_H */
