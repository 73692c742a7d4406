// SPDX-License-Identifier: GPL-2.0
/*
 * A small streaming JSON writer behind the out_*() calls. Output is
 * compact; a top-level value ends with a newline, so that "monitor -j"
 * prints one object per line.
 */
#include <stdio.h>

#include "output.h"

#define MAX_DEPTH	8

static struct {
	bool json;
	unsigned int depth;
	struct {
		bool first;	/* nothing printed yet at this level */
		char close;	/* '}' or ']' */
	} level[MAX_DEPTH];
} out;

void out_init(bool json)
{
	out.json = json;
	out.depth = 0;
}

bool out_is_json(void)
{
	return out.json;
}

static void json_string(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				printf("\\u%04x", *p);
			else
				putchar(*p);
		}
	}
	putchar('"');
}

/* Comma and key before a value at the current level. */
static void json_member(const char *key)
{
	if (out.depth) {
		if (!out.level[out.depth - 1].first)
			putchar(',');
		out.level[out.depth - 1].first = false;
	}
	if (key) {
		json_string(key);
		putchar(':');
	}
}

/* Nesting is fixed by the callers and never deeper than MAX_DEPTH. */
static void json_open(const char *key, char open, char close)
{
	if (out.depth == MAX_DEPTH)
		return;
	json_member(key);
	putchar(open);
	out.level[out.depth].first = true;
	out.level[out.depth].close = close;
	out.depth++;
}

static void json_close(void)
{
	if (!out.depth)
		return;
	putchar(out.level[--out.depth].close);
	if (!out.depth)
		putchar('\n');
}

void out_open_obj(const char *key)
{
	if (out.json)
		json_open(key, '{', '}');
}

void out_close_obj(void)
{
	if (out.json)
		json_close();
}

void out_open_arr(const char *key)
{
	if (out.json)
		json_open(key, '[', ']');
}

void out_close_arr(void)
{
	if (out.json)
		json_close();
}

void out_u64(const char *key, const char *fmt, __u64 val)
{
	if (out.json) {
		json_member(key);
		printf("%llu", val);
	} else if (fmt) {
		printf(fmt, val);
	}
}

void out_str(const char *key, const char *fmt, const char *val)
{
	if (out.json) {
		json_member(key);
		json_string(val);
	} else if (fmt) {
		printf(fmt, val);
	}
}

void out_bool(const char *key, const char *fmt, bool val)
{
	if (out.json) {
		json_member(key);
		fputs(val ? "true" : "false", stdout);
	} else if (fmt && val) {
		fputs(fmt, stdout);
	}
}

void out_close_all(void)
{
	while (out.json && out.depth)
		json_close();
}
