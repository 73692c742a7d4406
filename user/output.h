/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print path for text and JSON. Each out_*() call carries both the
 * JSON key and the text format; which one is used depends on -j. Text
 * formats take exactly one conversion for the value (none for out_bool,
 * which prints its format only when the value is true).
 */
#ifndef SYNGUARD_OUTPUT_H
#define SYNGUARD_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

void out_init(bool json);
bool out_is_json(void);

/* @key is NULL at the top level and inside arrays. */
void out_open_obj(const char *key);
void out_close_obj(void);
void out_open_arr(const char *key);
void out_close_arr(void);
/* Close whatever is still open, so that stdout is valid JSON. */
void out_close_all(void);

void out_u64(const char *key, const char *fmt, __u64 val);
void out_str(const char *key, const char *fmt, const char *val);
void out_bool(const char *key, const char *fmt, bool val);
/* Text only; nothing in JSON. */
#define out_text(fmt, ...)						\
	do {								\
		if (!out_is_json())					\
			printf(fmt, ##__VA_ARGS__);			\
	} while (0)

/*
 * Messages on stderr, one line each. Macros rather than functions so
 * that the compiler checks the formats as it does printf's.
 */
#define pr_err(fmt, ...)						\
	do {								\
		fflush(stdout);						\
		fprintf(stderr, "Error: " fmt "\n", ##__VA_ARGS__);	\
	} while (0)

#define pr_warn(fmt, ...)						\
	do {								\
		fflush(stdout);						\
		fprintf(stderr, "warning: " fmt "\n", ##__VA_ARGS__);	\
	} while (0)

#endif /* SYNGUARD_OUTPUT_H */
