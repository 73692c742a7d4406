// SPDX-License-Identifier: GPL-2.0
/*
 * What to do with a packet, decided from facts the hooks gathered. See
 * verdict.h for the contract and the invariants the tests check.
 *
 * One rule runs through all of it, refuse(): a packet that breaks a rule
 * is dropped only where synguard enforces (the destination's mode is
 * enforce); elsewhere it is counted, and where a service would have
 * dropped it in mode enforce, also counted in would_drop.
 */
#include "verdict.h"
#include "state.h"

static struct sg_verdict act(enum sg_act a)
{
	struct sg_verdict v = { .act = a };
	unsigned int i;

	for (i = 0; i < SG_VERDICT_COUNTS; i++)
		v.count[i] = SG_NO_COUNTER;
	return v;
}

static void count(struct sg_verdict *v, enum synguard_counter c)
{
	unsigned int i;

	for (i = 0; i < SG_VERDICT_COUNTS; i++) {
		if (v->count[i] == SG_NO_COUNTER) {
			v->count[i] = c;
			return;
		}
	}
}

/* Count @c ahead of what is counted already: a drop's reason goes first. */
static void count_first(struct sg_verdict *v, enum synguard_counter c)
{
	unsigned int i;

	for (i = SG_VERDICT_COUNTS - 1; i > 0; i--)
		v->count[i] = v->count[i - 1];
	v->count[0] = c;
}

/* Drop for @reason when enforcing; else count it and go on with @a. */
static struct sg_verdict refuse(const struct sg_policy *pol,
				enum synguard_counter reason, enum sg_act a,
				struct sg_verdict v)
{
	if (pol->mode == SYNGUARD_MODE_ENFORCE) {
		v.act = SG_ACT_DROP;
		count(&v, SYNGUARD_CNT_DROPPED);
		count_first(&v, reason);
		return v;
	}
	v.act = a;
	count(&v, reason);
	if (pol->protected)
		count(&v, SYNGUARD_CNT_WOULD_DROP);
	return v;
}

static const u8 flags_counter[] = {
	[SG_FLAGS_SYN_FIN] = SYNGUARD_CNT_INVALID_SYN_FIN,
	[SG_FLAGS_SYN_RST] = SYNGUARD_CNT_INVALID_SYN_RST,
	[SG_FLAGS_FIN_NOACK] = SYNGUARD_CNT_INVALID_FIN_NOACK,
	[SG_FLAGS_NULL] = SYNGUARD_CNT_INVALID_NULL,
	[SG_FLAGS_XMAS] = SYNGUARD_CNT_INVALID_XMAS,
	[SG_FLAGS_OTHER] = SYNGUARD_CNT_INVALID_OTHER,
};

struct sg_verdict sg_verdict_segment(const struct sg_policy *pol,
				     const struct sg_seg_facts *f)
{
	struct sg_verdict v = act(SG_ACT_PASS);

	/*
	 * A fragment cannot be judged before reassembly. Its first part
	 * carries the ports: for a protected destination it is refused,
	 * and the rest of the datagram never reassembles without it.
	 */
	if (f->fragment) {
		count(&v, SYNGUARD_CNT_FRAGMENTS);
		if (f->inbound && f->first_fragment && pol->protected)
			return refuse(pol, SYNGUARD_CNT_FRAGMENT_DROPPED,
				      SG_ACT_PASS, v);
		return v;
	}
	/*
	 * Linux never takes these for IPv4 nor accepts them for TCP (RFC
	 * 4291 2.5.5.2): answering one would reflect IPv4 traffic at an
	 * address of the sender's choosing. The one drop even observe makes.
	 */
	if (f->v4mapped) {
		v.act = SG_ACT_DROP;
		count(&v, SYNGUARD_CNT_V4MAPPED);
		count(&v, SYNGUARD_CNT_DROPPED);
		return v;
	}
	if (f->parse != SG_PARSE_OK)
		return refuse(pol, SYNGUARD_CNT_MALFORMED, SG_ACT_PASS, v);
	if (f->inbound && f->bad_checksum) {
		count(&v, SYNGUARD_CNT_BAD_CHECKSUM);
		return v;
	}
	if (f->flags != SG_FLAGS_OK && f->flags < ARRAY_SIZE(flags_counter)) {
		count(&v, SYNGUARD_CNT_INVALID_FLAGS);
		return refuse(pol, flags_counter[f->flags], SG_ACT_PASS, v);
	}
	v.act = SG_ACT_TRACK;
	if (f->opt_odd)
		count(&v, SYNGUARD_CNT_BAD_OPTIONS);
	return v;
}

