// SPDX-License-Identifier: GPL-2.0
/*
 * The synguard tool's value parsers on arbitrary text: knob values, as
 * 'set' and apply files give them; service specs; their KEY=VALUE
 * overrides; and "service" lines of an apply file, one per input line.
 *
 * The apply file's own line parser (parse_line() in user/cmd_config.c) is
 * static and lives with the netlink code, so the service lines are split
 * here as it splits them, and what it then calls is fuzzed.
 *
 * Whatever parses must print back to text that parses to the same value.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knobs.h"
#include "svc.h"
#include "tables.h"
#include "fuzz.h"

#define MSG_LEN		1024
/* Inputs up to this long leave room for the knob's name in a message. */
#define SHORT_INPUT	256
/* Service lines taken from one input. */
#define MAX_SERVICES	16

static char msg[MSG_LEN];

static void check_failure(int ret, const char *name, const char *str)
{
	FUZZ_CHECK(ret == -EINVAL || ret == -ERANGE);
	FUZZ_CHECK(msg[0]);
	/* Every failure explains itself and names the knob. */
	if (strlen(str) < SHORT_INPUT)
		FUZZ_CHECK(strstr(msg, name));
}

/* @val, printed for knob @id, parses back to @val. */
static void check_format(unsigned int id, __u32 val)
{
	char buf[64];
	const char *text = knob_format(id, val, buf, sizeof(buf));
	__u32 again = ~val;

	FUZZ_CHECK(!knob_parse(id, text, &again, msg, sizeof(msg)));
	FUZZ_CHECK(again == val);
}

/*
 * What knob_parse() must make of @str, by what knobs.h and parse.h say: a
 * decimal number and nothing else, no sign, no space; for seconds a
 * suffix s, m, h or d may follow; a mode may be named. Returns 0 with the
 * value in @val, -EINVAL for anything else or -ERANGE for a number out of
 * the knob's range (a mode only ever gets -EINVAL).
 */
static int spec_knob(unsigned int id, const char *str, __u64 *val)
{
	const struct knob_def *k = &knob_defs[id];
	size_t n = strspn(str, "0123456789"), i;
	__u64 v = 0, unit = 1;
	int mode;

	if (k->type == SYNGUARD_KT_MODE) {
		mode = sg_name_lookup(sg_modes, ARRAY_SIZE(sg_modes), str);
		if (mode >= 0) {
			*val = mode;
			return 0;
		}
	}
	if (!n)
		return -EINVAL;
	if (str[n]) {
		if (k->type != SYNGUARD_KT_SECS || str[n + 1])
			return -EINVAL;
		switch (str[n]) {
		case 's':
			break;
		case 'm':
			unit = 60;
			break;
		case 'h':
			unit = 60 * 60;
			break;
		case 'd':
			unit = 24 * 60 * 60;
			break;
		default:
			return -EINVAL;
		}
	}
	for (i = 0; i < n; i++)
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, str[i] - '0', &v))
			goto range;
	if (__builtin_mul_overflow(v, unit, &v))
		goto range;
	if (v < k->min || v > k->max)
		goto range;
	*val = v;
	return 0;
range:
	return k->type == SYNGUARD_KT_MODE ? -EINVAL : -ERANGE;
}

static void fuzz_knobs(const char *str, __u32 raw)
{
	const struct knob_def *k;
	char buf[128];
	unsigned int id;
	__u64 want;
	__u32 val;
	int ret;

	for (id = 0; id < __SYNGUARD_KNOB_MAX; id++) {
		k = &knob_defs[id];
		msg[0] = '\0';
		ret = knob_parse(id, str, &val, msg, sizeof(msg));
		FUZZ_CHECK(ret == spec_knob(id, str, &want));
		if (ret) {
			check_failure(ret, k->name, str);
		} else {
			FUZZ_CHECK(val == want);
			FUZZ_CHECK(val >= k->min && val <= k->max);
			check_format(id, val);
		}

		/* Any number prints; those in range parse back. */
		knob_format(id, raw, buf, sizeof(buf));
		knob_range(id, buf, sizeof(buf));
		if (raw >= k->min && raw <= k->max)
			check_format(id, raw);
	}
}

static bool host_bits_clear(const struct svc_spec *svc)
{
	unsigned int i;

	for (i = svc->prefix; i < 128; i++)
		if (svc->addr.s6_addr[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

/* A service that parsed: sane, and its spec prints back to itself. */
static void check_service(const struct svc_spec *svc)
{
	char spec[SVC_SPECSTRLEN], again[SVC_SPECSTRLEN], addr[SVC_SPECSTRLEN];
	struct svc_spec copy;
	const char *family;

	FUZZ_CHECK(svc->port_min >= 1 && svc->port_min <= svc->port_max);
	FUZZ_CHECK(svc->prefix <= 128);
	FUZZ_CHECK(host_bits_clear(svc));

	family = svc_family(svc);
	svc_addr_str(svc, addr, sizeof(addr));
	if (!strcmp(family, "ipv4"))
		FUZZ_CHECK(svc_prefix(svc) <= 32);
	else
		FUZZ_CHECK(svc_prefix(svc) <= 128);
	FUZZ_CHECK(svc_overlaps(svc, svc));
	FUZZ_CHECK(!svc_cmp(svc, svc));

	svc_spec_str(svc, spec, sizeof(spec));
	FUZZ_CHECK(strlen(spec) < sizeof(spec) - 1);
	msg[0] = '\0';
	FUZZ_CHECK(!svc_parse_spec(spec, &copy, msg, sizeof(msg)));
	FUZZ_CHECK(svc_same_spec(svc, &copy));
	svc_spec_str(&copy, again, sizeof(again));
	FUZZ_CHECK(!strcmp(spec, again));
}

static void fuzz_spec(const char *str)
{
	struct svc_spec svc;
	unsigned int i;
	int ret;

	msg[0] = '\0';
	ret = svc_parse_spec(str, &svc, msg, sizeof(msg));
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL && msg[0]);
		return;
	}
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++)
		FUZZ_CHECK(!svc.present[i]);
	check_service(&svc);
}

