// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the value parsers of the synguard tool (user/knobs.c,
 * user/parse.c, user/svc.c). Boundaries are taken from the knob table
 * itself, so the test follows the uapi header as knobs are added or
 * changed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "knobs.h"
#include "parse.h"
#include "svc.h"
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
		const struct knob_def *k = &knob_defs[i];

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

/*
 * Spec @in parses to @addr (IPv6 text of the 16 bytes sent), @prefix (as
 * sent) and the port range, and prints back as @out, which parses to the
 * same service again.
 */
static void try_spec(const char *in, const char *addr, unsigned int prefix,
		     unsigned int pmin, unsigned int pmax, const char *out)
{
	struct svc_spec svc, again;
	char msg[512], buf[SVC_SPECSTRLEN];
	struct in6_addr want;

	if (inet_pton(AF_INET6, addr, &want) != 1 ||
	    svc_parse_spec(in, &svc, msg, sizeof(msg))) {
		check(false, "service spec", in);
		return;
	}
	check(!memcmp(&svc.addr, &want, sizeof(want)) &&
	      svc.prefix == prefix && svc.port_min == pmin &&
	      svc.port_max == pmax, "service spec", in);
	svc_spec_str(&svc, buf, sizeof(buf));
	check(!strcmp(buf, out), "service spec printed back", in);
	check(!svc_parse_spec(buf, &again, msg, sizeof(msg)) &&
	      svc_same(&svc, &again), "service spec round trip", in);
}

/* Spec @in is refused; with the message @want unless that is NULL. */
static void bad_spec(const char *in, const char *want)
{
	struct svc_spec svc;
	char msg[512] = "";

	check(svc_parse_spec(in, &svc, msg, sizeof(msg)) == -EINVAL &&
	      *msg && (!want || !strcmp(msg, want)), "bad service spec", in);
}

/* The family and prefix length in the family's terms, as -j prints. */
static void try_family(const char *in, const char *fam, unsigned int prefix)
{
	struct svc_spec svc;
	char msg[512];

	check(!svc_parse_spec(in, &svc, msg, sizeof(msg)) &&
	      !strcmp(svc_family(&svc), fam) &&
	      svc_prefix(&svc) == prefix, "service family of", in);
}

/* Whether address @addr (text) lies in conns filter prefix @prefix. */
static void try_prefix(const char *prefix, const char *addr, bool want)
{
	struct svc_spec svc;
	struct in6_addr a = {};
	char msg[512];
	bool v6 = strchr(addr, ':');

	if (!v6) {
		a.s6_addr[10] = 0xff;
		a.s6_addr[11] = 0xff;
	}
	if (svc_parse_prefix(prefix, &svc, msg, sizeof(msg)) ||
	    inet_pton(v6 ? AF_INET6 : AF_INET, addr,
		      v6 ? a.s6_addr : &a.s6_addr[12]) != 1) {
		check(false, "conns prefix", prefix);
		return;
	}
	check(svc_prefix_has(&svc, a.s6_addr) == want, "conns prefix has",
	      addr);
}

static void bad_prefix(const char *in, const char *want)
{
	struct svc_spec svc;
	char msg[512] = "";

	check(svc_parse_prefix(in, &svc, msg, sizeof(msg)) == -EINVAL &&
	      !strcmp(msg, want), "bad conns prefix", in);
}

static void prefixes(void)
{
	try_prefix("192.0.2.0/24", "192.0.2.77", true);
	try_prefix("192.0.2.0/24", "192.0.3.1", false);
	try_prefix("192.0.2.1", "192.0.2.1", true);
	try_prefix("192.0.2.1", "192.0.2.2", false);
	try_prefix("192.0.2.128/25", "192.0.2.127", false);
	try_prefix("192.0.2.128/25", "192.0.2.255", true);
	try_prefix("0.0.0.0/0", "198.51.100.7", true);
	try_prefix("0.0.0.0/0", "2001:db8::1", false);
	try_prefix("2001:db8::/64", "2001:db8::1", true);
	try_prefix("[2001:db8::/64]", "2001:db8:0:1::1", false);
	try_prefix("2001:db8::/33", "2001:db8:7fff::1", true);
	try_prefix("2001:db8::/33", "2001:db8:8000::1", false);
	try_prefix("::/0", "2001:db8::1", true);
	try_prefix("::/0", "192.0.2.1", false);
	bad_prefix("192.0.2.1/24",
		   "192.0.2.1/24 has host bits set; did you mean 192.0.2.0/24?");
	bad_prefix("192.0.2.0/33",
		   "invalid prefix length \"33\": expected 0 to 32 for IPv4");
	bad_prefix("example", "invalid IPv4 address \"example\"");
	bad_prefix("2001:db8::g", "invalid IPv6 address \"2001:db8::g\"");
	bad_prefix("", "invalid address \"\"");
}

