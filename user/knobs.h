/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SYNGUARD_KNOBS_H
#define SYNGUARD_KNOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/synguard.h>

struct knob_def {
	const char *name;
	enum synguard_knob_type type;
	__u32 min;
	__u32 max;
	__u32 def;
	const char *desc;
};

extern const struct knob_def knob_defs[__SYNGUARD_KNOB_MAX];

/* Knobs a service may override, in SYNGUARD_SERVICE_KNOBS order. */
extern const unsigned int svc_knob_ids[];
extern const unsigned int svc_n_knobs;

/* Id of the knob called @name, or -ENOENT. */
int knob_lookup(const char *name);

/* Write "mode, max_conns, ..." into @buf, for messages. */
void knob_list(char *buf, size_t len);

/* Whether a service may override knob @id. */
bool knob_per_service(unsigned int id);

/* Write the knobs a service may override, "mode, cookies, ...". */
void knob_service_list(char *buf, size_t len);

/*
 * Parse @str as a value for knob @id: a decimal number; for seconds also
 * with a suffix s, m, h or d; for the mode a mode name or its number.
 * Returns 0, or -EINVAL/-ERANGE with a one-line reason naming the knob
 * and its range written to @msg.
 */
int knob_parse(unsigned int id, const char *str, __u32 *val,
	       char *msg, size_t len);

/* @val as knob @id is shown to humans: mode by name, others in decimal. */
const char *knob_format(unsigned int id, __u32 val, char *buf, size_t len);

/* The range of knob @id for messages: "1..600 seconds", "off, observe". */
const char *knob_range(unsigned int id, char *buf, size_t len);

#endif /* SYNGUARD_KNOBS_H */
