// SPDX-License-Identifier: GPL-2.0
/*
 * secret: the operator's SYN-cookie secret. Hosts behind ECMP or anycast
 * that share it validate each other's cookies. It is 16 bytes, given as
 * 32 hex digits on the first line of a file, or of standard input with
 * "-"; never on the command line, where /proc/PID/cmdline would show it
 * to every user. The module never reports it back, only whether one is
 * in use.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/synguard.h>

#include "cmd.h"
#include "decode.h"
#include "nl.h"
#include "output.h"

#define SECRET_LEN	16

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* 32 hex digits, nothing else; true and @key filled if so. */
static bool parse_secret(const char *s, unsigned char *key)
{
	unsigned int i;
	int hi, lo;

	if (strlen(s) != 2 * SECRET_LEN)
		return false;
	for (i = 0; i < SECRET_LEN; i++) {
		hi = hexval(s[2 * i]);
		lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		key[i] = hi << 4 | lo;
	}
	return true;
}

static int send_secret(const struct sg_opts *opts, const unsigned char *key)
{
	char buf[NL_MSG_SIZE];
	struct nlmsghdr *nlh;

	nlh = nl_msg(buf, SYNGUARD_CMD_SET_CONFIG, NLM_F_ACK);
	mnl_attr_put(nlh, SYNGUARD_A_COOKIE_SECRET, key ? SECRET_LEN : 0, key);
	return nl_call(opts->netns, nlh, NULL, NULL) ? EXIT_FAILURE :
						      EXIT_SUCCESS;
}

static int shared_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SYNGUARD_A_MAX + 1];
	bool *shared = data;
	int ret;

	ret = sg_parse_msg(nlh, tb);
	if (ret)
		return ret;
	*shared = tb[SYNGUARD_A_COOKIE_SHARED];
	return 0;
}

static int show_secret(const struct sg_opts *opts)
{
	char buf[NL_MSG_SIZE];
	struct nlmsghdr *nlh;
	bool shared = false;

	nlh = nl_msg(buf, SYNGUARD_CMD_GET_CONFIG, NLM_F_ACK);
	if (nl_call(opts->netns, nlh, shared_cb, &shared))
		return EXIT_FAILURE;
	out_open_obj(NULL);
	out_text("cookie secret: ");
	out_str("cookie_secret", "%s\n", shared ? "shared" : "random");
	out_close_obj();
	return EXIT_SUCCESS;
}

/* The first line of @path ("-": standard input) into @line. */
static int read_secret(const char *path, char *line, size_t size)
{
	unsigned char key[SECRET_LEN];
	bool in = !strcmp(path, "-");
	FILE *f;
	bool ok;

	f = in ? stdin : fopen(path, "re");
	if (!f) {
		if (errno == ENOENT && parse_secret(path, key)) {
			explicit_bzero(key, sizeof(key));
			pr_err("a secret on the command line is visible to every user in /proc/PID/cmdline: give it in a file or on standard input ('secret set -')");
			return EXIT_USAGE;
		}
		pr_err("%s: %s", path, strerror(errno));
		return EXIT_FAILURE;
	}
	ok = fgets(line, size, f);
	if (!in)
		fclose(f);
	if (!ok) {
		pr_err("no secret in %s", in ? "standard input" : path);
		return EXIT_FAILURE;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return EXIT_SUCCESS;
}

int cmd_secret(int argc, char **argv, const struct sg_opts *opts)
{
	unsigned char key[SECRET_LEN];
	char line[128];
	int ret;

	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "show")))
		return show_secret(opts);
	if (opts->json) {
		pr_err("-j is not supported by 'secret %s'", argv[1]);
		return EXIT_USAGE;
	}
	if (argc == 2 && !strcmp(argv[1], "clear"))
		return send_secret(opts, NULL);
	if (argc != 3 || strcmp(argv[1], "set")) {
		pr_err("usage: secret [show] | secret set FILE|- | secret clear");
		return EXIT_USAGE;
	}
	ret = read_secret(argv[2], line, sizeof(line));
	if (ret)
		return ret;
	if (!parse_secret(line, key)) {
		explicit_bzero(line, sizeof(line));
		explicit_bzero(key, sizeof(key));
		pr_err("a cookie secret is 32 hexadecimal digits (16 bytes)");
		return EXIT_FAILURE;
	}
	explicit_bzero(line, sizeof(line));
	ret = send_secret(opts, key);
	explicit_bzero(key, sizeof(key));
	return ret;
}
