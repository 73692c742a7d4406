/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protected services as the user writes them, [ADDR[/PREFIX]:]PORT[-PORT]
 * followed by KEY=VALUE overrides, and as the module carries them: a
 * 16-byte address (IPv4 mapped), an IPv6-sized prefix length and a port
 * range. Parsing and printing need neither libmnl nor the module, so that
 * the unit tests can reach them.
 */
#ifndef SYNGUARD_SERVICE_H
#define SYNGUARD_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <linux/synguard.h>

#define SG_SERVICE_SYNTAX	"[ADDR[/PREFIX]:]PORT[-PORT]"
/* "[" INET6_ADDRSTRLEN "/128]:65535-65535", rounded up */
#define SG_SPECSTRLEN		80

struct sg_service {
	struct in6_addr addr;		/* host bits clear */
	__u8 prefix;			/* 0..128; IPv4 is 96 + its length */
	__u16 port_min;
	__u16 port_max;
	__u32 val[__SYNGUARD_KNOB_MAX];	/* overrides */
	bool present[__SYNGUARD_KNOB_MAX];
	unsigned int line;		/* apply: where it was given */
};

struct sg_services {
	struct sg_service *s;
	size_t n;
	size_t alloc;
};

/*
 * Parse a service spec into @svc, clearing its overrides. Returns 0, or
 * -EINVAL with a one-line reason written to @msg.
 */
int service_parse_spec(const char *str, struct sg_service *svc,
		       char *msg, size_t len);

/*
 * Parse a KEY=VALUE override into @svc: a knob of SYNGUARD_SERVICE_KNOBS,
 * given once, with a value as 'set' takes it. Returns 0 or -errno with a
 * reason in @msg.
 */
int service_parse_knob(struct sg_service *svc, const char *arg,
		       char *msg, size_t len);

/* The spec as service_parse_spec() reads it back: "192.0.2.0/24:80". */
const char *service_spec_str(const struct sg_service *svc, char *buf,
			     size_t len);

/* The address alone ("::" for any address) and its family's terms. */
const char *service_addr_str(const struct sg_service *svc, char *buf,
			     size_t len);
const char *service_family(const struct sg_service *svc);
unsigned int service_prefix(const struct sg_service *svc);

/* Same address, prefix and ports (the key the module knows it by). */
bool service_same_spec(const struct sg_service *a,
		       const struct sg_service *b);
/* The same spec with the same overrides. */
bool service_same(const struct sg_service *a, const struct sg_service *b);
/* Some address and port is in both, as the module refuses. */
bool service_overlaps(const struct sg_service *a,
		      const struct sg_service *b);
/* By address, prefix, then ports: a stable order to list in. */
int service_cmp(const void *a, const void *b);

int service_list_append(struct sg_services *list,
			const struct sg_service *svc);
void service_list_free(struct sg_services *list);

#endif /* SYNGUARD_SERVICE_H */
