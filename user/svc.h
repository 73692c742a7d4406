/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protected services as the user writes them, [ADDR[/PREFIX]:]PORT[-PORT]
 * followed by KEY=VALUE overrides, and as the module carries them: a
 * 16-byte address (IPv4 mapped), an IPv6-sized prefix length and a port
 * range. Parsing and printing need neither libmnl nor the module, so that
 * the unit tests can reach them.
 */
#ifndef SYNGUARD_SVC_H
#define SYNGUARD_SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <linux/synguard.h>

#define SVC_SYNTAX	"[ADDR[/PREFIX]:]PORT[-PORT]"
/* "[" INET6_ADDRSTRLEN "/128]:65535-65535", rounded up */
#define SVC_SPECSTRLEN		80

struct svc_spec {
	struct in6_addr addr;		/* host bits clear */
	__u8 prefix;			/* 0..128; IPv4 is 96 + its length */
	__u16 port_min;
	__u16 port_max;
	__u32 val[__SYNGUARD_KNOB_MAX];	/* overrides */
	bool present[__SYNGUARD_KNOB_MAX];
	unsigned int line;		/* apply: where it was given */
};

struct svc_list {
	struct svc_spec *s;
	size_t n;
	size_t alloc;
};

/*
 * Parse a service spec into @svc, clearing its overrides. Returns 0, or
 * -EINVAL with a one-line reason written to @msg.
 */
int svc_parse_spec(const char *str, struct svc_spec *svc,
		   char *msg, size_t len);

/*
 * Parse a KEY=VALUE override into @svc: a knob of SYNGUARD_SERVICE_KNOBS,
 * given once, with a value as 'set' takes it. Returns 0 or -errno with a
 * reason in @msg.
 */
int svc_parse_knob(struct svc_spec *svc, const char *arg,
		   char *msg, size_t len);

/* The spec as svc_parse_spec() reads it back: "192.0.2.0/24:80". */
const char *svc_spec_str(const struct svc_spec *svc, char *buf,
			 size_t len);

/* The address alone ("::" for any address) and its family's terms. */
const char *svc_addr_str(const struct svc_spec *svc, char *buf,
			 size_t len);
const char *svc_family(const struct svc_spec *svc);
unsigned int svc_prefix(const struct svc_spec *svc);

/* Same address, prefix and ports (the key the module knows it by). */
bool svc_same_spec(const struct svc_spec *a,
		   const struct svc_spec *b);
/* The same spec with the same overrides. */
bool svc_same(const struct svc_spec *a, const struct svc_spec *b);
/* Some address and port is in both, as the module refuses. */
bool svc_overlaps(const struct svc_spec *a,
		  const struct svc_spec *b);
/* By address, prefix, then ports: a stable order to list in. */
int svc_cmp(const void *a, const void *b);

int svc_list_append(struct svc_list *list,
		    const struct svc_spec *svc);
void svc_list_free(struct svc_list *list);

#endif /* SYNGUARD_SVC_H */
