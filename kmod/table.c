// SPDX-License-Identifier: GPL-2.0
#include <linux/jhash.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/log2.h>
#include <linux/memcontrol.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "table.h"
#include "netns.h"
#include "netlink.h"
#include "stats.h"

#define SG_TABLE_LOCKS	1024

unsigned int sg_hashsize __read_mostly = 1024;
module_param_named(hashsize, sg_hashsize, uint, 0444);
MODULE_PARM_DESC(hashsize,
		 "connection hash buckets a network namespace starts with and never shrinks below; the table grows to keep two entries a bucket or fewer, up to 4194304 (power of two, 1024..4194304)");

static struct kmem_cache *sg_conn_cache __read_mostly;

int sg_table_cache_init(void)
{
	/*
	 * The entry is on every tracked connection: keep it at 128 bytes,
	 * 32 to a page, unless lock debugging makes spinlocks large. Window
	 * tracking takes 16 of them, shared with the RCU head.
	 */
	BUILD_BUG_ON(!IS_ENABLED(CONFIG_DEBUG_SPINLOCK) &&
		     !IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) &&
		     sizeof(struct sg_conn) > 128);
	BUILD_BUG_ON(!SG_CONN_RCU_FITS);
	/* Charged to the memory cgroup of whoever made the namespace. */
	sg_conn_cache = KMEM_CACHE(sg_conn, SLAB_ACCOUNT);
	return sg_conn_cache ? 0 : -ENOMEM;
}

void sg_table_cache_exit(void)
{
	kmem_cache_destroy(sg_conn_cache);
}

int sg_table_init(struct sg_conntable *t)
{
	int err;

	atomic_set(&t->count, 0);
	atomic_set(&t->gen, 0);
	atomic_set(&t->half_open, 0);
	atomic_set(&t->time_wait, 0);
	atomic_set(&t->proxied, 0);
	t->seed = get_random_u32();
	t->src_half_open = kvcalloc(SG_SRC_SLOTS, sizeof(atomic_t), GFP_KERNEL);
	if (!t->src_half_open)
		return -ENOMEM;
	err = sg_htable_init(&t->h, sg_hashsize, SG_TABLE_MAX_BUCKETS,
			     SG_TABLE_LOCKS);
	if (err)
		kvfree(t->src_half_open);
	return err;
}

/* A source is an IPv4 address or an IPv6 /64: what one host controls. */
static atomic_t *src_slot(const struct sg_conntable *t,
			  const struct in6_addr *src)
{
	u32 h = ipv6_addr_v4mapped(src) ?
		jhash_1word(src->s6_addr32[3], t->seed) :
		jhash_2words(src->s6_addr32[0], src->s6_addr32[1], t->seed);

	return &t->src_half_open[h & (SG_SRC_SLOTS - 1)];
}

int sg_src_half_open(const struct sg_conntable *t, const struct in6_addr *src)
{
	return atomic_read(src_slot(t, src));
}

void sg_table_exit(struct sg_net *sn)
{
	struct sg_conntable *t = &sn->conns;
	struct hlist_node *tmp;
	struct sg_buckets *b;
	struct sg_conn *c;
	unsigned int i;

	/* Hooks are gone and no dump can run: nothing else sees entries. */
	b = sg_htable_owned(&t->h);
	for (i = 0; i <= b->mask; i++) {
		hlist_for_each_entry_safe(c, tmp, &b->b[i], node) {
			hlist_del(&c->node);
			kmem_cache_free(sg_conn_cache, c);
		}
	}
	sg_htable_free(&t->h);
	kvfree(t->src_half_open);
}

u32 sg_key_hash(const struct sg_conntable *t, const struct sg_key *k)
{
	u32 a = jhash2(k->src.s6_addr32, 4, t->seed ^ (__force u16)k->sport);
	u32 b = jhash2(k->dst.s6_addr32, 4, t->seed ^ (__force u16)k->dport);

	/* Both directions of a connection must land in the same bucket. */
	return a < b ? jhash_2words(a, b, t->seed) : jhash_2words(b, a, t->seed);
}

static bool key_match(const struct sg_key *e, const struct sg_key *k,
		      enum sg_dir *dir)
{
	if (e->sport == k->sport && e->dport == k->dport &&
	    ipv6_addr_equal(&e->src, &k->src) &&
	    ipv6_addr_equal(&e->dst, &k->dst)) {
		*dir = SG_DIR_ORIG;
		return true;
	}
	if (e->sport == k->dport && e->dport == k->sport &&
	    ipv6_addr_equal(&e->src, &k->dst) &&
	    ipv6_addr_equal(&e->dst, &k->src)) {
		*dir = SG_DIR_REPLY;
		return true;
	}
	return false;
}

