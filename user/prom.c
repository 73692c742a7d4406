// SPDX-License-Identifier: GPL-2.0
/*
 * stats --prometheus: the Prometheus text exposition format. Every name
 * comes from the uapi tables: counters as synguard_NAME_total, gauges as
 * synguard_NAME; each listener's counts as synguard_listener_NAME[_total]
 * with addr and port labels; the packets of the invalid_* counters once
 * more as synguard_invalid_packets_total with a reason label (their sum,
 * invalid_flags, left out); the services with their mode and overrides.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kmod/version.h"
#include "cmd.h"
#include "decode.h"
#include "knobs.h"
#include "nl.h"
#include "output.h"
#include "svc.h"
#include "tables.h"

#define INVALID_PREFIX	"invalid_"

/* HELP text escapes backslash and newline. */
static void put_help(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", stdout);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
}

/* A label value escapes backslash, double quote and newline. */
static void put_label(const char *name, const char *val, bool first)
{
	printf("%s%s=\"", first ? "" : ",", name);
	put_help(val);
	putchar('"');
}

/* "# HELP" and "# TYPE" of synguard_@pfx@name@suffix. */
static void family(const char *pfx, const char *name, const char *suffix,
		   const char *kind, const char *help)
{
	printf("# HELP synguard_%s%s%s ", pfx, name, suffix);
	put_help(help);
	printf("\n# TYPE synguard_%s%s%s %s\n", pfx, name, suffix, kind);
}

static const char *suffix_of(enum synguard_counter_kind kind)
{
	return kind == SYNGUARD_CK_COUNTER ? "_total" : "";
}

static const char *kind_of(enum synguard_counter_kind kind)
{
	return kind == SYNGUARD_CK_COUNTER ? "counter" : "gauge";
}

static void put_up(bool up)
{
	family("", "up", "", "gauge", "1 if the synguard module answered, else 0");
	printf("synguard_up %d\n", up);
	family("", "build_info", "", "gauge",
	       "the synguard tool's version and the netlink version it speaks");
	printf("synguard_build_info{version=\"%s\",netlink=\"%u\"} 1\n",
	       SYNGUARD_VERSION, SYNGUARD_GENL_VERSION);
}

static void put_stats(const struct stats *st)
{
	const struct sg_counter *c;
	unsigned int i;
	bool first = true;

	for (i = 0; i < __SYNGUARD_CNT_MAX; i++) {
		if (!st->present[i])
			continue;
		c = &sg_counters[i];
		family("", c->name, suffix_of(c->kind), kind_of(c->kind),
		       c->desc);
		printf("synguard_%s%s %llu\n", c->name, suffix_of(c->kind),
		       st->val[i]);
	}
	for (i = 0; i < __SYNGUARD_CNT_MAX; i++) {
		c = &sg_counters[i];
		if (!st->present[i] || i == SYNGUARD_CNT_INVALID_FLAGS ||
		    strncmp(c->name, INVALID_PREFIX, strlen(INVALID_PREFIX)))
			continue;
		if (first)
			family("", "invalid_packets", "_total", "counter",
			       "packets whose flag combination is invalid, by reason: the invalid_* counters");
		first = false;
		printf("synguard_invalid_packets_total{reason=\"%s\"} %llu\n",
		       c->name + strlen(INVALID_PREFIX), st->val[i]);
	}
}

static void put_listeners(const struct listeners *ls)
{
	const struct listener_row *l;
	const struct sg_counter *c;
	char addr[SG_ADDRSTRLEN];
	unsigned int i;
	size_t n;

	for (i = 0; i < __SYNGUARD_LC_MAX && ls->n; i++) {
		c = &sg_listener_counts[i];
		family("listener_", c->name, suffix_of(c->kind),
		       kind_of(c->kind), c->desc);
		for (n = 0; n < ls->n; n++) {
			l = &ls->l[n];
			if (!l->has_count[i])
				continue;
			printf("synguard_listener_%s%s{", c->name,
			       suffix_of(c->kind));
			put_label("addr", sg_addr_str(l->addr, addr,
						      sizeof(addr)), true);
			printf(",port=\"%u\"} %llu\n", l->port, l->counts[i]);
		}
	}
}

static void put_services(const struct svc_list *list)
{
	char spec[SVC_SPECSTRLEN], num[12];
	unsigned int ids[__SYNGUARD_KNOB_MAX], i, n;
	const struct svc_spec *svc;
	size_t k;

	family("", "services", "", "gauge", "protected services");
	printf("synguard_services %zu\n", list->n);
	if (!list->n)
		return;
	family("", "service_info", "", "gauge",
	       "a protected service, by its spec, and the mode it is in");
	for (k = 0; k < list->n; k++) {
		svc = &list->s[k];
		printf("synguard_service_info{");
		put_label("spec", svc_spec_str(svc, spec, sizeof(spec)), true);
		put_label("mode", sg_name_of(sg_modes, ARRAY_SIZE(sg_modes),
					     svc_mode(svc), num, sizeof(num)),
			  false);
		printf("} 1\n");
	}
	family("", "service_override", "", "gauge",
	       "a knob a protected service overrides, and its value");
	for (k = 0; k < list->n; k++) {
		svc = &list->s[k];
		n = svc_overrides(svc, ids);
		for (i = 0; i < n; i++) {
			printf("synguard_service_override{");
			put_label("spec", svc_spec_str(svc, spec, sizeof(spec)),
				  true);
			put_label("knob", knob_defs[ids[i]].name, false);
			printf("} %u\n", svc->val[ids[i]]);
		}
	}
}

int print_prometheus(const struct sg_opts *opts, bool reset)
{
	struct listeners ls = {};
	struct svc_list services = {};
	struct stats st = {};
	int ret;

	if (read_stats(opts, reset, &st)) {
		put_up(false);
		return EXIT_FAILURE;
	}
	/*
	 * Listing listeners and services needs CAP_NET_ADMIN; without it,
	 * neither is shown.
	 */
	nl_quiet(-EPERM);
	ret = read_listeners(opts, &ls);
	if (!ret) {
		nl_quiet(-EPERM);
		ret = read_services(opts, &services);
	}
	if (ret == -EPERM)
		ret = 0;
	if (!ret) {
		put_up(true);
		put_stats(&st);
		put_listeners(&ls);
		put_services(&services);
	}
	free(ls.l);
	svc_list_free(&services);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
