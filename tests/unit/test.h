/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small self-contained harness for the unit tests of synguard's pure
 * logic (kmod/tcp.c, kmod/state.c), and a builder of real TCP segments
 * to feed it: tests hand the parser bytes, never prefilled structs.
 */
#ifndef _SG_UNIT_TEST_H
#define _SG_UNIT_TEST_H

#include <stdio.h>
#include <string.h>

#include "tcp.h"
#include "state.h"

struct test_case {
	const char *name;
	void (*fn)(void);
};

#define TEST_CASE(fn)	{ #fn, fn }

/* Each suite's cases, ended by an entry whose name is NULL. */
extern const struct test_case tcp_tests[];
extern const struct test_case state_tests[];
extern const struct test_case cookie_tests[];
extern const struct test_case verdict_tests[];

/* Checks that failed so far; a test fails when it adds to this. */
extern unsigned int test_failures;

void test_fail(const char *file, int line, const char *expr);
void test_fail_eq(const char *file, int line, const char *expr,
		  long long expected, long long actual);
void test_fail_str(const char *file, int line, const char *expr,
		   const char *expected, const char *actual);

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			test_fail(__FILE__, __LINE__, #cond);		\
	} while (0)

#define CHECK_EQ(expected, actual)					\
	do {								\
		long long exp__ = (long long)(expected);		\
		long long act__ = (long long)(actual);			\
									\
		if (exp__ != act__)					\
			test_fail_eq(__FILE__, __LINE__, #actual,	\
				     exp__, act__);			\
	} while (0)

/*
 * A segment whose options Linux skips or stops at: it parses, and the
 * oddity is noted in t.opt_odd (the caller's struct sg_tcp must be t).
 */
#define CHECK_ODD(parse)						\
	do {								\
		CHECK_EQ(SG_PARSE_OK, (parse));				\
		CHECK(t.opt_odd);					\
	} while (0)

#define CHECK_STR(expected, actual)					\
	do {								\
		const char *exp__ = (expected);				\
		const char *act__ = (actual);				\
									\
		if (strcmp(exp__, act__))				\
			test_fail_str(__FILE__, __LINE__, #actual,	\
				      exp__, act__);			\
	} while (0)

/* A TCP segment to build. Zeroed fields mean the obvious default. */
struct seg {
	u16 sport, dport;	/* 0: 40000 and 80 */
	u32 seq, ack;
	u8 flags;
	u32 window;		/* 0: 65535; SEG_WINDOW_ZERO: 0 */
	const u8 *opts;		/* option bytes, padded with EOL to 4 */
	unsigned int optlen;
	unsigned int doff;	/* 0: what the options need */
	unsigned int payload;	/* payload bytes after the header */
};

/* For .doff: a data offset of zero, as 0 already means "derive it". */
#define SEG_DOFF_ZERO	16

/* For .window: a window of zero, as 0 already means the default. */
#define SEG_WINDOW_ZERO	0x10000

/* Options as a byte list, for a struct seg initializer. */
#define OPTS(...)							\
	.opts = (const u8[]){ __VA_ARGS__ },				\
	.optlen = sizeof((const u8[]){ __VA_ARGS__ })

/* Length of the segment @s describes, header and payload. */
unsigned int seg_len(const struct seg *s);

/*
 * Build @s and parse its first @len bytes (at most seg_len()), from a heap
 * buffer of exactly @len bytes so that the sanitizer catches any read
 * past them.
 */
enum sg_parse_err seg_parse_len(const struct seg *s, unsigned int len,
				struct sg_tcp *t);

/* Build @s and parse all of it. */
enum sg_parse_err seg_parse(const struct seg *s, struct sg_tcp *t);

/* Parse option bytes alone, from a heap buffer of exactly @len bytes. */
enum sg_parse_err opts_parse(const u8 *opt, unsigned int len,
			     struct sg_tcp *t);

#endif /* _SG_UNIT_TEST_H */
