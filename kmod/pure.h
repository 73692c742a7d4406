/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one shim that lets the kernel-independent parts of synguard (TCP
 * parsing, the state machine, cookie arithmetic) compile both in the
 * module and in userspace, where they are unit-tested and fuzzed.
 * Files built both ways include only this header and their own.
 */
#ifndef _SYNGUARD_PURE_H
#define _SYNGUARD_PURE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/bits.h>
#include <asm/byteorder.h>
#include "compat.h"
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <endian.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define BIT(n)		(1UL << (n))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 8;
	b[1] = v;
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}
#endif /* __KERNEL__ */

/*
 * SipHash-2-4, the MAC of synguard's SYN cookies. The kernel's functions
 * take the key as two words k0, k1; siphash() reads its message as
 * little-endian words, and siphash_Nu64(a, ..) hashes the words a, ..
 * as siphash() would hash them stored little-endian. The userspace tests
 * link a reference implementation of the same functions under the same
 * names (tests/unit/siphash_ref.c), so both builds make the same cookies.
 */
#ifdef __KERNEL__
#include <linux/siphash.h>
#else
/* The kernel's type, under its name, so the cookie code is the same. */
struct sg_siphash_key {
	u64 key[2];
};

#define siphash_key_t struct sg_siphash_key

u64 siphash(const void *data, size_t len, const siphash_key_t *key);
u64 siphash_1u64(u64 a, const siphash_key_t *key);
u64 siphash_2u64(u64 a, u64 b, const siphash_key_t *key);
u64 siphash_3u64(u64 a, u64 b, u64 c, const siphash_key_t *key);
u64 siphash_4u64(u64 a, u64 b, u64 c, u64 d, const siphash_key_t *key);
u64 siphash_1u32(u32 a, const siphash_key_t *key);
u64 siphash_3u32(u32 a, u32 b, u32 c, const siphash_key_t *key);

static inline u64 siphash_2u32(u32 a, u32 b, const siphash_key_t *key)
{
	return siphash_1u64((u64)b << 32 | a, key);
}

static inline u64 siphash_4u32(u32 a, u32 b, u32 c, u32 d,
			       const siphash_key_t *key)
{
	return siphash_2u64((u64)b << 32 | a, (u64)d << 32 | c, key);
}

/* The message words of the cookie's MAC are little-endian. */
static inline u32 get_unaligned_le32(const void *p)
{
	const u8 *b = p;

	return (u32)b[3] << 24 | (u32)b[2] << 16 | (u32)b[1] << 8 | b[0];
}

static inline u64 get_unaligned_le64(const void *p)
{
	const u8 *b = p;

	return (u64)get_unaligned_le32(b + 4) << 32 | get_unaligned_le32(b);
}

static inline void put_unaligned_le64(u64 v, void *p)
{
	u8 *b = p;
	int i;

	for (i = 0; i < 8; i++)
		b[i] = v >> (8 * i);
}
#endif /* __KERNEL__ */

/* Sequence-space comparisons, as in include/net/tcp.h. */
static inline bool sg_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool sg_seq_after(u32 a, u32 b)
{
	return sg_seq_before(b, a);
}

#endif /* _SYNGUARD_PURE_H */