static struct sg_conn *find_in(struct hlist_head *head,
			       const struct sg_key *k, enum sg_dir *dir)
{
	struct sg_conn *c;

	hlist_for_each_entry_rcu(c, head, node)
		if (key_match(&c->key, k, dir))
			return c;
	return NULL;
}

/* Under the stripe lock of @hash: exact, even while a resize runs. */
static struct sg_conn *find_locked(struct sg_conntable *t,
				   const struct sg_key *k, u32 hash,
				   enum sg_dir *dir)
{
	struct hlist_head *cur, *old;
	struct sg_conn *c;

	sg_htable_chains(&t->h, hash, &cur, &old);
	c = find_in(cur, k, dir);
	if (!c && old)
		c = find_in(old, k, dir);
	return c;
}

struct sg_conn *sg_conn_find(struct sg_conntable *t, const struct sg_key *k,
			     u32 hash, enum sg_dir *dir)
{
	struct sg_buckets *b = sg_htable_cur(&t->h);
	spinlock_t *lock;	/* of the stripe, should the walk miss */
	struct sg_conn *c;

	c = find_in(sg_bucket(b, hash), k, dir);
	if (c || likely(!sg_htable_recheck(&t->h, b)))
		return c;
	lock = sg_bucket_lock(&t->h, hash);
	spin_lock_bh(lock);
	c = find_locked(t, k, hash, dir);
	spin_unlock_bh(lock);
	return c;
}

static u32 node_hash(const struct sg_htable *h, const struct hlist_node *n)
{
	const struct sg_conntable *t = container_of(h, struct sg_conntable, h);

	return sg_key_hash(t, &hlist_entry(n, struct sg_conn, node)->key);
}

bool sg_table_resize(struct sg_net *sn)
{
	struct sg_conntable *t = &sn->conns;
	unsigned int n = sg_htable_size(&t->h), to;

	to = sg_htable_fit(&t->h, atomic_read(&t->count), sn->memcg,
			   node_hash);
	if (!to)
		return false;
	/* Dump cursors are bucket numbers: a dump across this restarts. */
	atomic_inc(&t->gen);
	sg_gauge_add(sn, SYNGUARD_CNT_CONN_BUCKETS, (int)(to - n));
	sg_count(sn, SYNGUARD_CNT_TABLE_RESIZES);
	return true;
}

/*
 * Where a connection is counted: in the namespace by its state, at its
 * listener by the state of each side's socket, as that side's own stack
 * (and ss) would name it.
 */
struct sg_bucketing {
	int gauge;	/* enum synguard_counter, or -1 */
	int lc;		/* enum synguard_listener_count, or -1: the server */
	int peer_lc;	/* the same for the client; only TIME_WAIT is kept */
};

static int state_gauge(const struct sg_track *tr)
{
	switch (tr->state) {
	case SYNGUARD_STATE_SYN_SENT:
	case SYNGUARD_STATE_SYN_RECV:
		return SYNGUARD_CNT_HALF_OPEN;
	case SYNGUARD_STATE_ESTABLISHED:
		return SYNGUARD_CNT_ESTABLISHED;
	case SYNGUARD_STATE_FIN_WAIT:
	case SYNGUARD_STATE_CLOSE_WAIT:
	case SYNGUARD_STATE_LAST_ACK:
		return SYNGUARD_CNT_CLOSING;
	case SYNGUARD_STATE_TIME_WAIT:
		return SYNGUARD_CNT_TIME_WAIT;
	default:
		return -1;
	}
}

/*
 * The server's socket: CLOSING (it closed while the client's FIN was on
 * its way, and waits for the ACK of its own) counts with FIN_WAIT_1 and
 * FIN_WAIT_2 in fin_wait: it closed without having got the client's FIN.
 */
