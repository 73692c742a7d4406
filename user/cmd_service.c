// SPDX-License-Identifier: GPL-2.0
/*
 * service: the protected services of the namespace. add and del check
 * the spec and the overrides here and send nothing if they are bad;
 * whether a service overlaps another is for the module to say. list
 * prints each service in the syntax add takes, so that its lines can be
 * given back to add or to an apply file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "cmd.h"
#include "decode.h"
#include "knobs.h"
#include "nl.h"
#include "output.h"
#include "svc.h"
#include "tables.h"

/* ADD_SERVICE (with the overrides) or DEL_SERVICE of @svc, sent. */
static int change_service(const struct sg_opts *opts, __u8 cmd,
			  const struct svc_spec *svc)
{
	bool config = cmd == SYNGUARD_CMD_ADD_SERVICE;
	char buf[NL_MSG_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = nl_msg(buf, cmd, NLM_F_ACK);
	nest = mnl_attr_nest_start(nlh, SYNGUARD_A_SERVICE);
	mnl_attr_put(nlh, SYNGUARD_S_A_ADDR, sizeof(svc->addr), &svc->addr);
	mnl_attr_put_u8(nlh, SYNGUARD_S_A_PREFIX, svc->prefix);
	mnl_attr_put_u16(nlh, SYNGUARD_S_A_PORT_MIN, svc->port_min);
	mnl_attr_put_u16(nlh, SYNGUARD_S_A_PORT_MAX, svc->port_max);
	if (config && memchr(svc->present, true, sizeof(svc->present)))
		put_knobs(nlh, SYNGUARD_S_A_CONFIG, svc->val, svc->present);
	mnl_attr_nest_end(nlh, nest);
	return nl_call(opts->netns, nlh, NULL, NULL);
}

static int service_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SYNGUARD_A_MAX + 1];
	struct svc_list *list = data;
	struct svc_spec svc;
	int ret;

	ret = sg_parse_msg(nlh, tb);
	if (ret)
		return ret;
	if (!tb[SYNGUARD_A_SERVICE])
		return -EBADMSG;
	ret = sg_decode_svc(tb[SYNGUARD_A_SERVICE], &svc);
	if (ret)
		return ret;
	return svc_list_append(list, &svc);
}

int read_services(const struct sg_opts *opts, struct svc_list *list)
{
	char buf[NL_MSG_SIZE];
	struct nlmsghdr *nlh;
	int ret;

	nlh = nl_msg(buf, SYNGUARD_CMD_GET_SERVICES, NLM_F_DUMP);
	ret = nl_call(opts->netns, nlh, service_cb, list);
	if (!ret && list->n)
		qsort(list->s, list->n, sizeof(*list->s), svc_cmp);
	return ret;
}

/*
 * "SPEC mode=MODE key=value..." in text, which 'service add' takes back;
 * in JSON the mode in effect, and the overrides under "config".
 */
static void print_service(const struct svc_spec *svc)
{
	char spec[SVC_SPECSTRLEN], addr[SG_ADDRSTRLEN], text[512], num[12];
	unsigned int ids[__SYNGUARD_KNOB_MAX], i, n;

	out_open_obj(NULL);
	out_str("addr", NULL, svc_addr_str(svc, addr, sizeof(addr)));
	out_u64("prefix", NULL, svc_prefix(svc));
	out_str("family", NULL, svc_family(svc));
	out_u64("port_min", NULL, svc->port_min);
	out_u64("port_max", NULL, svc->port_max);
	out_str("spec", "%s", svc_spec_str(svc, spec, sizeof(spec)));
	out_text(" %s\n", svc_settings_str(svc, text, sizeof(text)));
	out_str("mode", NULL, sg_name_of(sg_modes, ARRAY_SIZE(sg_modes),
					 svc_mode(svc), num, sizeof(num)));
	out_open_obj("config");
	n = out_is_json() ? svc_overrides(svc, ids) : 0;
	for (i = 0; i < n; i++)
		print_knob(ids[i], svc->val[ids[i]], KNOB_WORD);
	out_close_obj();
	out_close_obj();
}

