// SPDX-License-Identifier: GPL-2.0
/*
 * The operations bench/micro counts, each looping N times. They sit
 * in their own file so that the compiler cannot inline them into main()
 * and callgrind's --toggle-collect sees each as one function.
 */
#include "micro.h"

/* A Linux SYN without timestamps: MSS 1460, SACK_PERM, window scale 7. */
const u8 syn_opts[12] = { 2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7 };

u8 syn[32], data[20 + 100];
/* Printed at the end, so that nothing computed into it is optimised out. */
u32 sink;

void seg_build(u8 *b, unsigned int hdr, u8 flags, u32 seq, u32 ack)
{
	put_unaligned_be16(40000, b);
	put_unaligned_be16(8080, b + 2);
	put_unaligned_be32(seq, b + 4);
	put_unaligned_be32(ack, b + 8);
	b[12] = (hdr / 4) << 4;
	b[13] = flags;
	put_unaligned_be16(64240, b + 14);
}

void tuple(struct sg_cookie_tuple *t)
{
	static const u8 v4[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	memset(t, 0, sizeof(*t));
	memcpy(t->client, v4, sizeof(v4));
	memcpy(t->server, v4, sizeof(v4));
	t->client[12] = 192;
	t->client[14] = 2;
	t->client[15] = 2;
	t->server[12] = 192;
	t->server[14] = 2;
	t->server[15] = 1;
	t->client_port = 40000;
	t->server_port = 8080;
}

void secrets(struct sg_cookie_secrets *s)
{
	memset(s, 0, sizeof(*s));
	s->key[0].key[0] = 0x0706050403020100ULL;
	s->key[0].key[1] = 0x0f0e0d0c0b0a0908ULL;
	s->key[1].key[0] = 0x1716151413121110ULL;
	s->key[1].key[1] = 0x1f1e1d1c1b1a1918ULL;
}

void op_synack(unsigned long n, const struct sg_tcp *t)
{
	struct sg_cookie_secrets s;
	struct sg_cookie_tuple ct;
	struct sg_cookie_opts in, used;
	struct sg_tcp_out sa;
	u8 buf[SG_TCP_HDR_MAX];
	unsigned long i;

	secrets(&s);
	tuple(&ct);
	in.mss = t->mss;
	in.wscale = t->wscale;
	in.has_wscale = t->has_wscale;
	in.sack_perm = t->sack_perm;
	for (i = 0; i < n; i++) {
		ct.client_port = 40000 + (i & 0xfff);
		memset(&sa, 0, sizeof(sa));
		sa.sport = ct.server_port;
		sa.dport = ct.client_port;
		sa.seq = sg_cookie_make(&s, &ct, t->seq + i, &in, &used);
		sa.flags = SG_TCP_SYN | SG_TCP_ACK;
		sa.ack = t->seq + i + 1;
		sa.window = 65535;
		sa.mss = used.mss;
		sa.wscale = 7;
		sa.has_wscale = used.has_wscale;
		sa.sack_perm = used.sack_perm;
		sink += sg_tcp_build(buf, &sa) + buf[0];
	}
}

void op_check(unsigned long n, const u32 *cookies,
	      const struct sg_cookie_secrets *s,
	      const struct sg_cookie_tuple *ct)
{
	struct sg_cookie_opts out;
	unsigned long i;

	for (i = 0; i < n; i++)
		sink += sg_cookie_check(s, ct, 1000 + (i & 63),
					cookies[i & 63], &out);
}

void established(struct sg_track *tr)
{
	struct sg_tcp t;
	u8 b[20];

	sg_tcp_parse(syn, sizeof(syn), &t);
	sg_track_init(tr, &t);
	seg_build(b, 20, SG_TCP_SYN | SG_TCP_ACK, 5000, 1001);
	sg_tcp_parse(b, sizeof(b), &t);
	sg_track_step(tr, SG_DIR_REPLY, &t);
	seg_build(b, 20, SG_TCP_ACK, 1001, 5001);
	sg_tcp_parse(b, sizeof(b), &t);
	sg_track_step(tr, SG_DIR_ORIG, &t);
}

void op_hit(unsigned long n, struct sg_track *tr)
{
	struct sg_tcp t;
	unsigned long i;

	for (i = 0; i < n; i++) {
		put_unaligned_be32(1001 + 100 * i, data + 4);
		if (sg_tcp_parse(data, sizeof(data), &t) ||
		    sg_tcp_check_flags(t.flags))
			continue;
		sink += sg_track_step(tr, SG_DIR_ORIG, &t);
	}
}

void op_miss(unsigned long n)
{
	struct sg_track tr;
	struct sg_tcp t;
	unsigned long i;

	for (i = 0; i < n; i++) {
		put_unaligned_be32(1000 + i, syn + 4);
		if (sg_tcp_parse(syn, sizeof(syn), &t) ||
		    sg_tcp_check_flags(t.flags))
			continue;
		sink += sg_track_init(&tr, &t);
	}
}

void op_step(unsigned long n, struct sg_track *tr, struct sg_tcp *t)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		t->seq = 1001 + 100 * i;
		sink += sg_track_step(tr, SG_DIR_ORIG, t);
	}
}