static int server_lc(const struct sg_track *tr)
{
	switch (sg_track_side(tr, SG_DIR_REPLY)) {
	case SG_SIDE_HANDSHAKE:
		/* Only an answered SYN is among the server's SYN-RECV sockets. */
		return tr->state == SYNGUARD_STATE_SYN_SENT ?
		       SYNGUARD_LC_SYN_UNANSWERED : SYNGUARD_LC_HALF_OPEN;
	case SG_SIDE_ESTABLISHED:
		return SYNGUARD_LC_ESTABLISHED;
	case SG_SIDE_FIN_WAIT_1:
	case SG_SIDE_FIN_WAIT_2:
	case SG_SIDE_CLOSING:
		return SYNGUARD_LC_FIN_WAIT;
	case SG_SIDE_CLOSE_WAIT:
		return SYNGUARD_LC_CLOSE_WAIT;
	case SG_SIDE_LAST_ACK:
		return SYNGUARD_LC_LAST_ACK;
	case SG_SIDE_TIME_WAIT:
		return SYNGUARD_LC_TIME_WAIT;
	default:
		return -1;
	}
}

static struct sg_bucketing bucketing(const struct sg_track *tr)
{
	struct sg_bucketing b = { state_gauge(tr), -1, -1 };

	if (b.gauge < 0)
		return b;
	b.lc = server_lc(tr);
	if (sg_track_side(tr, SG_DIR_ORIG) == SG_SIDE_TIME_WAIT)
		b.peer_lc = SYNGUARD_LC_PEER_TIME_WAIT;
	return b;
}

/*
 * Report a listener whose half-open count rises past syn_backlog, once,
 * until the count has fallen back to half of the limit. Called under RCU.
 */
static void check_backlog(struct sg_net *sn, struct sg_listener *l, int delta)
{
	u32 limit = rcu_dereference(sn->cfg)->v[SYNGUARD_KNOB_SYN_BACKLOG];
	s64 half_open = sg_listener_half_open(l);

	if (delta > 0 && half_open > limit) {
		if (test_and_set_bit(SG_LST_OVERFLOW, &l->flags))
			return;
		sg_count(sn, SYNGUARD_CNT_BACKLOG_OVERFLOWS);
		sg_lc_add(l, SYNGUARD_LC_BACKLOG_OVERFLOWS, 1);
		sg_event(sn, SYNGUARD_EVENT_BACKLOG_OVERFLOW, l);
	} else if (delta < 0 && half_open <= limit / 2 &&
		   test_bit(SG_LST_OVERFLOW, &l->flags)) {
		clear_bit(SG_LST_OVERFLOW, &l->flags);
	}
}

static void account(struct sg_net *sn, struct sg_conn *c,
		    const struct sg_track *tr, int delta)
{
	struct sg_bucketing b = bucketing(tr);

	if (b.gauge >= 0)
		sg_gauge_add(sn, b.gauge, delta);
	if (b.gauge == SYNGUARD_CNT_TIME_WAIT)
		atomic_add(delta, &sn->conns.time_wait);
	if (b.peer_lc >= 0)
		sg_lc_add(c->lst, b.peer_lc, delta);
	if (b.lc < 0)
		return;
	sg_lc_add(c->lst, b.lc, delta);
	if (b.lc == SYNGUARD_LC_HALF_OPEN || b.lc == SYNGUARD_LC_SYN_UNANSWERED) {
		atomic_add(delta, &sn->conns.half_open);
		atomic_add(delta, src_slot(&sn->conns, &c->key.src));
		check_backlog(sn, c->lst, delta);
	}
}

static unsigned long state_timeout(const struct sg_config *cfg,
				   const struct sg_conn *c)
{
	if (sg_conn_unassured(c))
		return sg_cfg_jiffies(cfg, SYNGUARD_KNOB_PICKUP_TIMEOUT);
	switch (c->tr.state) {
	case SYNGUARD_STATE_SYN_SENT:
	case SYNGUARD_STATE_SYN_RECV:
		return sg_cfg_jiffies(cfg, SYNGUARD_KNOB_SYN_TIMEOUT);
	case SYNGUARD_STATE_ESTABLISHED:
		return sg_cfg_jiffies(cfg, SYNGUARD_KNOB_EST_TIMEOUT);
	case SYNGUARD_STATE_FIN_WAIT:
	case SYNGUARD_STATE_LAST_ACK:
		return sg_cfg_jiffies(cfg, SYNGUARD_KNOB_FIN_TIMEOUT);
	case SYNGUARD_STATE_CLOSE_WAIT:
		return sg_cfg_jiffies(cfg, SYNGUARD_KNOB_CLOSE_WAIT_TIMEOUT);
	case SYNGUARD_STATE_TIME_WAIT:
		return sg_cfg_jiffies(cfg, SYNGUARD_KNOB_TW_TIMEOUT);
	default:
		return sg_cfg_jiffies(cfg, SYNGUARD_KNOB_CLOSE_TIMEOUT);
	}
}

