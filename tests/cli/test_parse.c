// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the value parsers of the synguard tool (user/knobs.c,
 * user/parse.c). Boundaries are taken from the knob table itself, so the
 * test follows the uapi header as knobs are added or changed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "knobs.h"
#include "parse.h"
#include "tables.h"

static unsigned int passed, failed;

static void check(bool ok, const char *what, const char *input)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL: %s \"%s\"\n", what, input);
}

/* Knob @name parses @in to @want (ret 0), or fails with @want_ret. */
static void try_knob(const char *name, const char *in, int want_ret, __u32 want)
{
	int id = knob_lookup(name), ret;
	char msg[512], what[128];
	__u32 v = 0;

	snprintf(what, sizeof(what), "value of %s:", name);
	if (id < 0) {
		check(false, "lookup of", name);
		return;
	}
	ret = knob_parse(id, in, &v, msg, sizeof(msg));
	check(ret == want_ret && (ret || v == want), what, in);
	/* Every failure explains itself and names the knob. */
	if (ret)
		check(strstr(msg, name), "message naming the knob for", in);
}

static void u64(const char *in, int want_ret, __u64 want)
{
	__u64 v = 0;
	int ret;

	ret = parse_u64(in, &v);
	check(ret == want_ret && (ret || v == want), "parse_u64", in);
}

static void table_bounds(void)
{
	char in[32], buf[32];
	unsigned int i;
	__u32 v;

	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++) {
		const struct sg_knob *k = &sg_knobs[i];

		check(knob_lookup(k->name) == (int)i, "lookup", k->name);
		check(k->min <= k->def && k->def <= k->max,
		      "default within range", k->name);

		snprintf(in, sizeof(in), "%u", k->min);
		try_knob(k->name, in, 0, k->min);
		snprintf(in, sizeof(in), "%u", k->max);
		try_knob(k->name, in, 0, k->max);
		if (k->type != SYNGUARD_KT_MODE) {
			if (k->min > 0) {
				snprintf(in, sizeof(in), "%u", k->min - 1);
				try_knob(k->name, in, -ERANGE, 0);
			}
			snprintf(in, sizeof(in), "%llu", k->max + 1ULL);
			try_knob(k->name, in, -ERANGE, 0);
		}

		/* What is printed parses back to the same value. */
		if (!knob_parse(i, knob_format(i, k->def, buf, sizeof(buf)),
				&v, in, sizeof(in)))
			check(v == k->def, "format round trip", k->name);
		else
			check(false, "format round trip", k->name);
	}
}

int main(void)
{
	unsigned int i;
	char in[32];

	u64("0", 0, 0);
	u64("42", 0, 42);
	u64("007", 0, 7);
	u64("18446744073709551615", 0, 18446744073709551615ULL);
	u64("18446744073709551616", -ERANGE, 0);
	u64("99999999999999999999", -ERANGE, 0);
	u64("", -EINVAL, 0);
	u64("-1", -EINVAL, 0);
	u64("+1", -EINVAL, 0);
	u64(" 1", -EINVAL, 0);
	u64("1 ", -EINVAL, 0);
	u64("12abc", -EINVAL, 0);
	u64("0x10", -EINVAL, 0);
	u64("99999999999999999999x", -EINVAL, 0);

	table_bounds();

	for (i = 0; i < __SYNGUARD_MODE_MAX; i++) {
		try_knob("mode", sg_modes[i].name, 0, i);
		snprintf(in, sizeof(in), "%u", i);
		try_knob("mode", in, 0, i);
	}
	try_knob("mode", "bogus", -EINVAL, 0);
	try_knob("mode", "ENFORCE", -EINVAL, 0);
	try_knob("mode", "", -EINVAL, 0);
	try_knob("mode", "-1", -EINVAL, 0);

	try_knob("max_conns", "", -EINVAL, 0);
	try_knob("max_conns", "-1", -EINVAL, 0);
	try_knob("max_conns", "12abc", -EINVAL, 0);
	try_knob("max_conns", "1000", 0, 1000);
	try_knob("max_conns", "99999999999999999999", -ERANGE, 0);
	try_knob("max_conns", "10s", -EINVAL, 0);

	try_knob("syn_timeout", "30", 0, 30);
	try_knob("syn_timeout", "30s", 0, 30);
	try_knob("syn_timeout", "2m", 0, 120);
	try_knob("syn_timeout", "10m", 0, 600);
	try_knob("syn_timeout", "11m", -ERANGE, 0);
	try_knob("syn_timeout", "0", -ERANGE, 0);
	try_knob("syn_timeout", "0s", -ERANGE, 0);
	try_knob("syn_timeout", "1h", -ERANGE, 0);
	try_knob("est_timeout", "5d", 0, 5 * 86400);
	try_knob("est_timeout", "2h", 0, 7200);
	try_knob("est_timeout", "99999999999999999d", -ERANGE, 0);
	try_knob("est_timeout", "99999999999999999999d", -ERANGE, 0);
	try_knob("syn_timeout", "5x", -EINVAL, 0);
	try_knob("syn_timeout", "5ss", -EINVAL, 0);
	try_knob("syn_timeout", "s", -EINVAL, 0);
	try_knob("syn_timeout", "1.5m", -EINVAL, 0);
	try_knob("syn_timeout", "-5s", -EINVAL, 0);

	check(knob_lookup("nosuchknob") == -ENOENT, "unknown knob",
	      "nosuchknob");
	check(knob_lookup("") == -ENOENT, "unknown knob", "");

	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