struct sg_verdict sg_verdict_entry(const struct sg_policy *pol,
				   const struct sg_entry_facts *f)
{
	struct sg_verdict v = act(SG_ACT_TRACK);

	if (f->state == SYNGUARD_STATE_TIME_WAIT && f->seg == SG_SEG_RST &&
	    pol->protected && pol->rfc1337)
		return refuse(pol, SYNGUARD_CNT_TW_RST_DROPPED, SG_ACT_TRACK,
			      v);
	if (f->seg != SG_SEG_SYN)
		return v;
	switch (f->state) {
	case SYNGUARD_STATE_TIME_WAIT:
		if (pol->protected && pol->rfc6191 && !f->may_reopen) {
			v = refuse(pol, SYNGUARD_CNT_TW_SYN_DROPPED,
				   SG_ACT_REOPEN, v);
			if (v.act == SG_ACT_DROP)
				return v;
		}
		v.act = SG_ACT_REOPEN;
		count(&v, SYNGUARD_CNT_TW_REUSED);
		return v;
	case SYNGUARD_STATE_CLOSE:
		v.act = SG_ACT_REOPEN;
		return v;
	default:
		/*
		 * An entry nobody answered from the other side proves
		 * nothing: a SYN on its tuple meets the SYN policy like any.
		 */
		if (pol->protected && f->unassured && !f->proxied)
			v.act = SG_ACT_REOPEN;
		return v;
	}
}

bool sg_pressure(const struct sg_policy *pol, const struct sg_syn_facts *f)
{
	if (pol->cookies == SG_COOKIES_ALWAYS)
		return true;
	if (f->cookies_on)
		return f->half_open > pol->syn_backlog / 2 ||
		       f->fill > SG_FILL_OFF;
	return f->half_open >= pol->syn_backlog || f->fill >= SG_FILL_ON;
}

struct sg_verdict sg_verdict_syn(const struct sg_policy *pol,
				 const struct sg_syn_facts *f, bool pressure,
				 bool table_full)
{
	struct sg_verdict v = act(SG_ACT_TRACK);
	int limit;

	if (!pol->protected) {
		if (table_full) {
			v.act = SG_ACT_PASS;
			count(&v, SYNGUARD_CNT_TABLE_FULL);
		}
		return v;
	}
	if (!f->listener)
		limit = SYNGUARD_CNT_LIMIT_TABLE;
	else if (pressure)
		limit = SYNGUARD_CNT_LIMIT_LISTENER;
	else if (f->src_half_open >= pol->src_backlog)
		limit = SYNGUARD_CNT_LIMIT_SOURCE;
	else if (f->table_half_open >= f->half_open_max)
		limit = SYNGUARD_CNT_LIMIT_TABLE;
	else if (table_full)
		limit = SYNGUARD_CNT_TABLE_FULL;
	else
		return v;

	if (pol->mode != SYNGUARD_MODE_ENFORCE) {
		v.act = table_full ? SG_ACT_PASS : SG_ACT_TRACK;
		count(&v, SYNGUARD_CNT_WOULD_DROP);
	} else if (pol->cookies == SG_COOKIES_NEVER) {
		v.act = SG_ACT_DROP;
		count(&v, SYNGUARD_CNT_SYN_DROPPED);
		count(&v, SYNGUARD_CNT_DROPPED);
	} else {
		v.act = SG_ACT_COOKIE;
	}
	/* cookies=2 answers every SYN: that is policy, not a limit hit. */
	if (pol->cookies != SG_COOKIES_ALWAYS ||
	    limit != SYNGUARD_CNT_LIMIT_LISTENER)
		count(&v, limit);
	return v;
}

