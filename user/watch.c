// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "cmd.h"
#include "output.h"
#include "parse.h"
#include "watch.h"

static bool all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/*
 * Take "-w [SECS]" or "-c COUNT" at argv[*i], moving *i past what was
 * used. Returns 1 if taken, 0 if the word is not one of them, or -1 on
 * bad usage, reported.
 */
static int watch_arg(struct watch *w, int argc, char **argv, int *i)
{
	const char *arg = argv[*i], *val;
	__u64 v;

	if (!strcmp(arg, "-w")) {
		w->interval = 1;
		if (*i + 1 == argc || !all_digits(argv[*i + 1]))
			return 1;
		val = argv[++*i];
		if (parse_u64(val, &v) || !v || v > WATCH_MAX_SECS) {
			pr_err("invalid interval \"%s\" for -w: expected whole seconds from 1 to %u",
			       val, WATCH_MAX_SECS);
			return -1;
		}
		w->interval = v;
		return 1;
	}
	if (strcmp(arg, "-c"))
		return 0;
	if (*i + 1 == argc) {
		pr_err("'-c' needs a value");
		return -1;
	}
	val = argv[++*i];
	if (parse_u64(val, &v) || !v || v != (unsigned long)v) {
		pr_err("invalid count \"%s\" for -c: expected a whole number, at least 1",
		       val);
		return -1;
	}
	w->count = v;
	return 1;
}

/* The index of @arg in @words, not seen yet, or -1. */
static int word(const char *arg, const char *const *words, const bool *seen)
{
	int i;

	for (i = 0; words && words[i]; i++)
		if (!strcmp(arg, words[i]) && !seen[i])
			return i;
	return -1;
}

bool watch_args(struct watch *w, int argc, char **argv,
		const char *const *words, bool *seen,
		const struct sg_opts *opts)
{
	int i, ret;

	for (i = 1; i < argc; i++) {
		ret = watch_arg(w, argc, argv, &i);
		if (ret < 0)
			return false;
		if (ret)
			continue;
		ret = word(argv[i], words, seen);
		if (ret < 0) {
			pr_err("unexpected argument \"%s\" for '%s'", argv[i],
			       argv[0]);
			return false;
		}
		seen[ret] = true;
	}
	if (w->count && !w->interval) {
		pr_err("-c needs -w");
		return false;
	}
	if (w->interval && opts->json) {
		pr_err("-j cannot be combined with -w");
		return false;
	}
	return true;
}

int signals_open(void)
{
	sigset_t mask;
	int sfd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, NULL)) {
		pr_err("sigprocmask: %s", strerror(errno));
		return -errno;
	}
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		pr_err("signalfd: %s", strerror(errno));
		return -errno;
	}
	return sfd;
}

int watch_start(struct watch *w)
{
	w->sfd = signals_open();
	if (w->sfd < 0)
		return w->sfd;
	clock_gettime(CLOCK_MONOTONIC, &w->start);
	w->last = w->start;
	w->done = 0;
	return 0;
}

void watch_end(struct watch *w)
{
	close(w->sfd);
}

static double secs_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

bool watch_next(struct watch *w, double *secs)
{
	struct pollfd pfd = { .fd = w->sfd, .events = POLLIN };
	struct timespec now;
	double left;
	int ret;

	if (w->count && w->done == w->count)
		return false;
	/* Blocks on a fixed grid from the start, so that they do not drift. */
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (double)(w->done + 1) * w->interval -
		       secs_between(&w->start, &now);
		if (left <= 0)
			break;
		ret = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (ret > 0)
			return false;
		if (ret < 0 && errno != EINTR)
			return false;
	}
	*secs = secs_between(&w->last, &now);
	w->last = now;
	w->done++;
	return true;
}

void watch_header(const struct watch *w, double secs)
{
	char now[40];

	if (isatty(STDOUT_FILENO))
		fputs("\033[H\033[2J", stdout);
	else if (w->done > 1)
		putchar('\n');
	printf("%s  every %u s; counters per second over the last %.1f s\n",
	       iso_time(now, sizeof(now), false), w->interval, secs);
}

double watch_rate(__u64 now, __u64 before, double secs)
{
	if (secs <= 0)
		return 0;
	return (now >= before ? now - before : now) / secs;
}

const char *iso_time(char *buf, size_t len, bool ms)
{
	char date[32], zone[8] = "";
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	/* ISO 8601's extended form wants +01:00 where %z gives +0100. */
	if (ms)
		snprintf(buf, len, "%s.%03ld%.3s:%s", date,
			 ts.tv_nsec / 1000000, zone, zone + 3);
	else
		snprintf(buf, len, "%s%.3s:%s", date, zone, zone + 3);
	return buf;
}
