/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names, kinds and descriptions of everything the uapi header lists in
 * its X-macro tables (counters, listener counts, states, modes, events).
 * Nothing here is written out by hand except the closer names, which the
 * header has no table for.
 */
#ifndef SYNGUARD_TABLES_H
#define SYNGUARD_TABLES_H

#include <stddef.h>
#include <linux/synguard.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct sg_name {
	const char *name;
	const char *desc;
};

struct sg_counter {
	const char *name;
	enum synguard_counter_kind kind;
	const char *desc;
};

extern const struct sg_counter sg_counters[__SYNGUARD_CNT_MAX];
extern const struct sg_counter sg_listener_counts[__SYNGUARD_LC_MAX];
extern const struct sg_name sg_states[__SYNGUARD_STATE_MAX];
extern const struct sg_name sg_modes[__SYNGUARD_MODE_MAX];
extern const struct sg_name sg_events[__SYNGUARD_EVENT_MAX];
extern const struct sg_name sg_closers[__SYNGUARD_CLOSER_MAX];
extern const struct sg_name sg_knob_types[__SYNGUARD_KT_MAX];

/* Index of @name in @tbl, or -ENOENT. */
int sg_name_lookup(const struct sg_name *tbl, size_t n, const char *name);

/*
 * Name of entry @id of @tbl. Ids past the end (a newer module) come out
 * as the number, formatted into @buf.
 */
const char *sg_name_of(const struct sg_name *tbl, size_t n, unsigned int id,
		       char *buf, size_t len);

/* Write "a, b, c" into @buf, for messages listing the valid names. */
void sg_name_list(const struct sg_name *tbl, size_t n, char *buf, size_t len);

#endif /* SYNGUARD_TABLES_H */
