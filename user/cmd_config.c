// SPDX-License-Identifier: GPL-2.0
/*
 * show, get, set, apply and knobs: the per-namespace configuration.
 * Values are checked here against the knob table before anything is
 * sent, and a set or the knobs of an apply go out as one SET_CONFIG,
 * which the module applies all at once or not at all. The services of an
 * apply file follow, one ADD_SERVICE or DEL_SERVICE at a time.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "cmd.h"
#include "decode.h"
#include "knobs.h"
#include "nl.h"
#include "output.h"
#include "svc.h"
#include "tables.h"

struct config {
	__u32 val[__SYNGUARD_KNOB_MAX];
	bool present[__SYNGUARD_KNOB_MAX];
	unsigned int line[__SYNGUARD_KNOB_MAX];	/* apply: where set */
	struct svc_list services;		/* apply: service lines */
};

static const char *type_name(enum synguard_knob_type type)
{
	if (type < ARRAY_SIZE(sg_knob_types))
		return sg_knob_types[type].name;
	return "u32";
}

static void unknown_key(const char *key, char *msg, size_t len)
{
	char list[512];

	knob_list(list, sizeof(list));
	snprintf(msg, len, "unknown key \"%s\"; known keys: %s", key, list);
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SYNGUARD_A_MAX + 1], *attr;
	struct config *cfg = data;
	__u64 vals[__SYNGUARD_KNOB_MAX] = {};
	unsigned int i;
	int ret;

	ret = sg_parse_msg(nlh, tb);
	if (ret)
		return ret;
	attr = tb[SYNGUARD_A_VERSION];
	if (attr)
		nl_check_version(mnl_attr_get_u32(attr));
	if (!tb[SYNGUARD_A_CONFIG])
		return -EBADMSG;
	ret = sg_decode_table(tb[SYNGUARD_A_CONFIG], MNL_TYPE_U32, vals,
			      cfg->present, __SYNGUARD_KNOB_MAX);
	if (ret)
		return ret;
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++)
		cfg->val[i] = vals[i];
	return 0;
}

static int read_config(const struct sg_opts *opts, struct config *cfg)
{
	char buf[NL_MSG_SIZE];
	struct nlmsghdr *nlh;

	nlh = nl_msg(buf, SYNGUARD_CMD_GET_CONFIG, NLM_F_ACK);
	return nl_call(opts->netns, nlh, config_cb, cfg);
}

void put_knobs(struct nlmsghdr *nlh, __u16 type, const __u32 *val,
	       const bool *present)
{
	struct nlattr *nest;
	unsigned int i;

	nest = mnl_attr_nest_start(nlh, type);
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++)
		if (present[i])
			mnl_attr_put_u32(nlh, SYNGUARD_KNOB_ATTR(i), val[i]);
	mnl_attr_nest_end(nlh, nest);
}

static int write_config(const struct sg_opts *opts, const struct config *cfg)
{
	char buf[NL_MSG_SIZE];
	struct nlmsghdr *nlh;

	nlh = nl_msg(buf, SYNGUARD_CMD_SET_CONFIG, NLM_F_ACK);
	put_knobs(nlh, SYNGUARD_A_CONFIG, cfg->val, cfg->present);
	return nl_call(opts->netns, nlh, NULL, NULL);
}

void print_knob(unsigned int id, __u32 val, const char *text_fmt)
{
	const struct knob_def *k = &knob_defs[id];
	char buf[32];

	out_text(text_fmt, k->name, knob_format(id, val, buf, sizeof(buf)));
	if (k->type == SYNGUARD_KT_MODE && val < ARRAY_SIZE(sg_modes))
		out_str(k->name, NULL, sg_modes[val].name);
	else
		out_u64(k->name, NULL, val);
}

int cmd_show(int argc, char **argv, const struct sg_opts *opts)
{
	struct config cfg = {};
	unsigned int i;

	if (!no_args(argc, argv))
		return EXIT_USAGE;
	if (read_config(opts, &cfg))
		return EXIT_FAILURE;
	out_open_obj(NULL);
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++)
		if (cfg.present[i])
			print_knob(i, cfg.val[i], KNOB_LINE);
	out_close_obj();
	return EXIT_SUCCESS;
}

