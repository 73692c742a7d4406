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
#include "watch.h"

static int listener_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SYNGUARD_A_MAX + 1];
	struct listeners *ls = data;
	struct listener_row *l;
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
	const struct listener_row *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

/*
 * Per-listener counts of an earlier sample, for watch mode: counters are
 * printed as rates from them. A listener new since then is new within
 * the interval: its counters went up from 0.
 */
struct rates {
	const struct listeners *prev;
	double secs;
};

static const __u64 *prev_counts(const struct rates *r,
				const struct listener_row *l)
{
	const struct listener_row *p;

	if (!r->prev->n)
		return NULL;
	p = bsearch(l, r->prev->l, r->prev->n, sizeof(*p), cmp_listener);
	return p ? p->counts : NULL;
}

/* Count @i of @l as text: the value, its rate, or "-" if not reported. */
static const char *cell(const struct listener_row *l, unsigned int i,
			const struct rates *r, char *buf, size_t len)
{
	const __u64 *prev;

	if (!l->has_count[i])
		return "-";
	if (r && sg_listener_counts[i].kind == SYNGUARD_CK_COUNTER) {
		prev = prev_counts(r, l);
		snprintf(buf, len, "%.1f", watch_rate(l->counts[i],
						      prev ? prev[i] : 0,
						      r->secs));
	} else {
		snprintf(buf, len, "%llu", l->counts[i]);
	}
	return buf;
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

/* The table; with @r (watch mode, text only), counters as rates. */
static void print_listeners(const struct listeners *ls, const struct rates *r)
{
	int addr_w = strlen("ADDR"), w[__SYNGUARD_LC_MAX];
	char addr[SG_ADDRSTRLEN], fmt[32], num[32];
	const struct listener_row *l;
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
			if ((int)strlen(cell(l, i, r, num, sizeof(num))) > w[i])
				w[i] = strlen(num);
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
			if (!l->has_count[i] || r) {
				out_text("  %*s", w[i],
					 cell(l, i, r, num, sizeof(num)));
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

int read_listeners(const struct sg_opts *opts, struct listeners *ls)
{
	char buf[NL_MSG_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	ls->n = 0;
	nlh = nl_msg(buf, SYNGUARD_CMD_GET_LISTENERS, NLM_F_DUMP);
	ret = nl_call(opts->netns, nlh, listener_cb, ls);
	if (!ret && ls->n)
		qsort(ls->l, ls->n, sizeof(*ls->l), cmp_listener);
	return ret;
}

static int watch_listeners(const struct sg_opts *opts, struct watch *w)
{
	struct listeners a = {}, b = {}, *prev = &a, *cur = &b, *tmp;
	int ret = EXIT_SUCCESS;
	struct rates r;

	if (read_listeners(opts, prev) || watch_start(w)) {
		free(a.l);
		return EXIT_FAILURE;
	}
	while (watch_next(w, &r.secs)) {
		if (read_listeners(opts, cur)) {
			ret = EXIT_FAILURE;
			break;
		}
		r.prev = prev;
		watch_header(w, r.secs);
		print_listeners(cur, &r);
		fflush(stdout);
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	watch_end(w);
	free(a.l);
	free(b.l);
	return ret;
}

int cmd_listeners(int argc, char **argv, const struct sg_opts *opts)
{
	struct listeners ls = {};
	struct watch w = {};
	int ret;

	if (!watch_args(&w, argc, argv, NULL, NULL, opts))
		return EXIT_USAGE;
	if (w.interval)
		return watch_listeners(opts, &w);

	ret = read_listeners(opts, &ls);
	if (!ret)
		print_listeners(&ls, NULL);
	free(ls.l);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
