/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The invariants every verdict must satisfy, shared by the unit tests
 * and the fuzzer (see kmod/verdict.h). Each returns NULL when it holds,
 * else what broke.
 */
#ifndef _SG_VERDICT_CHECK_H
#define _SG_VERDICT_CHECK_H

#include "verdict.h"

static inline bool verdict_counts(const struct sg_verdict *v, int c)
{
	unsigned int i;

	for (i = 0; i < SG_VERDICT_COUNTS; i++)
		if (v->count[i] == c)
			return true;
	return false;
}

/* What must hold of any verdict under any policy. */
static inline const char *verdict_check(const struct sg_policy *pol,
					const struct sg_verdict *v)
{
	unsigned int i, j;

	if (v->act > SG_ACT_REOPEN)
		return "unknown act";
	for (i = 0; i < SG_VERDICT_COUNTS; i++) {
		if (v->count[i] == SG_NO_COUNTER)
			continue;
		if (v->count[i] < 0 || v->count[i] >= __SYNGUARD_CNT_MAX)
			return "a counter out of the table";
		for (j = i + 1; j < SG_VERDICT_COUNTS; j++)
			if (v->count[j] == v->count[i])
				return "a counter named twice";
	}
	if (v->act == SG_ACT_DROP) {
		if (pol->mode != SYNGUARD_MODE_ENFORCE &&
		    v->count[0] != SYNGUARD_CNT_V4MAPPED)
			return "a drop outside mode enforce";
		if (v->count[0] == SG_NO_COUNTER ||
		    v->count[0] == SYNGUARD_CNT_DROPPED ||
		    v->count[0] == SYNGUARD_CNT_INVALID_FLAGS ||
		    v->count[0] == SYNGUARD_CNT_FRAGMENTS ||
		    v->count[0] == SYNGUARD_CNT_COOKIES_UNEXPECTED ||
		    v->count[0] == SYNGUARD_CNT_COOKIES_INVALID)
			return "a drop without its reason first";
		if (!verdict_counts(v, SYNGUARD_CNT_DROPPED))
			return "a drop not counted in dropped";
	} else if (verdict_counts(v, SYNGUARD_CNT_DROPPED)) {
		return "dropped counted without a drop";
	}
	if (verdict_counts(v, SYNGUARD_CNT_WOULD_DROP) &&
	    (!pol->protected || pol->mode == SYNGUARD_MODE_ENFORCE))
		return "would_drop where nothing is observed";
	return NULL;
}

/* Whether a pure SYN to a protected service is past one of its limits. */
static inline bool syn_past_limit(const struct sg_policy *pol,
				  const struct sg_syn_facts *f, bool pressure,
				  bool table_full)
{
	return !f->listener || pressure ||
	       f->src_half_open >= pol->src_backlog ||
	       f->table_half_open >= f->half_open_max || table_full;
}

/* What must hold of sg_verdict_syn()'s answer besides. */
static inline const char *verdict_check_syn(const struct sg_policy *pol,
					    const struct sg_syn_facts *f,
					    bool pressure, bool table_full,
					    const struct sg_verdict *v)
{
	const char *why = verdict_check(pol, v);

	if (why)
		return why;
	if (v->act != SG_ACT_TRACK && v->act != SG_ACT_PASS &&
	    v->act != SG_ACT_COOKIE && v->act != SG_ACT_DROP)
		return "a SYN neither tracked, passed, answered nor dropped";
	if (table_full && v->act == SG_ACT_TRACK)
		return "tracked with no room";
	if (v->act == SG_ACT_COOKIE &&
	    (!pol->protected || pol->mode != SYNGUARD_MODE_ENFORCE ||
	     pol->cookies == SG_COOKIES_NEVER))
		return "a cookie where none may be sent";
	if (!pol->protected || pol->mode != SYNGUARD_MODE_ENFORCE)
		return NULL;
	if (syn_past_limit(pol, f, pressure, table_full) &&
	    v->act != SG_ACT_COOKIE && v->act != SG_ACT_DROP)
		return "a protected SYN past a limit neither answered nor dropped";
	if (!syn_past_limit(pol, f, pressure, table_full) &&
	    v->act != SG_ACT_TRACK)
		return "a protected SYN within its limits not tracked";
	return NULL;
}

#endif /* _SG_VERDICT_CHECK_H */
