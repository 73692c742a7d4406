// SPDX-License-Identifier: GPL-2.0
/*
 * listeners: per-listener counts. The dump is collected and sorted by
 * port and address first, so that columns can be sized to their contents
 * and the order does not depend on the module's hash table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <libmnl/libmnl.h>

#include "cmd.h"
#include "decode.h"
#include "nl.h"
#include "output.h"
#include "tables.h"

struct listeners {
	struct sg_listener *l;
	size_t n;
	size_t alloc;
};

static int listener_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SYNGUARD_A_MAX + 1];
	struct listeners *ls = data;
	struct sg_listener *l;
	int ret;

	ret = sg_parse_msg(nlh, tb);
	if (ret)
		return ret;
	if (!tb[SYNGUARD_A_LISTENER])
		return -EBADMSG;
	if (ls->n == ls->alloc) {
		size_t alloc = ls->alloc ? 2 * ls->alloc : 64;

		l = reallocarray(ls->l, alloc, sizeof(*l));
		if (!l)
			return -ENOMEM;
		ls->l = l;
		ls->alloc = alloc;
	}
	ret = sg_decode_listener(tb[SYNGUARD_A_LISTENER], &ls->l[ls->n]);
	if (ret)
		return ret;
	ls->n++;
	return 0;
}

static int cmp_listener(const void *a, const void *b)
{
	const struct sg_listener *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

static int digits(__u64 v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static void print_header(int addr_w, const int *w)
{
	char name[64];
	const char *s;
	unsigned int i, j;

	out_text("%-*s  %5s", addr_w, "ADDR", "PORT");
	for (i = 0; i < __SYNGUARD_LC_MAX; i++) {
		s = sg_listener_counts[i].name;
		for (j = 0; s[j] && j < sizeof(name) - 1; j++)
			name[j] = toupper((unsigned char)s[j]);
		name[j] = '\0';
		out_text("  %*s", w[i], name);
	}
	out_text("\n");
}

static void print_listeners(const struct listeners *ls)
{
	int addr_w = strlen("ADDR"), w[__SYNGUARD_LC_MAX];
	char addr[SG_ADDRSTRLEN], fmt[32];
	const struct sg_listener *l;
	unsigned int i;
	size_t n;

	for (i = 0; i < __SYNGUARD_LC_MAX; i++)
		w[i] = strlen(sg_listener_counts[i].name);
	for (n = 0; n < ls->n; n++) {
		l = &ls->l[n];
		sg_addr_str(l->addr, addr, sizeof(addr));
		if ((int)strlen(addr) > addr_w)
			addr_w = strlen(addr);
		for (i = 0; i < __SYNGUARD_LC_MAX; i++)
			if (l->has_count[i] && digits(l->counts[i]) > w[i])
				w[i] = digits(l->counts[i]);
	}

	print_header(addr_w, w);
	out_open_arr(NULL);
	for (n = 0; n < ls->n; n++) {
		l = &ls->l[n];
		out_open_obj(NULL);
		snprintf(fmt, sizeof(fmt), "%%-%ds", addr_w);
		out_str("addr", fmt, sg_addr_str(l->addr, addr, sizeof(addr)));
		out_u64("port", "  %5llu", l->port);
		for (i = 0; i < __SYNGUARD_LC_MAX; i++) {
			if (!l->has_count[i]) {
				out_text("  %*s", w[i], "-");
				continue;
			}
			snprintf(fmt, sizeof(fmt), "  %%%dllu", w[i]);
			out_u64(sg_listener_counts[i].name, fmt, l->counts[i]);
		}
		out_text("\n");
		out_close_obj();
	}
	out_close_arr();
}

/* HELP text escapes backslash and newline. */
static void prom_escape(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '\n')
			fputs(*s == '\n' ? "\\n" : "\\\\", stdout);
		else
			putchar(*s);
	}
}

/*
 * The Prometheus text format: one family per count, a sample per
 * listener that reported it, labelled with its address and port.
 */
static void print_prometheus(const struct listeners *ls)
{
	const struct sg_counter *c;
	char addr[SG_ADDRSTRLEN];
	const char *suffix;
	unsigned int i;
	size_t n;

	for (i = 0; i < __SYNGUARD_LC_MAX; i++) {
		c = &sg_listener_counts[i];
		suffix = c->kind == SYNGUARD_CK_COUNTER ? "_total" : "";
		printf("# HELP synguard_listener_%s%s ", c->name, suffix);
		prom_escape(c->desc);
		printf("\n# TYPE synguard_listener_%s%s %s\n", c->name, suffix,
		       c->kind == SYNGUARD_CK_COUNTER ? "counter" : "gauge");
		for (n = 0; n < ls->n; n++) {
			if (!ls->l[n].has_count[i])
				continue;
			printf("synguard_listener_%s%s{addr=\"%s\",port=\"%u\"} %llu\n",
			       c->name, suffix,
			       sg_addr_str(ls->l[n].addr, addr, sizeof(addr)),
			       ls->l[n].port, ls->l[n].counts[i]);
		}
	}
}

int cmd_listeners(int argc, char **argv, const struct sg_opts *opts)
{
	struct listeners ls = {};
	struct nlmsghdr *nlh;
	bool prometheus = false;
	struct nl *nl;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--prometheus") || prometheus) {
			pr_err("unexpected argument \"%s\" for '%s'", argv[i],
			       argv[0]);
			return EXIT_USAGE;
		}
		prometheus = true;
	}
	if (prometheus && opts->json) {
		pr_err("-j cannot be combined with --prometheus");
		return EXIT_USAGE;
	}
	ret = nl_open(&nl, opts->netns);
	if (ret)
		return EXIT_FAILURE;
	nlh = nl_req(nl, SYNGUARD_CMD_GET_LISTENERS, NLM_F_DUMP);
	ret = nl_exec(nl, nlh, listener_cb, &ls);
	nl_close(nl);
	if (!ret) {
		if (ls.n)
			qsort(ls.l, ls.n, sizeof(*ls.l), cmp_listener);
		if (prometheus)
			print_prometheus(&ls);
		else
			print_listeners(&ls);
	}
	free(ls.l);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
