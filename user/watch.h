/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Watch mode, "-w [SECS] [-c COUNT]" of stats and listeners: a new block
 * every SECS seconds (default 1), counters as per-second rates over the
 * interval and gauges as values, until SIGINT or SIGTERM or COUNT
 * blocks; and the wall-clock time, in ISO 8601, that watch mode and
 * monitor print.
 */
#ifndef SYNGUARD_WATCH_H
#define SYNGUARD_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <linux/types.h>

struct sg_opts;

#define WATCH_MAX_SECS	3600

struct watch {
	unsigned int interval;		/* seconds; 0: not watching */
	unsigned long count;		/* blocks to print; 0: no end */
	unsigned long done;
	int sfd;			/* signalfd of SIGINT and SIGTERM */
	struct timespec start;		/* CLOCK_MONOTONIC */
	struct timespec last;
};

/*
 * The arguments of a command with a watch mode: "-w [SECS]", "-c COUNT"
 * and each word of @words (NULL-terminated) at most once, which sets
 * the same index of @seen. Anything else, -c without -w, or -j with -w
 * is bad usage, reported: false.
 */
bool watch_args(struct watch *w, int argc, char **argv,
		const char *const *words, bool *seen,
		const struct sg_opts *opts);

/* Block SIGINT and SIGTERM and return a signalfd for them, or -errno. */
int signals_open(void);

int watch_start(struct watch *w);
void watch_end(struct watch *w);

/*
 * Wait for the next block: false when interrupted or after COUNT blocks.
 * @secs is set to the time since the previous one.
 */
bool watch_next(struct watch *w, double *secs);

/*
 * The line a block starts with: the time, and the @secs the rates are
 * over (the interval, unless reading took longer). On a terminal, the
 * screen is cleared first.
 */
void watch_header(const struct watch *w, double secs);

/* Per second, from a counter read @secs apart; one reset in between. */
double watch_rate(__u64 now, __u64 before, double secs);

/* Now as 2026-11-27T13:45:02+01:00, with milliseconds if @ms. */
const char *iso_time(char *buf, size_t len, bool ms);

#endif /* SYNGUARD_WATCH_H */
