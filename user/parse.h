/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SYNGUARD_PARSE_H
#define SYNGUARD_PARSE_H

#include <stddef.h>
#include <linux/types.h>

/*
 * Parse the decimal digits at the start of @s. Stores the value in @val
 * and the first non-digit in @end. Returns 0, -EINVAL if @s does not
 * start with a digit, or -ERANGE if the number does not fit in 64 bits.
 * Signs and whitespace are not digits.
 */
int parse_dec(const char *s, __u64 *val, const char **end);

/* As parse_dec(), but the whole of @s must be digits. */
int parse_u64(const char *s, __u64 *val);

/*
 * A port, 1 to 65535, into @port. Returns 0, or -EINVAL with a one-line
 * reason written to @msg.
 */
int parse_port(const char *s, __u16 *port, char *msg, size_t len);

#endif /* SYNGUARD_PARSE_H */
