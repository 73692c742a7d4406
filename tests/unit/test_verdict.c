// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict layer: what the hooks do with a packet, decided from facts
 * alone. Every case also goes through the invariants of verdict_check.h.
 */
#include "test.h"
#include "verdict.h"
#include "../verdict_check.h"

static const struct sg_policy enforce_svc = {
	.mode = SYNGUARD_MODE_ENFORCE, .protected = true,
	.cookies = SG_COOKIES_ON_PRESSURE, .syn_backlog = 100,
	.src_backlog = 10, .wscale = 15, .rfc1337 = true, .rfc6191 = true,
};

static const struct sg_policy observe_svc = {
	.mode = SYNGUARD_MODE_OBSERVE, .protected = true,
	.cookies = SG_COOKIES_ON_PRESSURE, .syn_backlog = 100,
	.src_backlog = 10, .wscale = 15, .rfc1337 = true, .rfc6191 = true,
};

static const struct sg_policy unprotected = {
	.mode = SYNGUARD_MODE_OBSERVE, .cookies = SG_COOKIES_ON_PRESSURE,
	.syn_backlog = 100, .src_backlog = 10, .wscale = 15,
};

static const struct sg_syn_facts calm = {
	.listener = true, .half_open = 1, .fill = -1, .src_half_open = 1,
	.table_half_open = 1, .half_open_max = 1000,
};

#define CHECK_VERDICT(pol, v)						\
	do {								\
		const char *why__ = verdict_check((pol), &(v));		\
									\
		if (why__)						\
			test_fail(__FILE__, __LINE__, why__);		\
	} while (0)

#define CHECK_SYN(pol, f, pressure, full, v)				\
	do {								\
		const char *why__ = verdict_check_syn((pol), (f),	\
						      (pressure), (full), &(v)); \
									\
		if (why__)						\
			test_fail(__FILE__, __LINE__, why__);		\
	} while (0)

static void fragments(void)
{
	struct sg_seg_facts first = { .inbound = true, .fragment = true,
				      .first_fragment = true };
	struct sg_seg_facts later = { .inbound = true, .fragment = true };
	struct sg_verdict v;

	/* The first part of a fragmented SYN never reaches a server. */
	v = sg_verdict_segment(&enforce_svc, &first);
	CHECK_VERDICT(&enforce_svc, v);
	CHECK_EQ(SG_ACT_DROP, v.act);
	CHECK_EQ(SYNGUARD_CNT_FRAGMENT_DROPPED, v.count[0]);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_FRAGMENTS));

	v = sg_verdict_segment(&observe_svc, &first);
	CHECK_VERDICT(&observe_svc, v);
	CHECK_EQ(SG_ACT_PASS, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_WOULD_DROP));

	/* The rest cannot reassemble without it. */
	v = sg_verdict_segment(&enforce_svc, &later);
	CHECK_EQ(SG_ACT_PASS, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_FRAGMENTS));

	v = sg_verdict_segment(&unprotected, &first);
	CHECK_EQ(SG_ACT_PASS, v.act);
	CHECK(!verdict_counts(&v, SYNGUARD_CNT_FRAGMENT_DROPPED));
}

static void segment_rules(void)
{
	struct sg_seg_facts mapped = { .inbound = true, .v4mapped = true };
	struct sg_seg_facts bad_doff = { .inbound = true,
					 .parse = SG_PARSE_BAD_DOFF };
	struct sg_seg_facts sum = { .inbound = true, .bad_checksum = true };
	struct sg_seg_facts xmas = { .inbound = true, .flags = SG_FLAGS_XMAS };
	struct sg_seg_facts odd = { .inbound = true, .opt_odd = true };
	struct sg_verdict v;

	v = sg_verdict_segment(&enforce_svc, &mapped);
	CHECK_VERDICT(&enforce_svc, v);
	CHECK_EQ(SG_ACT_DROP, v.act);
	CHECK_EQ(SYNGUARD_CNT_V4MAPPED, v.count[0]);
	v = sg_verdict_segment(&unprotected, &mapped);
	CHECK_VERDICT(&unprotected, v);
	CHECK_EQ(SG_ACT_DROP, v.act);
	CHECK_EQ(SYNGUARD_CNT_V4MAPPED, v.count[0]);

	v = sg_verdict_segment(&enforce_svc, &bad_doff);
	CHECK_EQ(SG_ACT_DROP, v.act);
	CHECK_EQ(SYNGUARD_CNT_MALFORMED, v.count[0]);

	v = sg_verdict_segment(&enforce_svc, &sum);
	CHECK_EQ(SG_ACT_PASS, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_BAD_CHECKSUM));

	v = sg_verdict_segment(&observe_svc, &xmas);
	CHECK_VERDICT(&observe_svc, v);
	CHECK_EQ(SG_ACT_PASS, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_INVALID_FLAGS));
	CHECK(verdict_counts(&v, SYNGUARD_CNT_INVALID_XMAS));
	CHECK(verdict_counts(&v, SYNGUARD_CNT_WOULD_DROP));

	/* Options Linux tolerates: counted, and the segment goes on. */
	v = sg_verdict_segment(&enforce_svc, &odd);
	CHECK_EQ(SG_ACT_TRACK, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_BAD_OPTIONS));
}