static int service_list(int argc, char **argv, const struct sg_opts *opts)
{
	struct svc_list list = {};
	size_t i;
	int ret;

	if (argc > 1) {
		pr_err("unexpected argument \"%s\" for 'service %s'", argv[1],
		       argv[0]);
		return EXIT_USAGE;
	}
	ret = read_services(opts, &list);
	if (!ret) {
		out_open_arr(NULL);
		for (i = 0; i < list.n; i++)
			print_service(&list.s[i]);
		out_close_arr();
	}
	svc_list_free(&list);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

/*
 * Add @svc, unless it is there already as given: then say so, and
 * succeed. One that is there with other settings, or that overlaps
 * another, is named in the error.
 */
static int add_service(const struct sg_opts *opts, const struct svc_spec *svc)
{
	char spec[SVC_SPECSTRLEN], other[SVC_SPECSTRLEN], text[512];
	struct svc_list have = {};
	const struct svc_spec *s;
	int ret = EXIT_SUCCESS;
	size_t i;

	if (read_services(opts, &have))
		return EXIT_FAILURE;
	svc_spec_str(svc, spec, sizeof(spec));
	for (i = 0; i < have.n; i++) {
		s = &have.s[i];
		if (svc_same(svc, s)) {
			printf("service %s already exists as given; nothing changed\n",
			       spec);
			goto out;
		}
		if (svc_same_spec(svc, s)) {
			pr_err("service %s already exists with %s; delete it first, or use apply",
			       spec, svc_settings_str(s, text, sizeof(text)));
			ret = EXIT_FAILURE;
			goto out;
		}
		if (svc_overlaps(svc, s)) {
			pr_err("service %s overlaps service %s%s", spec,
			       svc_spec_str(s, other, sizeof(other)),
			       svc_overlap_hint(svc, s));
			ret = EXIT_FAILURE;
			goto out;
		}
	}
	if (change_service(opts, SYNGUARD_CMD_ADD_SERVICE, svc))
		ret = EXIT_FAILURE;
out:
	svc_list_free(&have);
	return ret;
}

/* add SPEC [KEY=VALUE...] and del SPEC. */
static int service_change(int argc, char **argv, const struct sg_opts *opts)
{
	bool add = !strcmp(argv[0], "add");
	struct svc_spec svc;
	char msg[1024];
	int i;

	if (opts->json) {
		pr_err("-j is not supported by 'service %s'", argv[0]);
		return EXIT_USAGE;
	}
	if (argc < 2) {
		pr_err("'service %s' needs a service: %s", argv[0],
		       SVC_SYNTAX);
		return EXIT_USAGE;
	}
	if (svc_parse_spec(argv[1], &svc, msg, sizeof(msg))) {
		pr_err("%s", msg);
		return EXIT_USAGE;
	}
	for (i = 2; i < argc; i++) {
		if (!add) {
			pr_err("unexpected argument \"%s\" for 'service %s'",
			       argv[i], argv[0]);
			return EXIT_USAGE;
		}
		if (svc_parse_knob(&svc, argv[i], msg, sizeof(msg))) {
			pr_err("%s", msg);
			return EXIT_USAGE;
		}
	}

	if (!add)
		return change_service(opts, SYNGUARD_CMD_DEL_SERVICE, &svc) ?
		       EXIT_FAILURE : EXIT_SUCCESS;
	return add_service(opts, &svc);
}

int cmd_service(int argc, char **argv, const struct sg_opts *opts)
{
	if (argc < 2)
		return service_list(argc, argv, opts);
	if (!strcmp(argv[1], "list"))
		return service_list(argc - 1, argv + 1, opts);
	if (!strcmp(argv[1], "add") || !strcmp(argv[1], "del"))
		return service_change(argc - 1, argv + 1, opts);
	pr_err("unknown service command \"%s\"; expected add, del or list",
	       argv[1]);
	return EXIT_USAGE;
}

static bool wanted(const struct svc_spec *svc, const struct svc_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		if (svc_same(svc, &list->s[i]))
			return true;
	return false;
}

/*
 * Deletions go first: a service whose overrides change is deleted and
 * added again, and a new service may overlap one that is going away.
 */
int services_sync(const struct sg_opts *opts, const struct svc_list *want)
{
	struct svc_list have = {};
	size_t i;
	int ret;

	ret = read_services(opts, &have);
	for (i = 0; !ret && i < have.n; i++)
		if (!wanted(&have.s[i], want))
			ret = change_service(opts, SYNGUARD_CMD_DEL_SERVICE,
					     &have.s[i]);
	for (i = 0; !ret && i < want->n; i++)
		if (!wanted(&want->s[i], &have))
			ret = change_service(opts, SYNGUARD_CMD_ADD_SERVICE,
					     &want->s[i]);
	svc_list_free(&have);
	return ret;
}
