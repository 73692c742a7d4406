// SPDX-License-Identifier: GPL-2.0
/*
 * SipHash-2-4 for the userspace build of the cookie code, where the
 * kernel's lib/siphash.c is not available: the functions of the kernel's
 * include/linux/siphash.h that synguard calls, with the same names and
 * results. Written from the SipHash paper (Aumasson and Bernstein, 2012).
 * The key is two words k0, k1 as in the kernel's siphash_key_t; a
 * message is read as little-endian words whatever the host's byte order;
 * siphash_Nu64(a, b, ..) is siphash() of the words a, b, .. stored
 * little-endian, and siphash_3u32(a, b, c) that of the 12 bytes of a, b,
 * c, as in the kernel. Each function does what the kernel's does, word by
 * word, so that tests/bench counts about the instructions it costs there.
 */
#include "pure.h"

struct sip_state {
	u64 v0, v1, v2, v3;
};

/* Inline, as the kernel's SIPROUND macro is (__always_inline: glibc's). */
static __always_inline u64 rotl64(u64 x, unsigned int n)
{
	return x << n | x >> (64 - n);
}

static __always_inline void sip_round(struct sip_state *s)
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

static __always_inline void sip_init(struct sip_state *s,
				     const siphash_key_t *k)
{
	s->v0 = k->key[0] ^ 0x736f6d6570736575ULL;
	s->v1 = k->key[1] ^ 0x646f72616e646f6dULL;
	s->v2 = k->key[0] ^ 0x6c7967656e657261ULL;
	s->v3 = k->key[1] ^ 0x7465646279746573ULL;
}

/* Two compression rounds per message word. */
static __always_inline void sip_compress(struct sip_state *s, u64 m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

/*
 * The last word: the tail of the message (under 8 bytes, zero-padded)
 * with the length's low byte on top, then four finalization rounds.
 */
static __always_inline u64 sip_final(struct sip_state *s, size_t len,
				     u64 tail)
{
	sip_compress(s, (u64)(len & 0xff) << 56 | tail);
	s->v2 ^= 0xff;
	sip_round(s);
	sip_round(s);
	sip_round(s);
	sip_round(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

static u64 get_le64(const u8 *p)
{
	u64 v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

u64 siphash(const void *data, size_t len, const siphash_key_t *key)
{
	const u8 *p = data;
	size_t left = len;
	struct sip_state s;
	u64 tail = 0;

	sip_init(&s, key);
	for (; left >= 8; left -= 8, p += 8)
		sip_compress(&s, get_le64(p));
	while (left--)
		tail |= (u64)p[left] << (8 * left);
	return sip_final(&s, len, tail);
}

u64 siphash_1u64(u64 a, const siphash_key_t *key)
{
	struct sip_state s;

	sip_init(&s, key);
	sip_compress(&s, a);
	return sip_final(&s, 8, 0);
}

u64 siphash_2u64(u64 a, u64 b, const siphash_key_t *key)
{
	struct sip_state s;

	sip_init(&s, key);
	sip_compress(&s, a);
	sip_compress(&s, b);
	return sip_final(&s, 16, 0);
}

u64 siphash_3u64(u64 a, u64 b, u64 c, const siphash_key_t *key)
{
	struct sip_state s;

	sip_init(&s, key);
	sip_compress(&s, a);
	sip_compress(&s, b);
	sip_compress(&s, c);
	return sip_final(&s, 24, 0);
}

u64 siphash_4u64(u64 a, u64 b, u64 c, u64 d, const siphash_key_t *key)
{
	struct sip_state s;

	sip_init(&s, key);
	sip_compress(&s, a);
	sip_compress(&s, b);
	sip_compress(&s, c);
	sip_compress(&s, d);
	return sip_final(&s, 32, 0);
}

u64 siphash_1u32(u32 a, const siphash_key_t *key)
{
	struct sip_state s;

	sip_init(&s, key);
	return sip_final(&s, 4, a);
}

u64 siphash_3u32(u32 a, u32 b, u32 c, const siphash_key_t *key)
{
	struct sip_state s;

	sip_init(&s, key);
	sip_compress(&s, (u64)b << 32 | a);
	return sip_final(&s, 12, c);
}
