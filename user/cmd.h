/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Subcommands. Each gets its own name in argv[0] and its arguments after
 * it, and returns the process exit status.
 */
#ifndef SYNGUARD_CMD_H
#define SYNGUARD_CMD_H

#include <stdbool.h>
#include <stdlib.h>
#include <linux/synguard.h>

/* EXIT_SUCCESS, EXIT_FAILURE (runtime error), or this for bad usage. */
#define EXIT_USAGE	2

struct listener_row;
struct nlmsghdr;

struct sg_opts {
	bool json;
	const char *netns;
};

int cmd_show(int argc, char **argv, const struct sg_opts *opts);
int cmd_get(int argc, char **argv, const struct sg_opts *opts);
int cmd_set(int argc, char **argv, const struct sg_opts *opts);
int cmd_apply(int argc, char **argv, const struct sg_opts *opts);
int cmd_knobs(int argc, char **argv, const struct sg_opts *opts);
int cmd_stats(int argc, char **argv, const struct sg_opts *opts);
int cmd_listeners(int argc, char **argv, const struct sg_opts *opts);
int cmd_conns(int argc, char **argv, const struct sg_opts *opts);
int cmd_monitor(int argc, char **argv, const struct sg_opts *opts);
int cmd_service(int argc, char **argv, const struct sg_opts *opts);
int cmd_secret(int argc, char **argv, const struct sg_opts *opts);

struct svc_list;

/*
 * Make the namespace's services exactly @want: delete those not in it or
 * with other overrides, then add the missing ones. For apply. Returns 0
 * or -errno, reported.
 */
int services_sync(const struct sg_opts *opts, const struct svc_list *want);

/*
 * Knob @id's value: in text as @text_fmt, given the name and the value
 * (the mode by name); in JSON as "name": value, the mode as a string.
 */
#define KNOB_LINE	"%s = %s\n"	/* show, get */
#define KNOB_WORD	" %s=%s"	/* a service's overrides */
void print_knob(unsigned int id, __u32 val, const char *text_fmt);

/* A nest @type of the knobs @present, with their @val, into @nlh. */
void put_knobs(struct nlmsghdr *nlh, __u16 type, const __u32 *val,
	       const bool *present);

/* What the module reports, read for more than one command. */
struct stats {
	__u64 val[__SYNGUARD_CNT_MAX];
	bool present[__SYNGUARD_CNT_MAX];
};

struct listeners {
	struct listener_row *l;
	size_t n;
	size_t alloc;
};

/* The counters, read and zeroed in one step if @reset. */
int read_stats(const struct sg_opts *opts, bool reset, struct stats *st);
/* The listeners into @ls, sorted by port and address. */
int read_listeners(const struct sg_opts *opts, struct listeners *ls);
/* The namespace's services into @list, sorted. */
int read_services(const struct sg_opts *opts, struct svc_list *list);

/*
 * stats [reset] --prometheus: the counters, the listeners' counts and
 * the services, in the text exposition format. When the module does not
 * answer, only synguard_up 0 and synguard_build_info. Returns the exit
 * status.
 */
int print_prometheus(const struct sg_opts *opts, bool reset);

/* "Error: unexpected argument ..." unless @argc is 1; true if it was. */
bool no_args(int argc, char **argv);

#endif /* SYNGUARD_CMD_H */
