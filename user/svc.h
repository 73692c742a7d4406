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
/*
 * A service's mode when it does not override it: protected, whatever the
 * namespace's mode (the module's sg_policy_get()).
 */
#define SVC_DEFAULT_MODE	SYNGUARD_MODE_ENFORCE
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

/*
 * "ADDR[/LEN]", IPv4 or IPv6 (brackets optional), into @svc's address
 * and prefix; ports are left 0. 0 or -EINVAL with a message in @msg.
 */
int svc_parse_prefix(const char *str, struct svc_spec *svc, char *msg,
		     size_t len);

/* Whether the 16-byte (IPv4-mapped) @addr lies in @svc's prefix. */
bool svc_prefix_has(const struct svc_spec *svc, const __u8 *addr);

/* The mode the service is in: its own, else SVC_DEFAULT_MODE. */
__u32 svc_mode(const struct svc_spec *svc);

/*
 * The knobs @svc overrides into @ids, in SYNGUARD_SERVICE_KNOBS order and
 * then any other a newer module reports; returns how many.
 */
unsigned int svc_overrides(const struct svc_spec *svc,
			   unsigned int ids[__SYNGUARD_KNOB_MAX]);

/* "mode=enforce cookies=2": the mode, then the other overrides. */
const char *svc_settings_str(const struct svc_spec *svc, char *buf,
			     size_t len);

/* Same address, prefix and ports (the key the module knows it by). */
bool svc_same_spec(const struct svc_spec *a,
		   const struct svc_spec *b);
/* The same spec with the same overrides; the mode as in effect. */
bool svc_same(const struct svc_spec *a, const struct svc_spec *b);
/* Some address and port is in both, as the module refuses. */
bool svc_overlaps(const struct svc_spec *a,
		  const struct svc_spec *b);
/*
 * What to add to a message that @a overlaps @b: a reminder that the
 * any-address spec covers IPv4 too when one of them is it, else "".
 */
const char *svc_overlap_hint(const struct svc_spec *a,
			     const struct svc_spec *b);
/* By address, prefix, then ports: a stable order to list in. */
int svc_cmp(const void *a, const void *b);

int svc_list_append(struct svc_list *list,
		    const struct svc_spec *svc);
void svc_list_free(struct svc_list *list);

#endif /* SYNGUARD_SVC_H */
