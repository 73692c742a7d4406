// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict layer on arbitrary facts. Each input is a policy and the
 * facts of each kind of decision, read from the fuzzer's bytes; every
 * answer must satisfy the invariants of tests/verdict_check.h: observe
 * never drops, a drop names its reason first and is counted in dropped,
 * a protected SYN past a limit in mode enforce is answered with a cookie
 * or dropped and never tracked or passed, and a full table never tracks.
 */
#include "verdict.h"
#include "state.h"
#include "fuzz.h"
#include "../verdict_check.h"

static void fuzz_policy(struct fuzz_in *in, struct sg_policy *pol)
{
	u8 bits = fuzz_u8(in);

	pol->mode = fuzz_u8(in) % __SYNGUARD_MODE_MAX;
	/* Mode off never reaches the hooks' decisions. */
	if (pol->mode == SYNGUARD_MODE_OFF)
		pol->mode = SYNGUARD_MODE_OBSERVE;
	pol->cookies = fuzz_u8(in) % 3;
	pol->syn_backlog = 1 + fuzz_be16(in);
	pol->src_backlog = 1 + fuzz_be16(in);
	pol->protected = bits & 1;
	pol->rfc1337 = bits & 2;
	pol->rfc6191 = bits & 4;
	pol->in_grace = bits & 8;
	/* Only a service can protect in mode observe. */
	if (pol->mode == SYNGUARD_MODE_ENFORCE && !(bits & 16))
		pol->protected = true;
}

static void check(const char *why)
{
	if (why) {
		fprintf(stderr, "verdict invariant: %s\n", why);
		abort();
	}
}

static void fuzz_segment(struct fuzz_in *in, const struct sg_policy *pol)
{
	u8 bits = fuzz_u8(in);
	struct sg_seg_facts f = {
		.inbound = bits & 1,
		.fragment = bits & 2,
		.first_fragment = bits & 4,
		.v4mapped = bits & 8,
		.bad_checksum = bits & 16,
		.opt_odd = bits & 32,
		.parse = fuzz_u8(in) % 3,
		.flags = fuzz_u8(in) % (SG_FLAGS_OTHER + 1),
	};
	struct sg_verdict v = sg_verdict_segment(pol, &f);

	check(verdict_check(pol, &v));
	FUZZ_CHECK(v.act == SG_ACT_PASS || v.act == SG_ACT_TRACK ||
		   v.act == SG_ACT_DROP);
	/* Nothing unreadable or broken is ever tracked. */
	if (v.act == SG_ACT_TRACK)
		FUZZ_CHECK(!f.fragment && !f.v4mapped &&
			   f.parse == SG_PARSE_OK && f.flags == SG_FLAGS_OK &&
			   !(f.inbound && f.bad_checksum));
	if (f.fragment && f.first_fragment && f.inbound && pol->protected &&
	    pol->mode == SYNGUARD_MODE_ENFORCE)
		FUZZ_CHECK(v.act == SG_ACT_DROP);
}

static void fuzz_entry(struct fuzz_in *in, const struct sg_policy *pol)
{
	u8 bits = fuzz_u8(in);
	struct sg_entry_facts f = {
		.state = fuzz_u8(in) % __SYNGUARD_STATE_MAX,
		.unassured = bits & 1,
		.proxied = bits & 2,
		.may_reopen = bits & 4,
		.seg = fuzz_u8(in) % (SG_SEG_INVALID + 1),
	};
	struct sg_verdict v = sg_verdict_entry(pol, &f);

	check(verdict_check(pol, &v));
	if (v.act == SG_ACT_REOPEN)
		FUZZ_CHECK(f.seg == SG_SEG_SYN);
}

static void fuzz_syn(struct fuzz_in *in, const struct sg_policy *pol)
{
	u8 bits = fuzz_u8(in);
	struct sg_syn_facts f = {
		.listener = bits & 1,
		.cookies_on = bits & 2,
		.half_open = fuzz_be16(in),
		.fill = (int)(fuzz_u8(in) % 102) - 1,
		.src_half_open = fuzz_be16(in),
		.table_half_open = fuzz_be16(in),
		.half_open_max = 1 + fuzz_be16(in),
	};
	bool full = bits & 4;
	bool pressure = sg_pressure(pol, &f);
	struct sg_verdict v = sg_verdict_syn(pol, &f, pressure, full);

	check(verdict_check_syn(pol, &f, pressure, full, &v));
	if (pol->cookies == SG_COOKIES_ALWAYS)
		FUZZ_CHECK(pressure);
}

static void fuzz_orphan(struct fuzz_in *in, const struct sg_policy *pol)
{
	u8 bits = fuzz_u8(in);
	struct sg_orphan_facts f = {
		.seg = fuzz_u8(in) % (SG_SEG_INVALID + 1),
		.pure_ack = bits & 1,
		.cookies_recent = bits & 2,
		.cookie_checked = bits & 4,
		.local_socket = bits & 8,
		.local_listener = bits & 16,
		.table_full = bits & 32,
		.shared_secret = bits & 64,
	};
	struct sg_verdict v = sg_verdict_orphan(pol, &f);

	check(verdict_check(pol, &v));
	/* Cookies are checked only where they were sent lately. */
	if (v.act == SG_ACT_CHECK_COOKIE)
		FUZZ_CHECK((f.cookies_recent ||
			    pol->cookies == SG_COOKIES_ALWAYS ||
			    (f.shared_secret &&
			     pol->cookies != SG_COOKIES_NEVER)) &&
			   f.pure_ack && !f.cookie_checked &&
			   pol->mode == SYNGUARD_MODE_ENFORCE);
	/* Only what may belong to a connection is picked up, and not twice. */
	if (v.act == SG_ACT_TRACK)
		FUZZ_CHECK(f.seg == SG_SEG_ACK && !f.table_full);
	/* A protected segment with no room never passes in mode enforce. */
	if (f.table_full && pol->protected &&
	    pol->mode == SYNGUARD_MODE_ENFORCE)
		FUZZ_CHECK(v.act == SG_ACT_DROP);
}

static void fuzz_step(struct fuzz_in *in, const struct sg_policy *pol)
{
	unsigned int steps = fuzz_u8(in) & 0x3f;
	enum sg_seg_class seg = fuzz_u8(in) % (SG_SEG_INVALID + 1);
	struct sg_verdict v = sg_verdict_step(pol, steps, seg);

	check(verdict_check(pol, &v));
	if (v.act == SG_ACT_DROP)
		FUZZ_CHECK(steps & (SG_STEP_OUT_OF_WINDOW |
				    SG_STEP_OUT_OF_STATE));
}

int fuzz_one(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct sg_policy pol = {};

	fuzz_policy(&in, &pol);
	fuzz_segment(&in, &pol);
	fuzz_entry(&in, &pol);
	fuzz_syn(&in, &pol);
	fuzz_orphan(&in, &pol);
	fuzz_step(&in, &pol);
	return 0;
}
