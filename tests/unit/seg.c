// SPDX-License-Identifier: GPL-2.0
/*
 * Builds TCP segments as the wire carries them, so that every test goes
 * through sg_tcp_parse() the way the module does.
 */
#include <stdlib.h>

#include "test.h"

static unsigned int opt_space(const struct seg *s)
{
	return (s->optlen + 3) & ~3U;
}

static unsigned int hdr_len(const struct seg *s)
{
	if (s->doff == SEG_DOFF_ZERO)
		return 0;
	return s->doff ? s->doff * 4 : SG_TCP_HDR_MIN + opt_space(s);
}

unsigned int seg_len(const struct seg *s)
{
	unsigned int hdr = hdr_len(s);

	/* A bad doff may claim less than the options: keep them whole. */
	if (hdr < SG_TCP_HDR_MIN + opt_space(s))
		hdr = SG_TCP_HDR_MIN + opt_space(s);
	return hdr + s->payload;
}

static u8 *build(const struct seg *s)
{
	unsigned int len = seg_len(s);
	unsigned int doff = hdr_len(s) / 4;
	u8 *b = calloc(1, len);

	if (!b) {
		perror("calloc");
		exit(2);
	}
	put_unaligned_be16(s->sport ? s->sport : 40000, b);
	put_unaligned_be16(s->dport ? s->dport : 80, b + 2);
	put_unaligned_be32(s->seq, b + 4);
	put_unaligned_be32(s->ack, b + 8);
	b[12] = (doff & 0xf) << 4;
	b[13] = s->flags;
	put_unaligned_be16(s->window == SEG_WINDOW_ZERO ? 0 :
			   s->window ? s->window : 65535, b + 14);
	/* Checksum and urgent pointer stay zero: nothing reads them. */
	if (s->optlen)
		memcpy(b + SG_TCP_HDR_MIN, s->opts, s->optlen);
	/* Header bytes after the options stay zero: EOL padding. */
	memset(b + len - s->payload, 0xab, s->payload);
	return b;
}

enum sg_parse_err seg_parse_len(const struct seg *s, unsigned int len,
				struct sg_tcp *t)
{
	u8 *full = build(s);
	u8 *exact = malloc(len ? len : 1);
	enum sg_parse_err err;

	if (!exact) {
		perror("malloc");
		exit(2);
	}
	memcpy(exact, full, len);
	err = sg_tcp_parse(exact, len, t);
	free(exact);
	free(full);
	return err;
}

enum sg_parse_err seg_parse(const struct seg *s, struct sg_tcp *t)
{
	return seg_parse_len(s, seg_len(s), t);
}

enum sg_parse_err opts_parse(const u8 *opt, unsigned int len,
			     struct sg_tcp *t)
{
	u8 *exact = malloc(len ? len : 1);

	if (!exact) {
		perror("malloc");
		exit(2);
	}
	memcpy(exact, opt, len);
	sg_tcp_parse_options(exact, len, t);
	free(exact);
	return SG_PARSE_OK;
}