/*
 * Counters that follow from what a step (or the first segment) did; what
 * a segment that did not fit means is the verdict's (sg_verdict_step()).
 */
static void count_steps(struct sg_net *sn, struct sg_conn *c,
			unsigned int steps, unsigned int old_state)
{
	if (steps & SG_STEP_HANDSHAKE) {
		sg_count(sn, SYNGUARD_CNT_HANDSHAKES);
		sg_lc_add(c->lst, SYNGUARD_LC_HANDSHAKES, 1);
	}
	if (steps & SG_STEP_FIRST_FIN)
		sg_lc_add(c->lst, c->tr.closer == SYNGUARD_CLOSER_SERVER ?
			  SYNGUARD_LC_CLOSED_BY_SERVER :
			  SYNGUARD_LC_CLOSED_BY_CLIENT, 1);
	if (steps & SG_STEP_SIMULTANEOUS)
		sg_lc_add(c->lst, SYNGUARD_LC_SIMULTANEOUS_CLOSES, 1);
	if (c->tr.state == SYNGUARD_STATE_TIME_WAIT &&
	    old_state != SYNGUARD_STATE_TIME_WAIT)
		sg_count(sn, SYNGUARD_CNT_TW_ENTERED);
}

/* Past tw_max, a connection that reaches time_wait leaves at once. */
static void check_tw_max(struct sg_net *sn, const struct sg_config *cfg,
			 struct sg_conn *c, unsigned int old_state)
{
	if (c->tr.state != SYNGUARD_STATE_TIME_WAIT ||
	    old_state == SYNGUARD_STATE_TIME_WAIT ||
	    atomic_read(&sn->conns.time_wait) <= cfg->v[SYNGUARD_KNOB_TW_MAX])
		return;
	sg_count(sn, SYNGUARD_CNT_TW_OVERFLOW);
	WRITE_ONCE(c->expires, (u32)jiffies);
}

/* Entries a full table gives up first: one side never heard from. */
static bool evictable(const struct sg_conn *c)
{
	return !READ_ONCE(c->px.phase) &&
	       (sg_conn_unassured(c) ||
		READ_ONCE(c->tr.state) == SYNGUARD_STATE_SYN_SENT);
}

/*
 * How far a full table looks for an entry to give up: buckets from the
 * new one's on, and entries examined. A table much smaller than its
 * bucket array has few entries a bucket, so the walk counts both.
 */
#define SG_EARLY_DROP_BUCKETS	256
#define SG_EARLY_DROP_ENTRIES	16

/*
 * Make room for a new entry hashed to @hash: remove one evictable entry
 * from its bucket or the next ones, as conntrack's early_drop() does,
 * keeping its slot in the count for the new one. Called under RCU.
 */
static bool early_drop(struct sg_net *sn, u32 hash)
{
	struct sg_buckets *bk = sg_htable_cur(&sn->conns.h);
	unsigned int i, b, seen = 0;
	struct sg_conn *c;

	for (i = 0; i < SG_EARLY_DROP_BUCKETS && seen < SG_EARLY_DROP_ENTRIES;
	     i++) {
		b = (hash + i) & bk->mask;
		hlist_for_each_entry_rcu(c, &bk->b[b], node) {
			seen++;
			if (evictable(c) &&
			    sg_conn_unlink(sn, c, b, SG_UNLINK_EVICTED))
				return true;
		}
	}
	return false;
}

static bool reserve(struct sg_net *sn, u32 hash, u32 max)
{
	struct sg_conntable *t = &sn->conns;

	if (atomic_inc_return(&t->count) <= max)
		return true;
	atomic_dec(&t->count);
	/*
	 * The entry given up leaves its slot to the new one: given back to
	 * the table, another CPU could take it first.
	 */
	return early_drop(sn, hash);
}

struct sg_conn *sg_conn_insert(struct sg_net *sn, const struct sg_config *cfg,
			       const struct sg_key *k, u32 hash,
			       const struct sg_tcp *tcp,
			       const struct sg_proxy *px,
			       struct sg_listener *l, bool protected)
{
	struct sg_conntable *t = &sn->conns;
	u32 max = cfg->v[SYNGUARD_KNOB_MAX_CONNS];
	struct mem_cgroup *memcg;
	unsigned int steps;
	struct sg_conn *c;
	spinlock_t *lock;	/* of the bucket */
	enum sg_dir dir;
	int err = -ENOMEM;

