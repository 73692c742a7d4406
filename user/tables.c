// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tables.h"

#define COUNTER(id, name, kind, desc)	{ #name, kind, desc },
#define NAME_DESC(id, name, desc)	{ #name, desc },
#define NAME_ONLY(id, name)		{ #name, NULL },

/*
 * Positional initializers: the entries come from the same X-macro, in
 * the same order, as the enum that indexes them.
 */
const struct sg_counter sg_counters[] = {
	SYNGUARD_COUNTERS(COUNTER)
};

const struct sg_counter sg_listener_counts[] = {
	SYNGUARD_LISTENER_COUNTS(COUNTER)
};

const struct sg_name sg_states[] = {
	SYNGUARD_STATES(NAME_DESC)
};

const struct sg_name sg_modes[] = {
	SYNGUARD_MODES(NAME_ONLY)
};

const struct sg_name sg_events[] = {
	SYNGUARD_EVENTS(NAME_DESC)
};

const struct sg_name sg_closers[] = {
	SYNGUARD_CLOSERS(NAME_DESC)
};

const struct sg_name sg_knob_types[] = {
	SYNGUARD_KNOB_TYPES(NAME_DESC)
};

static_assert(ARRAY_SIZE(sg_counters) == __SYNGUARD_CNT_MAX, "counters");
static_assert(ARRAY_SIZE(sg_listener_counts) == __SYNGUARD_LC_MAX, "counts");
static_assert(ARRAY_SIZE(sg_states) == __SYNGUARD_STATE_MAX, "states");
static_assert(ARRAY_SIZE(sg_modes) == __SYNGUARD_MODE_MAX, "modes");
static_assert(ARRAY_SIZE(sg_events) == __SYNGUARD_EVENT_MAX, "events");
static_assert(ARRAY_SIZE(sg_closers) == __SYNGUARD_CLOSER_MAX, "closers");
static_assert(ARRAY_SIZE(sg_knob_types) == __SYNGUARD_KT_MAX, "types");

int sg_name_lookup(const struct sg_name *tbl, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(tbl[i].name, name))
			return i;
	return -ENOENT;
}

const char *sg_name_of(const struct sg_name *tbl, size_t n, unsigned int id,
		       char *buf, size_t len)
{
	if (id < n)
		return tbl[id].name;
	snprintf(buf, len, "%u", id);
	return buf;
}

void sg_name_list(const struct sg_name *tbl, size_t n, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
				tbl[i].name);
}