static void entries(void)
{
	struct sg_entry_facts tw_rst = { .state = SYNGUARD_STATE_TIME_WAIT,
					 .seg = SG_SEG_RST };
	struct sg_entry_facts tw_old_syn = { .state = SYNGUARD_STATE_TIME_WAIT,
					     .seg = SG_SEG_SYN };
	struct sg_entry_facts tw_new_syn = { .state = SYNGUARD_STATE_TIME_WAIT,
					     .seg = SG_SEG_SYN,
					     .may_reopen = true };
	struct sg_entry_facts closed = { .state = SYNGUARD_STATE_CLOSE,
					 .seg = SG_SEG_SYN };
	struct sg_entry_facts pickup = { .state = SYNGUARD_STATE_ESTABLISHED,
					 .seg = SG_SEG_SYN, .unassured = true };
	struct sg_entry_facts live = { .state = SYNGUARD_STATE_ESTABLISHED,
				       .seg = SG_SEG_SYN };
	struct sg_verdict v;

	v = sg_verdict_entry(&enforce_svc, &tw_rst);
	CHECK_VERDICT(&enforce_svc, v);
	CHECK_EQ(SG_ACT_DROP, v.act);
	CHECK_EQ(SYNGUARD_CNT_TW_RST_DROPPED, v.count[0]);

	v = sg_verdict_entry(&enforce_svc, &tw_old_syn);
	CHECK_EQ(SG_ACT_DROP, v.act);
	CHECK_EQ(SYNGUARD_CNT_TW_SYN_DROPPED, v.count[0]);
	v = sg_verdict_entry(&observe_svc, &tw_old_syn);
	CHECK_VERDICT(&observe_svc, v);
	CHECK_EQ(SG_ACT_REOPEN, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_TW_REUSED));

	v = sg_verdict_entry(&enforce_svc, &tw_new_syn);
	CHECK_EQ(SG_ACT_REOPEN, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_TW_REUSED));

	v = sg_verdict_entry(&enforce_svc, &closed);
	CHECK_EQ(SG_ACT_REOPEN, v.act);

	/* A SYN on a tuple spoofed ACKs made meets the SYN policy. */
	v = sg_verdict_entry(&enforce_svc, &pickup);
	CHECK_EQ(SG_ACT_REOPEN, v.act);
	v = sg_verdict_entry(&unprotected, &pickup);
	CHECK_EQ(SG_ACT_TRACK, v.act);

	v = sg_verdict_entry(&enforce_svc, &live);
	CHECK_EQ(SG_ACT_TRACK, v.act);
}

static void pressure_hysteresis(void)
{
	struct sg_policy always = enforce_svc;
	struct sg_syn_facts f = calm;

	f.half_open = 99;
	CHECK(!sg_pressure(&enforce_svc, &f));
	f.half_open = 100;
	CHECK(sg_pressure(&enforce_svc, &f));
	f.cookies_on = true;
	f.half_open = 51;
	CHECK(sg_pressure(&enforce_svc, &f));
	f.half_open = 50;
	CHECK(!sg_pressure(&enforce_svc, &f));
	f.fill = SG_FILL_OFF + 1;
	CHECK(sg_pressure(&enforce_svc, &f));
	f.cookies_on = false;
	CHECK(!sg_pressure(&enforce_svc, &f));
	f.fill = SG_FILL_ON;
	CHECK(sg_pressure(&enforce_svc, &f));

	always.cookies = SG_COOKIES_ALWAYS;
	CHECK(sg_pressure(&always, &calm));
	CHECK(!sg_pressure_needs_fill(&always));
	CHECK(sg_pressure_needs_fill(&enforce_svc));
}