/* The overrides of @svc, "key=value ...", as a service line gives them. */
static void format_knobs(const struct svc_spec *svc, char *buf, size_t len)
{
	char val[64];
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < __SYNGUARD_KNOB_MAX && off < len; i++)
		if (svc->present[i])
			off += snprintf(buf + off, len - off, " %s=%s",
					knob_defs[i].name,
					knob_format(i, svc->val[i], val,
						    sizeof(val)));
	FUZZ_CHECK(off < len);
}

static void fuzz_override(const char *str)
{
	struct svc_spec svc, again;
	unsigned int i, n = 0;
	char buf[256];
	int ret;

	memset(&svc, 0, sizeof(svc));
	msg[0] = '\0';
	ret = svc_parse_knob(&svc, str, msg, sizeof(msg));
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL || ret == -ENOENT);
		FUZZ_CHECK(msg[0]);
		return;
	}
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++) {
		if (!svc.present[i])
			continue;
		n++;
		FUZZ_CHECK(knob_per_service(i));
		FUZZ_CHECK(svc.val[i] >= knob_defs[i].min &&
			   svc.val[i] <= knob_defs[i].max);
	}
	FUZZ_CHECK(n == 1);

	/* A key given twice is refused. */
	memcpy(&again, &svc, sizeof(svc));
	FUZZ_CHECK(svc_parse_knob(&again, str, msg, sizeof(msg)) ==
		   -EEXIST);

	format_knobs(&svc, buf, sizeof(buf));
	memset(&again, 0, sizeof(again));
	FUZZ_CHECK(!svc_parse_knob(&again, buf + 1, msg, sizeof(msg)));
	FUZZ_CHECK(svc_same(&svc, &again));
}

/*
 * "SPEC [KEY=VALUE...]", the rest of an apply file's service line, split
 * as parse_service() in user/cmd_config.c splits it. Returns 0 with the
 * service in @svc, or the first parser's error.
 */
static int parse_service_line(char *args, struct svc_spec *svc)
{
	char *word, *save;
	int ret;

	if (strchr(args, '#') || strchr(args, ';'))
		return -EINVAL;
	word = strtok_r(args, " \t", &save);
	if (!word)
		return -EINVAL;
	ret = svc_parse_spec(word, svc, msg, sizeof(msg));
	while (!ret && (word = strtok_r(NULL, " \t", &save)))
		ret = svc_parse_knob(svc, word, msg, sizeof(msg));
	return ret;
}

static int sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

/* Two services of one apply file: what it checks before it sends them. */
static void check_pair(const struct svc_spec *a, const struct svc_spec *b)
{
	bool same = svc_same_spec(a, b);

	FUZZ_CHECK(same == svc_same_spec(b, a));
	FUZZ_CHECK(svc_overlaps(a, b) == svc_overlaps(b, a));
	FUZZ_CHECK(!same || svc_overlaps(a, b));
	FUZZ_CHECK(!svc_cmp(a, b) == same);
	FUZZ_CHECK(sign(svc_cmp(a, b)) == -sign(svc_cmp(b, a)));
	FUZZ_CHECK(!svc_same(a, b) || same);
}

static void fuzz_lines(char *text)
{
	char line[2 * SVC_SPECSTRLEN + 256], spec[SVC_SPECSTRLEN];
	char knobs[256];
	struct svc_list list = { 0 };
	struct svc_spec svc, again;
	char *next, *nl;
	size_t i;

	for (next = text; next && list.n < MAX_SERVICES; next = nl) {
		nl = strchr(next, '\n');
		if (nl)
			*nl++ = '\0';
		if (parse_service_line(next, &svc))
			continue;
		check_service(&svc);

		/* The line as it would be written back parses the same. */
		svc_spec_str(&svc, spec, sizeof(spec));
		format_knobs(&svc, knobs, sizeof(knobs));
		snprintf(line, sizeof(line), "%s%s", spec, knobs);
		FUZZ_CHECK(!parse_service_line(line, &again));
		FUZZ_CHECK(svc_same(&svc, &again));

		for (i = 0; i < list.n; i++)
			check_pair(&svc, &list.s[i]);
		FUZZ_CHECK(!svc_list_append(&list, &svc));
	}
	if (list.n)
		qsort(list.s, list.n, sizeof(*list.s), svc_cmp);
	for (i = 1; i < list.n; i++)
		FUZZ_CHECK(svc_cmp(&list.s[i - 1], &list.s[i]) <= 0);
	svc_list_free(&list);
	FUZZ_CHECK(!list.s && !list.n);
}

int fuzz_one(const uint8_t *data, size_t size)
{
	__u32 raw = 0;
	char *str;
	size_t i;

	/* Text as the shell or getline() hands it over: cut at a NUL. */
	str = malloc(size + 1);
	if (!str)
		return 0;
	memcpy(str, data, size);
	str[size] = '\0';
	for (i = 0; i < 4 && i < size; i++)
		raw = raw << 8 | data[i];

	fuzz_knobs(str, raw);
	fuzz_spec(str);
	fuzz_override(str);
	fuzz_lines(str);	/* last: it cuts @str into lines */

	free(str);
	return 0;
}
