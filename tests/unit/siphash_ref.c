// SPDX-License-Identifier: GPL-2.0
/*
 * SipHash-2-4 for the userspace build of the cookie code, where the
 * kernel's lib/siphash.c is not available. Written from the SipHash paper
 * (Aumasson and Bernstein, 2012) for clarity, not speed: the key is two
 * words k0, k1 as in the kernel's siphash_key_t, the message is read as
 * little-endian words whatever the host's byte order, and the result is
 * the same as the kernel's siphash() for the same bytes.
 */
#include "pure.h"

static u64 rotl64(u64 x, unsigned int n)
{
	return x << n | x >> (64 - n);
}

struct sip_state {
	u64 v0, v1, v2, v3;
};

static void sip_round(struct sip_state *s)
{
	s->v0 += s->v1;
	s->v1 = rotl64(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = rotl64(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl64(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = rotl64(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = rotl64(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = rotl64(s->v2, 32);
}

/* Two compression rounds per message word. */
static void sip_compress(struct sip_state *s, u64 m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

static u64 get_le64(const u8 *p)
{
	u64 v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

u64 sg_siphash(const void *data, size_t len, const siphash_key_t *k)
{
	struct sip_state s = {
		.v0 = k->key[0] ^ 0x736f6d6570736575ULL,
		.v1 = k->key[1] ^ 0x646f72616e646f6dULL,
		.v2 = k->key[0] ^ 0x6c7967656e657261ULL,
		.v3 = k->key[1] ^ 0x7465646279746573ULL,
	};
	const u8 *p = data;
	size_t left = len;
	u64 last;

	for (; left >= 8; left -= 8, p += 8)
		sip_compress(&s, get_le64(p));

	/* The tail, padded with zeroes, and the length's low byte on top. */
	last = (u64)(len & 0xff) << 56;
	while (left--)
		last |= (u64)p[left] << (8 * left);
	sip_compress(&s, last);

	/* Four finalization rounds. */
	s.v2 ^= 0xff;
	sip_round(&s);
	sip_round(&s);
	sip_round(&s);
	sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