static void syns(void)
{
	struct sg_policy never = enforce_svc, always = enforce_svc;
	struct sg_syn_facts f = calm, orphaned = calm;
	struct sg_verdict v;

	never.cookies = SG_COOKIES_NEVER;
	always.cookies = SG_COOKIES_ALWAYS;

	v = sg_verdict_syn(&enforce_svc, &f, false, false);
	CHECK_SYN(&enforce_svc, &f, false, false, v);
	CHECK_EQ(SG_ACT_TRACK, v.act);

	v = sg_verdict_syn(&enforce_svc, &f, true, false);
	CHECK_SYN(&enforce_svc, &f, true, false, v);
	CHECK_EQ(SG_ACT_COOKIE, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_LIMIT_LISTENER));

	v = sg_verdict_syn(&never, &f, true, false);
	CHECK_SYN(&never, &f, true, false, v);
	CHECK_EQ(SG_ACT_DROP, v.act);
	CHECK_EQ(SYNGUARD_CNT_SYN_DROPPED, v.count[0]);

	/* cookies=2 is policy: no limit was hit. */
	v = sg_verdict_syn(&always, &f, true, false);
	CHECK_EQ(SG_ACT_COOKIE, v.act);
	CHECK(!verdict_counts(&v, SYNGUARD_CNT_LIMIT_LISTENER));

	f.src_half_open = 10;
	v = sg_verdict_syn(&enforce_svc, &f, false, false);
	CHECK_EQ(SG_ACT_COOKIE, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_LIMIT_SOURCE));
	f = calm;
	f.table_half_open = 1000;
	v = sg_verdict_syn(&enforce_svc, &f, false, false);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_LIMIT_TABLE));

	/* A cookie needs no room: neither a listener record nor an entry. */
	orphaned.listener = false;
	v = sg_verdict_syn(&enforce_svc, &orphaned, false, false);
	CHECK_SYN(&enforce_svc, &orphaned, false, false, v);
	CHECK_EQ(SG_ACT_COOKIE, v.act);
	v = sg_verdict_syn(&enforce_svc, &calm, false, true);
	CHECK_SYN(&enforce_svc, &calm, false, true, v);
	CHECK_EQ(SG_ACT_COOKIE, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_TABLE_FULL));

	/* Observe: counted, tracked, never dropped. */
	v = sg_verdict_syn(&observe_svc, &calm, true, false);
	CHECK_SYN(&observe_svc, &calm, true, false, v);
	CHECK_EQ(SG_ACT_TRACK, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_WOULD_DROP));
	v = sg_verdict_syn(&observe_svc, &calm, true, true);
	CHECK_EQ(SG_ACT_PASS, v.act);

	v = sg_verdict_syn(&unprotected, &calm, false, true);
	CHECK_EQ(SG_ACT_PASS, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_TABLE_FULL));
}

static void orphans(void)
{
	struct sg_orphan_facts ack = { .seg = SG_SEG_ACK, .pure_ack = true };
	struct sg_orphan_facts rst = { .seg = SG_SEG_RST };
	struct sg_policy grace = enforce_svc, never = enforce_svc;
	struct sg_policy always = enforce_svc;
	struct sg_verdict v;

	never.cookies = SG_COOKIES_NEVER;
	always.cookies = SG_COOKIES_ALWAYS;
	/* No cookie was sent lately: the ACK is never checked as one. */
	v = sg_verdict_orphan(&enforce_svc, &ack);
	CHECK_VERDICT(&enforce_svc, v);
	CHECK_EQ(SG_ACT_DROP, v.act);
	CHECK_EQ(SYNGUARD_CNT_NO_CONN, v.count[0]);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_COOKIES_UNEXPECTED));

	/* A twin sharing the secret may have sent it; not with cookies=0. */
	ack.shared_secret = true;
	v = sg_verdict_orphan(&enforce_svc, &ack);
	CHECK_EQ(SG_ACT_CHECK_COOKIE, v.act);
	v = sg_verdict_orphan(&never, &ack);
	CHECK_EQ(SG_ACT_DROP, v.act);
	ack.shared_secret = false;
	v = sg_verdict_orphan(&always, &ack);
	CHECK_EQ(SG_ACT_CHECK_COOKIE, v.act);

	ack.cookies_recent = true;
	v = sg_verdict_orphan(&enforce_svc, &ack);
	CHECK_EQ(SG_ACT_CHECK_COOKIE, v.act);
	ack.cookie_checked = true;
	v = sg_verdict_orphan(&enforce_svc, &ack);
	CHECK_VERDICT(&enforce_svc, v);
	CHECK_EQ(SG_ACT_DROP, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_COOKIES_INVALID));

	/* An older local connection keeps working. */
	ack.local_socket = true;
	v = sg_verdict_orphan(&enforce_svc, &ack);
	CHECK_EQ(SG_ACT_TRACK, v.act);

	/* A forwarded one is picked up during the grace; a local one not. */
	grace.in_grace = true;
	ack.local_socket = false;
	v = sg_verdict_orphan(&grace, &ack);
	CHECK_EQ(SG_ACT_TRACK, v.act);
	ack.local_listener = true;
	v = sg_verdict_orphan(&grace, &ack);
	CHECK_EQ(SG_ACT_DROP, v.act);

	/*
	 * A pick-up that found no room: a protected one is dropped, never
	 * passed to a server that would reset the client.
	 */
	ack.local_listener = false;
	ack.table_full = true;
	v = sg_verdict_orphan(&grace, &ack);
	CHECK_VERDICT(&grace, v);
	CHECK_EQ(SG_ACT_DROP, v.act);
	CHECK_EQ(SYNGUARD_CNT_TABLE_FULL, v.count[0]);
	v = sg_verdict_orphan(&unprotected, &ack);
	CHECK_EQ(SG_ACT_PASS, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_TABLE_FULL));
	ack.table_full = false;

	/* RSTs and SYN-ACKs are never worth an entry. */
	v = sg_verdict_orphan(&unprotected, &rst);
	CHECK_EQ(SG_ACT_PASS, v.act);
	v = sg_verdict_orphan(&observe_svc, &rst);
	CHECK_VERDICT(&observe_svc, v);
	CHECK_EQ(SG_ACT_PASS, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_NO_CONN));
}

