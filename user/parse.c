// SPDX-License-Identifier: GPL-2.0
/*
 * Strict number parsing. strtoul() accepts leading whitespace, a sign
 * (wrapping negative numbers around) and other bases; none of that is
 * wanted for values a user types.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "parse.h"

int parse_dec(const char *s, __u64 *val, const char **end)
{
	bool overflow = false;
	const char *p;
	__u64 v = 0;

	for (p = s; *p >= '0' && *p <= '9'; p++) {
		unsigned int digit = *p - '0';

		if (v > (~0ULL - digit) / 10)
			overflow = true;
		else
			v = v * 10 + digit;
	}
	if (p == s)
		return -EINVAL;
	*val = v;
	*end = p;
	return overflow ? -ERANGE : 0;
}

int parse_u64(const char *s, __u64 *val)
{
	const char *end = s;
	int ret;

	ret = parse_dec(s, val, &end);
	if (ret == -EINVAL || *end)
		return -EINVAL;
	return ret;
}

int parse_port(const char *s, __u16 *port, char *msg, size_t len)
{
	__u64 v;

	if (parse_u64(s, &v) || v < 1 || v > 65535) {
		snprintf(msg, len,
			 "invalid port \"%s\": expected a number from 1 to 65535",
			 s);
		return -EINVAL;
	}
	*port = v;
	return 0;
}