static void try_overlap(const char *a, const char *b, bool want)
{
	struct svc_spec x, y;
	char msg[512];

	if (svc_parse_spec(a, &x, msg, sizeof(msg)) ||
	    svc_parse_spec(b, &y, msg, sizeof(msg))) {
		check(false, "overlap of", a);
		return;
	}
	check(svc_overlaps(&x, &y) == want &&
	      svc_overlaps(&y, &x) == want, "overlap of", a);
}

static void service_knob(const char *in, int want_ret, const char *want)
{
	struct svc_spec svc;
	char msg[512] = "";
	int ret;

	svc_parse_spec("80", &svc, msg, sizeof(msg));
	ret = svc_parse_knob(&svc, "mode=observe", msg, sizeof(msg));
	if (!ret)
		ret = svc_parse_knob(&svc, in, msg, sizeof(msg));
	check(ret == want_ret && (!want || !strcmp(msg, want)),
	      "service override", in);
}

static void services(void)
{
	const char *port = "expected a number from 1 to 65535";
	char list[256], want[512];

	try_spec("80", "::", 0, 80, 80, "*:80");
	try_spec("*:443", "::", 0, 443, 443, "*:443");
	try_spec("8000-8100", "::", 0, 8000, 8100, "*:8000-8100");
	try_spec("80-80", "::", 0, 80, 80, "*:80");
	try_spec("1-65535", "::", 0, 1, 65535, "*:1-65535");
	try_spec("192.0.2.0/24:80", "::ffff:192.0.2.0", 120, 80, 80,
		 "192.0.2.0/24:80");
	try_spec("192.0.2.1:80", "::ffff:192.0.2.1", 128, 80, 80, "192.0.2.1:80");
	try_spec("192.0.2.1/32:80", "::ffff:192.0.2.1", 128, 80, 80,
		 "192.0.2.1:80");
	try_spec("0.0.0.0/0:22", "::ffff:0.0.0.0", 96, 22, 22, "0.0.0.0/0:22");
	try_spec("10.0.0.0/8:1000-2000", "::ffff:10.0.0.0", 104, 1000, 2000,
		 "10.0.0.0/8:1000-2000");
	try_spec("[2001:db8::/64]:443", "2001:db8::", 64, 443, 443,
		 "[2001:db8::/64]:443");
	try_spec("[2001:db8::1]:443", "2001:db8::1", 128, 443, 443,
		 "[2001:db8::1]:443");
	try_spec("[2001:DB8:0::/32]:8000-8100", "2001:db8::", 32, 8000, 8100,
		 "[2001:db8::/32]:8000-8100");
	try_spec("[::/0]:80", "::", 0, 80, 80, "*:80");
	try_spec("[::]:80", "::", 128, 80, 80, "[::]:80");
	try_spec("[::ffff:192.0.2.0/120]:80", "::ffff:192.0.2.0", 120, 80, 80,
		 "192.0.2.0/24:80");

	try_family("443", "any", 0);
	try_family("192.0.2.0/24:80", "ipv4", 24);
	try_family("192.0.2.1:80", "ipv4", 32);
	try_family("0.0.0.0/0:80", "ipv4", 0);
	try_family("[2001:db8::/64]:80", "ipv6", 64);
	try_family("[::1]:80", "ipv6", 128);

	bad_spec("192.0.2.1/24:80",
		 "192.0.2.1/24 has host bits set; did you mean 192.0.2.0/24?");
	bad_spec("10.1.2.3/8:80",
		 "10.1.2.3/8 has host bits set; did you mean 10.0.0.0/8?");
	bad_spec("192.0.2.1/0:80",
		 "192.0.2.1/0 has host bits set; did you mean 0.0.0.0/0?");
	bad_spec("[2001:db8::1/64]:443",
		 "[2001:db8::1/64] has host bits set; did you mean [2001:db8::/64]?");
	bad_spec("[::1/0]:443",
		 "[::1/0] has host bits set; did you mean *?");
	bad_spec("192.0.2.0/33:80",
		 "invalid prefix length \"33\": expected 0 to 32 for IPv4");
	bad_spec("[::/129]:80",
		 "invalid prefix length \"129\": expected 0 to 128 for IPv6");
	bad_spec("192.0.2.0/:80", NULL);
	bad_spec("192.0.2.0/-1:80", NULL);
	bad_spec("192.0.2.0/x:80", NULL);
	bad_spec("192.0.2.0/24/24:80", NULL);
	bad_spec("192.0.2.256:80", "invalid IPv4 address \"192.0.2.256\"");
	bad_spec("192.0.2:80", NULL);
	bad_spec("01.2.3.4:80", NULL);
	bad_spec("[192.0.2.1]:80", "invalid IPv6 address \"192.0.2.1\"");
	bad_spec("[2001:db8::g]:80", NULL);
	bad_spec("[]:80", NULL);
	bad_spec("2001:db8::1:443",
		 "invalid service \"2001:db8::1:443\": an IPv6 address must be in brackets, as in [2001:db8::/64]:443");
	bad_spec("[2001:db8::1:443",
		 "missing \"]\" after the IPv6 address in \"[2001:db8::1:443\"");
	bad_spec("[::1]443",
		 "invalid service \"[::1]443\"; expected " SVC_SYNTAX);
	bad_spec("192.0.2.0/24",
		 "missing port in \"192.0.2.0/24\"; expected " SVC_SYNTAX);
	bad_spec("[::1]", NULL);
	bad_spec("[::1]:", NULL);
	bad_spec("192.0.2.1:", NULL);
	bad_spec("*", NULL);
	bad_spec(":80", NULL);
	bad_spec("", NULL);

	snprintf(want, sizeof(want), "invalid port \"0\": %s", port);
	bad_spec("0", want);
	snprintf(want, sizeof(want), "invalid port \"65536\": %s", port);
	bad_spec("65536", want);
	bad_spec("192.0.2.0/24:65536", want);
	snprintf(want, sizeof(want), "invalid port \"80x\": %s", port);
	bad_spec("80x", want);
	snprintf(want, sizeof(want), "invalid port \"\": %s", port);
	bad_spec("80-", want);
	bad_spec("-80", want);
	bad_spec("90-80", "port range 90-80: start is greater than end");
	bad_spec("80-90-100", NULL);
	bad_spec("+80", NULL);
	bad_spec(" 80", NULL);
	bad_spec("80 ", NULL);
	bad_spec("0x50", NULL);

	try_overlap("192.0.2.0/24:80", "192.0.2.128/25:80", true);
	try_overlap("192.0.2.0/24:80", "192.0.2.7:80", true);
	try_overlap("192.0.2.0/24:80", "192.0.3.0/24:80", false);
	try_overlap("192.0.2.0/24:80", "192.0.2.0/24:81", false);
	try_overlap("192.0.2.0/24:80-90", "192.0.2.0/24:90-100", true);
	try_overlap("80-89", "90", false);
	try_overlap("443", "[2001:db8::1]:443", true);
	try_overlap("443", "192.0.2.1:443", true);
	try_overlap("[2001:db8::/32]:1-65535", "192.0.2.0/24:80", false);
	try_overlap("0.0.0.0/0:80", "[2001:db8::1]:80", false);
	try_overlap("[2001:db8::/32]:80", "[2001:db8:1::/48]:80", true);

	knob_service_list(list, sizeof(list));
	service_knob("cookies=2", 0, NULL);
	service_knob("pickup_grace=2m", 0, NULL);
	snprintf(want, sizeof(want),
		 "knob \"max_conns\" cannot be set per service; service knobs: %s",
		 list);
	service_knob("max_conns=5", -ENOENT, want);
	snprintf(want, sizeof(want), "unknown key \"bogus\"; service knobs: %s",
		 list);
	service_knob("bogus=1", -ENOENT, want);
	service_knob("mode=off", -EEXIST, "key \"mode\" given twice");
	service_knob("cookies", -EINVAL, "expected KEY=VALUE, got \"cookies\"");
	service_knob("cookies=3", -EINVAL,
		     "invalid value \"3\" for cookies: out of range 0..2");
	service_knob("mss=", -EINVAL, "empty value for mss");
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

	services();
	prefixes();

	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