static void steps(void)
{
	struct sg_verdict v;

	v = sg_verdict_step(&enforce_svc, SG_STEP_OUT_OF_WINDOW, SG_SEG_RST);
	CHECK_VERDICT(&enforce_svc, v);
	CHECK_EQ(SG_ACT_DROP, v.act);
	CHECK_EQ(SYNGUARD_CNT_RST_OUT_OF_WINDOW, v.count[0]);
	v = sg_verdict_step(&unprotected, SG_STEP_OUT_OF_WINDOW, SG_SEG_ACK);
	CHECK_EQ(SG_ACT_PASS, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_OUT_OF_WINDOW));
	/* A SYN on a live connection is not a way in. */
	v = sg_verdict_step(&enforce_svc, SG_STEP_OUT_OF_STATE, SG_SEG_SYN);
	CHECK_EQ(SG_ACT_DROP, v.act);
	CHECK_EQ(SYNGUARD_CNT_OUT_OF_STATE, v.count[0]);
	v = sg_verdict_step(&enforce_svc, SG_STEP_OUT_OF_STATE, SG_SEG_ACK);
	CHECK_EQ(SG_ACT_PASS, v.act);
	CHECK(verdict_counts(&v, SYNGUARD_CNT_OUT_OF_STATE));
	v = sg_verdict_step(&enforce_svc, SG_STEP_HANDSHAKE, SG_SEG_ACK);
	CHECK_EQ(SG_ACT_PASS, v.act);
	CHECK_EQ(SG_NO_COUNTER, v.count[0]);
}

/*
 * A SYN-ACK is made from the SYN only where turning the frame around is
 * the right reply: every fact that rules it out, in every mode.
 */
static void inplace(void)
{
	const struct sg_inplace_facts ok = {
		.ingress = true, .ether = true, .plain = true,
	};
	struct sg_inplace_facts f;
	unsigned int i;
	u32 mode;

	for (mode = 0; mode <= 2; mode++) {
		f = ok;
		f.mode = mode;
		CHECK_EQ(mode == 0 ? SG_INPLACE_NO : mode == 1 ?
			 SG_INPLACE_IF_ROUTED : SG_INPLACE_YES,
			 sg_verdict_inplace(&f));
		for (i = 0; i < 5; i++) {
			f = ok;
			f.mode = mode;
			f.ingress = i != 0;
			f.ether = i != 1;
			f.plain = i != 2;
			f.l3mdev = i == 3;
			f.ipsec = i == 4;
			CHECK_EQ(SG_INPLACE_NO, sg_verdict_inplace(&f));
		}
	}
}

const struct test_case verdict_tests[] = {
	TEST_CASE(fragments),
	TEST_CASE(segment_rules),
	TEST_CASE(entries),
	TEST_CASE(pressure_hysteresis),
	TEST_CASE(syns),
	TEST_CASE(orphans),
	TEST_CASE(steps),
	TEST_CASE(inplace),
	{}
};