int cmd_get(int argc, char **argv, const struct sg_opts *opts)
{
	bool printed[__SYNGUARD_KNOB_MAX] = {};
	struct config cfg = {};
	char msg[1024];
	int i, id;

	if (argc < 2) {
		pr_err("'%s' needs at least one KEY", argv[0]);
		return EXIT_USAGE;
	}
	for (i = 1; i < argc; i++) {
		if (knob_lookup(argv[i]) < 0) {
			unknown_key(argv[i], msg, sizeof(msg));
			pr_err("%s", msg);
			return EXIT_USAGE;
		}
	}
	if (read_config(opts, &cfg))
		return EXIT_FAILURE;
	for (i = 1; i < argc; i++) {
		id = knob_lookup(argv[i]);
		if (!cfg.present[id]) {
			pr_err("the synguard module did not report \"%s\"",
			       argv[i]);
			return EXIT_FAILURE;
		}
	}

	out_open_obj(NULL);
	for (i = 1; i < argc; i++) {
		id = knob_lookup(argv[i]);
		if (printed[id])
			continue;
		printed[id] = true;
		print_knob(id, cfg.val[id], KNOB_LINE);
	}
	out_close_obj();
	return EXIT_SUCCESS;
}

int cmd_set(int argc, char **argv, const struct sg_opts *opts)
{
	struct config cfg = {};
	char msg[1024], *eq;
	int i, id;

	if (argc < 2) {
		pr_err("'%s' needs at least one KEY=VALUE", argv[0]);
		return EXIT_USAGE;
	}
	for (i = 1; i < argc; i++) {
		eq = strchr(argv[i], '=');
		if (!eq) {
			pr_err("expected KEY=VALUE, got \"%s\"", argv[i]);
			return EXIT_USAGE;
		}
		*eq = '\0';
		id = knob_lookup(argv[i]);
		if (id < 0) {
			unknown_key(argv[i], msg, sizeof(msg));
			pr_err("%s", msg);
			return EXIT_USAGE;
		}
		if (cfg.present[id]) {
			pr_err("key \"%s\" given twice", argv[i]);
			return EXIT_USAGE;
		}
		if (knob_parse(id, eq + 1, &cfg.val[id], msg, sizeof(msg))) {
			pr_err("%s", msg);
			return EXIT_USAGE;
		}
		cfg.present[id] = true;
	}
	return write_config(opts, &cfg) ? EXIT_FAILURE : EXIT_SUCCESS;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* @s without the quotes around it, if it has a matching pair. */
static char *unquote(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		s[n - 1] = '\0';
		return s + 1;
	}
	return s;
}

/*
 * "service SPEC [KEY=VALUE...]", @args being what follows "service".
 * Services that duplicate or overlap one given earlier are refused here,
 * as the module would refuse them half way through the apply.
 */