	if (!reserve(sn, hash, max))
		return ERR_PTR(-ENOSPC);
	memcg = sg_set_active_memcg(sn->memcg);
	c = kmem_cache_alloc(sg_conn_cache, GFP_ATOMIC);
	sg_set_active_memcg(memcg);
	if (!c)
		goto err_count;
	if (!l || !sg_listener_hold(l))
		l = sg_listener_get(sn, &k->dst, ntohs(k->dport),
				    sg_listener_max(max, protected));
	if (!l) {
		err = -ENOSPC;
		goto err_free;
	}
	c->lst = l;
	c->key = *k;
	spin_lock_init(&c->lock);
	if (px)
		c->px = *px;
	else
		memset(&c->px, 0, sizeof(c->px));
	steps = sg_track_init(&c->tr, tcp);
	c->expires = (u32)(jiffies + state_timeout(cfg, c));
	c->since = (u32)jiffies;
	c->tsval = tcp->has_ts ? tcp->tsval : 0;

	lock = sg_bucket_lock(&t->h, hash);
	spin_lock_bh(lock);
	if (find_locked(t, k, hash, &dir)) {
		spin_unlock_bh(lock);
		sg_listener_put(c->lst);
		kmem_cache_free(sg_conn_cache, c);
		atomic_dec(&t->count);
		return ERR_PTR(-EEXIST);
	}
	account(sn, c, &c->tr, 1);
	if (px) {
		sg_gauge_add(sn, SYNGUARD_CNT_PROXIED, 1);
		atomic_inc(&t->proxied);
	}
	hlist_add_head_rcu(&c->node,
			   sg_bucket(rcu_dereference_protected(t->h.cur, 1),
				     hash));
	atomic_inc(&t->gen);
	spin_unlock_bh(lock);

	sg_count(sn, SYNGUARD_CNT_CONNS_CREATED);
	if (c->tr.seen & SG_SEEN_PICKED_UP)
		sg_count(sn, SYNGUARD_CNT_CONNS_PICKED_UP);
	count_steps(sn, c, steps, SYNGUARD_STATE_NONE);
	return c;

err_free:
	kmem_cache_free(sg_conn_cache, c);
err_count:
	atomic_dec(&t->count);
	return ERR_PTR(err);
}

unsigned int sg_conn_step(struct sg_net *sn, const struct sg_config *cfg,
			  struct sg_conn *c, enum sg_dir dir,
			  const struct sg_tcp *tcp)
{
	unsigned int steps = 0;

	spin_lock_bh(&c->lock);
	if (likely(!sg_conn_dead(c)))
		steps = sg_conn_step_locked(sn, cfg, c, dir, tcp);
	spin_unlock_bh(&c->lock);
	return steps;
}

unsigned int sg_conn_step_locked(struct sg_net *sn, const struct sg_config *cfg,
				 struct sg_conn *c, enum sg_dir dir,
				 const struct sg_tcp *tcp)
{
	struct sg_track old;
	unsigned int steps;

	lockdep_assert_held(&c->lock);
	old = c->tr;
	steps = sg_track_step(&c->tr, dir, tcp);
	/* Sides change only with the state or what was seen. */
	if (old.state != c->tr.state || old.seen != c->tr.seen) {
		if (old.state != c->tr.state ||
		    sg_track_side(&old, SG_DIR_REPLY) !=
		    sg_track_side(&c->tr, SG_DIR_REPLY))
			WRITE_ONCE(c->since, (u32)jiffies);
		account(sn, c, &old, -1);
		account(sn, c, &c->tr, 1);
	}
	/*
	 * Only progress keeps an entry alive: a stray segment must not hold
	 * a time_wait or reset entry open forever.
	 */
	if (old.state != c->tr.state ||
	    (!(steps & (SG_STEP_OUT_OF_STATE | SG_STEP_OUT_OF_WINDOW)) &&
	     c->tr.state != SYNGUARD_STATE_TIME_WAIT &&
	     c->tr.state != SYNGUARD_STATE_CLOSE))
		WRITE_ONCE(c->expires,
			   (u32)(jiffies + state_timeout(cfg, c)));
	if (steps & SG_STEP_OUT_OF_WINDOW)
		net_dbg_ratelimited("synguard: out of window from %s: flags 0x%02x seq %u ack %u len %u win %u; end %u/%u maxend %u/%u maxwin %u/%u wscale 0x%02x\n",
				    dir == SG_DIR_ORIG ? "client" : "server",
				    tcp->flags, tcp->seq, tcp->ack,
				    tcp->payload_len, tcp->window,
				    c->tr.end[0], c->tr.end[1],
				    c->tr.maxend[0], c->tr.maxend[1],
				    c->tr.maxwin[0], c->tr.maxwin[1],
				    c->tr.wscale);
	count_steps(sn, c, steps, old.state);
	check_tw_max(sn, cfg, c, old.state);
	if (dir == SG_DIR_ORIG && tcp->has_ts)
		WRITE_ONCE(c->tsval, tcp->tsval);
	return steps;
}