struct sg_verdict sg_verdict_orphan(const struct sg_policy *pol,
				    const struct sg_orphan_facts *f)
{
	/* A RST or SYN-ACK for a connection never seen is worth no entry. */
	enum sg_act pick_up = f->seg == SG_SEG_ACK ? SG_ACT_TRACK :
						     SG_ACT_PASS;
	struct sg_verdict v = act(pick_up);

	if (!pol->protected) {
		if (f->table_full) {
			v.act = SG_ACT_PASS;
			count(&v, SYNGUARD_CNT_TABLE_FULL);
		}
		return v;
	}
	/*
	 * A protected connection's segment that could not be picked up
	 * would reach a server that may not know it, which answers with a
	 * RST: a cookie client whose first ACK found the table full would
	 * be reset, where dropped it sends that ACK again.
	 */
	if (f->table_full)
		return refuse(pol, SYNGUARD_CNT_TABLE_FULL, SG_ACT_PASS, v);
	/*
	 * Only a listener that sent cookies lately, or answers every SYN
	 * with one, can get one back; with a shared secret, one that may
	 * answer with cookies, as its twins may have. Any other ACK is
	 * never validated, so a blind guess has no chance.
	 */
	if (f->pure_ack && pol->mode == SYNGUARD_MODE_ENFORCE &&
	    !f->cookie_checked) {
		if (f->cookies_recent || pol->cookies == SG_COOKIES_ALWAYS ||
		    (f->shared_secret && pol->cookies != SG_COOKIES_NEVER)) {
			v.act = SG_ACT_CHECK_COOKIE;
			return v;
		}
		count(&v, SYNGUARD_CNT_COOKIES_UNEXPECTED);
	}
	if (f->cookie_checked)
		count(&v, SYNGUARD_CNT_COOKIES_INVALID);
	/*
	 * Connections that predate the service or the module keep working:
	 * a local one has its socket. A forwarded one is picked up during
	 * pickup_grace; not a local one, whose socket would answer with a
	 * RST: a cookie client's later segment arriving before its first
	 * (which alone can carry the cookie) would be reset, where dropped
	 * it is retransmitted in order.
	 */
	if (f->local_socket || (pol->in_grace && !f->local_listener))
		return v;
	return refuse(pol, SYNGUARD_CNT_NO_CONN, pick_up, v);
}

struct sg_verdict sg_verdict_step(const struct sg_policy *pol,
				  unsigned int steps, enum sg_seg_class seg)
{
	struct sg_verdict v = act(SG_ACT_PASS);
	enum synguard_counter why = seg == SG_SEG_RST ?
				    SYNGUARD_CNT_RST_OUT_OF_WINDOW :
				    SYNGUARD_CNT_OUT_OF_WINDOW;

	if (steps & SG_STEP_OUT_OF_WINDOW) {
		if (!pol->protected) {
			count(&v, why);
			return v;
		}
		return refuse(pol, why, SG_ACT_PASS, v);
	}
	if (!(steps & SG_STEP_OUT_OF_STATE))
		return v;
	/* A SYN on a live connection must not pass for a new one. */
	if (seg == SG_SEG_SYN && pol->protected)
		return refuse(pol, SYNGUARD_CNT_OUT_OF_STATE, SG_ACT_PASS, v);
	count(&v, SYNGUARD_CNT_OUT_OF_STATE);
	return v;
}

enum sg_inplace sg_verdict_inplace(const struct sg_inplace_facts *f)
{
	/*
	 * The reply can only be the SYN turned around where it came in on
	 * an Ethernet link, from a device whose routing synguard does not
	 * have to second-guess: a VRF picks its own table, IPsec its own
	 * path, and IP options or extension headers would need rewriting.
	 */
	if (!f->mode || !f->ingress || !f->ether || !f->plain || f->l3mdev ||
	    f->ipsec)
		return SG_INPLACE_NO;
	return f->mode == 1 ? SG_INPLACE_IF_ROUTED : SG_INPLACE_YES;
}
