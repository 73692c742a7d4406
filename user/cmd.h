/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Subcommands. Each gets its own name in argv[0] and its arguments after
 * it, and returns the process exit status.
 */
#ifndef SYNGUARD_CMD_H
#define SYNGUARD_CMD_H

#include <stdbool.h>
#include <stdlib.h>
#include <linux/types.h>

/* EXIT_SUCCESS, EXIT_FAILURE (runtime error), or this for bad usage. */
#define EXIT_USAGE	2

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

/* "Error: unexpected argument ..." unless @argc is 1; true if it was. */
bool no_args(int argc, char **argv);

#endif /* SYNGUARD_CMD_H */