static void free_conn(struct rcu_head *head)
{
	kmem_cache_free(sg_conn_cache, container_of(head, struct sg_conn, rcu));
}

bool sg_conn_unlink(struct sg_net *sn, struct sg_conn *c, u32 hash,
		    enum sg_unlink_why why)
{
	struct sg_conntable *t = &sn->conns;
	spinlock_t *lock = sg_bucket_lock(&t->h, hash);
	unsigned int state;
	bool sp;

	spin_lock_bh(lock);
	spin_lock(&c->lock);
	if (sg_conn_dead(c)) {
		spin_unlock(&c->lock);
		spin_unlock_bh(lock);
		return false;
	}
	/* Readers on it go on to the next entry; sg_conn_dead() from now. */
	hlist_del_init_rcu(&c->node);
	/* An entry given up for a new one leaves it its slot. */
	if (why != SG_UNLINK_EVICTED)
		atomic_dec(&t->count);
	atomic_inc(&t->gen);
	account(sn, c, &c->tr, -1);
	if (c->px.phase) {
		sg_gauge_add(sn, SYNGUARD_CNT_PROXIED, -1);
		atomic_dec(&t->proxied);
	}
	state = c->tr.state;
	sp = c->px.sp;
	spin_unlock(&c->lock);
	spin_unlock_bh(lock);
	if (sp)
		sg_sp_forget(sn, c);

	if (why == SG_UNLINK_EVICTED)
		sg_count(sn, SYNGUARD_CNT_EARLY_DROPS);
	if (why == SG_UNLINK_EXPIRED) {
		sg_count(sn, SYNGUARD_CNT_CONNS_EXPIRED);
		if (state == SYNGUARD_STATE_SYN_SENT ||
		    state == SYNGUARD_STATE_SYN_RECV) {
			sg_count(sn, SYNGUARD_CNT_HANDSHAKE_TIMEOUTS);
			sg_lc_add(c->lst, SYNGUARD_LC_HANDSHAKE_TIMEOUTS, 1);
		}
	}
	sg_listener_put(c->lst);
	call_rcu(&c->rcu, free_conn);
	return true;
}

void sg_table_full_event(struct sg_net *sn)
{
	/* A flood must not write a shared line per packet. */
	if (test_bit(SG_NET_TABLE_FULL, &sn->flags) ||
	    test_and_set_bit(SG_NET_TABLE_FULL, &sn->flags))
		return;
	sg_event(sn, SYNGUARD_EVENT_TABLE_FULL, NULL);
}

/* Buckets the reaper visits between two chances to reschedule. */
#define SG_REAP_BATCH	1024

void sg_table_reap(struct sg_net *sn, unsigned int first, unsigned int n)
{
	struct sg_buckets *b;
	struct sg_conn *c;
	unsigned int i;

	/* Only the reaper resizes: the array stays while it walks it. */
	rcu_read_lock();
	b = sg_htable_cur(&sn->conns.h);
	for (i = first; i < first + n && i <= b->mask; i++) {
		hlist_for_each_entry_rcu(c, &b->b[i], node) {
			/* What the server's side is needs state and seen. */
			struct sg_track tr = {
				.state = READ_ONCE(c->tr.state),
				.seen = READ_ONCE(c->tr.seen),
			};

			if (sg_conn_expired(c))
				sg_conn_unlink(sn, c, i, SG_UNLINK_EXPIRED);
			else
				sg_listener_sweep_conn(c->lst, &tr,
						       READ_ONCE(c->since));
		}
		if ((i + 1) % SG_REAP_BATCH == 0) {
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
}
