// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "knobs.h"
#include "parse.h"
#include "tables.h"

#define KNOB(id, name, type, min, max, def, desc)			\
	{ #name, type, min, max, def, desc },

const struct knob_def knob_defs[] = {
	SYNGUARD_KNOBS(KNOB)
};

static_assert(ARRAY_SIZE(knob_defs) == __SYNGUARD_KNOB_MAX, "knobs");

#define SERVICE_KNOB(id)	SYNGUARD_KNOB_##id,

const unsigned int svc_knob_ids[] = {
	SYNGUARD_SERVICE_KNOBS(SERVICE_KNOB)
};

const unsigned int svc_n_knobs = ARRAY_SIZE(svc_knob_ids);

static const struct {
	char suffix;
	unsigned int secs;
} units[] = {
	{ 's', 1 },
	{ 'm', 60 },
	{ 'h', 60 * 60 },
	{ 'd', 24 * 60 * 60 },
};

int knob_lookup(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(knob_defs); i++)
		if (!strcmp(knob_defs[i].name, name))
			return i;
	return -ENOENT;
}

void knob_list(char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(knob_defs) && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
				knob_defs[i].name);
}

bool knob_per_service(unsigned int id)
{
	unsigned int i;

	for (i = 0; i < svc_n_knobs; i++)
		if (svc_knob_ids[i] == id)
			return true;
	return false;
}

void knob_service_list(char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < svc_n_knobs && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
				knob_defs[svc_knob_ids[i]].name);
}

const char *knob_range(unsigned int id, char *buf, size_t len)
{
	const struct knob_def *k = &knob_defs[id];

	switch (k->type) {
	case SYNGUARD_KT_MODE:
		sg_name_list(sg_modes, ARRAY_SIZE(sg_modes), buf, len);
		break;
	case SYNGUARD_KT_SECS:
		snprintf(buf, len, "%u..%u seconds", k->min, k->max);
		break;
	default:
		snprintf(buf, len, "%u..%u", k->min, k->max);
		break;
	}
	return buf;
}

/* @s for a message in double quotes: quotes and backslashes escaped. */
static void escape(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (; *s && n + 3 < len; s++) {
		if (*s == '"' || *s == '\\')
			buf[n++] = '\\';
		buf[n++] = *s;
	}
	buf[n] = '\0';
}

/* Seconds with an optional unit suffix; 0 or -errno as parse_dec(). */
static int parse_secs(const char *str, __u64 *val)
{
	const char *end;
	unsigned int i;
	int ret;

	ret = parse_dec(str, val, &end);
	if (ret == -EINVAL)
		return ret;
	if (!*end)
		return ret;
	if (end[1])
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (*end != units[i].suffix)
			continue;
		if (ret)
			return ret;
		if (*val > ~0ULL / units[i].secs)
			return -ERANGE;
		*val *= units[i].secs;
		return 0;
	}
	return -EINVAL;
}

int knob_parse(unsigned int id, const char *str, __u32 *val,
	       char *msg, size_t len)
{
	const struct knob_def *k = &knob_defs[id];
	char range[128], shown[64];
	__u64 v;
	int ret;

	escape(str, shown, sizeof(shown));
	if (!*str) {
		snprintf(msg, len, "empty value for %s", k->name);
		return -EINVAL;
	}

	if (k->type == SYNGUARD_KT_MODE) {
		ret = sg_name_lookup(sg_modes, ARRAY_SIZE(sg_modes), str);
		if (ret >= 0) {
			v = ret;
			ret = 0;
		} else {
			ret = parse_u64(str, &v);
		}
		if (ret || v < k->min || v > k->max) {
			knob_range(id, range, sizeof(range));
			snprintf(msg, len,
				 "invalid value \"%s\" for %s: expected one of %s",
				 shown, k->name, range);
			return -EINVAL;
		}
		*val = v;
		return 0;
	}

	if (str[0] == '-') {
		snprintf(msg, len,
			 "invalid value \"%s\" for %s: negative values are not allowed",
			 shown, k->name);
		return -EINVAL;
	}

	if (k->type == SYNGUARD_KT_SECS)
		ret = parse_secs(str, &v);
	else
		ret = parse_u64(str, &v);
	if (ret == -EINVAL) {
		snprintf(msg, len, "invalid value \"%s\" for %s: %s", shown,
			 k->name, k->type == SYNGUARD_KT_SECS ?
			 "expected seconds, optionally with a suffix s, m, h or d" :
			 "expected a decimal number");
		return ret;
	}
	if (ret || v < k->min || v > k->max) {
		snprintf(msg, len, "invalid value \"%s\" for %s: out of range %s",
			 shown, k->name, knob_range(id, range, sizeof(range)));
		return -ERANGE;
	}
	*val = v;
	return 0;
}

const char *knob_format(unsigned int id, __u32 val, char *buf, size_t len)
{
	if (knob_defs[id].type == SYNGUARD_KT_MODE)
		return sg_name_of(sg_modes, ARRAY_SIZE(sg_modes), val, buf,
				  len);
	snprintf(buf, len, "%u", val);
	return buf;
}
