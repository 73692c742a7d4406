/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer targets share: the entry point libFuzzer calls, a
 * check that stops the run on a broken invariant, and a reader of the
 * fuzzer's bytes that yields zeroes past their end, so that every input,
 * however short, is a complete test case.
 */
#ifndef _SG_FUZZ_H
#define _SG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * libFuzzer calls each input's test by the name in the asm label; that
 * is its name, not ours, so it is given only here.
 */
int fuzz_one(const uint8_t *data, size_t size)
	__asm__("LLVMFuzzerTestOneInput");

/* A broken invariant is a crash to libFuzzer, which saves the input. */
#define FUZZ_CHECK(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: invariant failed: %s\n", \
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static inline uint16_t fuzz_be16(struct fuzz_in *in)
{
	uint16_t v = fuzz_u8(in) << 8;

	return v | fuzz_u8(in);
}

static inline uint32_t fuzz_be32(struct fuzz_in *in)
{
	uint32_t v = (uint32_t)fuzz_be16(in) << 16;

	return v | fuzz_be16(in);
}

static inline uint64_t fuzz_be64(struct fuzz_in *in)
{
	uint64_t v = (uint64_t)fuzz_be32(in) << 32;

	return v | fuzz_be32(in);
}

static inline void fuzz_bytes(struct fuzz_in *in, void *buf, size_t len)
{
	uint8_t *b = buf;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = fuzz_u8(in);
}

#endif /* _SG_FUZZ_H */