static int parse_service(char *args, unsigned int lineno, struct config *cfg,
			 char *msg, size_t len)
{
	char spec[SVC_SPECSTRLEN], other[SVC_SPECSTRLEN], *word, *save, *eq;
	char *value;
	const struct svc_spec *s;
	struct svc_spec svc;
	size_t i;
	int ret;

	if (strchr(args, '#') || strchr(args, ';')) {
		snprintf(msg, len,
			 "comment after a service; comments must be on a line of their own");
		return -EINVAL;
	}
	word = strtok_r(args, " \t", &save);
	if (!word) {
		snprintf(msg, len, "expected \"service %s [KEY=VALUE...]\"",
			 SVC_SYNTAX);
		return -EINVAL;
	}
	ret = svc_parse_spec(word, &svc, msg, len);
	while (!ret && (word = strtok_r(NULL, " \t", &save))) {
		eq = strchr(word, '=');
		if (eq) {
			value = unquote(eq + 1);
			memmove(eq + 1, value, strlen(value) + 1);
		}
		ret = svc_parse_knob(&svc, word, msg, len);
	}
	if (ret)
		return ret;

	svc_spec_str(&svc, spec, sizeof(spec));
	for (i = 0; i < cfg->services.n; i++) {
		s = &cfg->services.s[i];
		if (svc_same_spec(&svc, s)) {
			snprintf(msg, len, "service %s already given on line %u",
				 spec, s->line);
			return -EEXIST;
		}
		if (svc_overlaps(&svc, s)) {
			snprintf(msg, len,
				 "service %s overlaps service %s on line %u%s",
				 spec, svc_spec_str(s, other, sizeof(other)),
				 s->line, svc_overlap_hint(&svc, s));
			return -EEXIST;
		}
	}
	svc.line = lineno;
	if (svc_list_append(&cfg->services, &svc)) {
		snprintf(msg, len, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	return 0;
}

/*
 * One line of a sysctl.conf-style file into @cfg: "key = value" or
 * "service SPEC [KEY=VALUE...]". Returns 0 (blank and comment lines
 * included) or -errno with a message in @msg.
 */
static int parse_line(char *line, unsigned int lineno, struct config *cfg,
		      char *msg, size_t len)
{
	char *key, *value, *eq;
	int id, ret;

	key = trim(line);
	if (!*key || *key == '#' || *key == ';')
		return 0;
	if (!strncmp(key, "service", 7) &&
	    (!key[7] || isspace((unsigned char)key[7])))
		return parse_service(key + 7, lineno, cfg, msg, len);
	eq = strchr(key, '=');
	if (!eq) {
		snprintf(msg, len, "expected \"key = value\", got \"%s\"", key);
		return -EINVAL;
	}
	*eq = '\0';
	key = trim(key);
	value = unquote(trim(eq + 1));
	if (!*key) {
		snprintf(msg, len, "missing key before \"=\"");
		return -EINVAL;
	}
	id = knob_lookup(key);
	if (id < 0) {
		unknown_key(key, msg, len);
		return -ENOENT;
	}
	if (cfg->present[id]) {
		snprintf(msg, len, "key \"%s\" already set on line %u", key,
			 cfg->line[id]);
		return -EEXIST;
	}
	if (strchr(value, '#') || strchr(value, ';')) {
		snprintf(msg, len,
			 "comment after the value of %s; comments must be on a line of their own",
			 key);
		return -EINVAL;
	}
	ret = knob_parse(id, value, &cfg->val[id], msg, len);
	if (ret)
		return ret;
	cfg->present[id] = true;
	cfg->line[id] = lineno;
	return 0;
}

/* Parse all of @f, reporting every bad line. Returns the number of those. */
static unsigned int parse_file(FILE *f, const char *name, struct config *cfg)
{
	unsigned int lineno = 0, errors = 0;
	char msg[1024], *line = NULL;
	size_t size = 0;
	ssize_t n;

	while ((n = getline(&line, &size, f)) >= 0) {
		lineno++;
		if (strlen(line) != (size_t)n)
			snprintf(msg, sizeof(msg), "line contains a NUL byte");
		else if (!parse_line(line, lineno, cfg, msg, sizeof(msg)))
			continue;
		fprintf(stderr, "%s:%u: %s\n", name, lineno, msg);
		errors++;
	}
	free(line);
	return errors;
}

int cmd_apply(int argc, char **argv, const struct sg_opts *opts)
{
	const char *file = NULL, *name;
	struct config cfg = {};
	bool check = false;
	unsigned int errors;
	FILE *f;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check")) {
			check = true;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			pr_err("unknown option \"%s\" for '%s'", argv[i],
			       argv[0]);
			return EXIT_USAGE;
		}
		if (file) {
			pr_err("unexpected argument \"%s\" for '%s': only one FILE is read",
			       argv[i], argv[0]);
			return EXIT_USAGE;
		}
		file = argv[i];
	}
	if (!file) {
		pr_err("'%s' needs a FILE (- for standard input)", argv[0]);
		return EXIT_USAGE;
	}

	if (!strcmp(file, "-")) {
		name = "<stdin>";
		f = stdin;
	} else {
		name = file;
		f = fopen(file, "r");
		if (!f) {
			pr_err("cannot open \"%s\": %s", file, strerror(errno));
			return EXIT_FAILURE;
		}
	}
	errors = parse_file(f, name, &cfg);
	if (ferror(f)) {
		pr_err("cannot read \"%s\": %s", name, strerror(errno));
		errors++;
	}
	if (f != stdin)
		fclose(f);
	if (errors || check)
		goto out;

	if (memchr(cfg.present, true, sizeof(cfg.present)) &&
	    write_config(opts, &cfg))
		errors++;
	/*
	 * A file without service lines leaves the services alone, so that
	 * a plain knob file, as older versions took, does not delete them.
	 * The price: a file cannot say "no services at all".
	 */
	if (!errors && cfg.services.n && services_sync(opts, &cfg.services))
		errors++;
out:
	svc_list_free(&cfg.services);
	return errors ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* The knob table itself; needs no module. */
int cmd_knobs(int argc, char **argv, const struct sg_opts *opts)
{
	char range[128], buf[32];
	const struct knob_def *k;
	const char *def;
	unsigned int i, m;

	(void)opts;	/* the table is compiled in: no module, no netns */
	if (!no_args(argc, argv))
		return EXIT_USAGE;
	out_open_arr(NULL);
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++) {
		k = &knob_defs[i];
		knob_range(i, range, sizeof(range));
		def = knob_format(i, k->def, buf, sizeof(buf));

		out_open_obj(NULL);
		out_str("name", "%s", k->name);
		out_str("type", NULL, type_name(k->type));
		out_text(" (%s; default %s)\n\t", range, def);
		out_u64("min", NULL, k->min);
		out_u64("max", NULL, k->max);
		if (k->type == SYNGUARD_KT_MODE) {
			out_str("default", NULL, def);
			out_open_arr("values");
			for (m = 0; m < ARRAY_SIZE(sg_modes); m++)
				out_str(NULL, NULL, sg_modes[m].name);
			out_close_arr();
		} else {
			out_u64("default", NULL, k->def);
		}
		out_str("description", "%s\n", k->desc);
		out_close_obj();
	}
	out_close_arr();
	return EXIT_SUCCESS;
}
