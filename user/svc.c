// SPDX-License-Identifier: GPL-2.0
/*
 * Service specs. An IPv4 address is written as such and carried mapped,
 * so 192.0.2.0/24 is ::ffff:192.0.2.0/120; an IPv6 address is written in
 * brackets, so that its colons are not taken for the one before the port;
 * no address (or "*", which is how it is printed) is prefix 0, every
 * address of both families. A spec is printed the way it is parsed, so
 * that what 'service list' prints can be given back to 'service add'.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knobs.h"
#include "parse.h"
#include "svc.h"

static bool is_any(const struct svc_spec *svc)
{
	return !svc->prefix;
}

/* An IPv4 prefix, which can be written as one: mapped, at least /96. */
static bool is_ipv4(const struct svc_spec *svc)
{
	return svc->prefix >= 96 && IN6_IS_ADDR_V4MAPPED(&svc->addr);
}

static void clear_host_bits(struct in6_addr *addr, unsigned int prefix)
{
	unsigned int i;

	for (i = prefix; i < 128; i++)
		addr->s6_addr[i / 8] &= ~(0x80 >> (i % 8));
}

/* "192.0.2.0/24", "192.0.2.1", "[2001:db8::/64]", "[::1]" or "*". */
static const char *prefix_str(const struct svc_spec *svc, char *buf,
			      size_t len)
{
	char addr[INET6_ADDRSTRLEN], plen[8] = "";

	if (is_any(svc)) {
		snprintf(buf, len, "*");
		return buf;
	}
	svc_addr_str(svc, addr, sizeof(addr));
	if (is_ipv4(svc)) {
		if (svc->prefix < 128)
			snprintf(plen, sizeof(plen), "/%u", svc->prefix - 96);
		snprintf(buf, len, "%s%s", addr, plen);
	} else {
		if (svc->prefix < 128)
			snprintf(plen, sizeof(plen), "/%u", svc->prefix);
		snprintf(buf, len, "[%s%s]", addr, plen);
	}
	return buf;
}

/*
 * "ADDR[/PREFIX]" of @family into @svc. @text is the address as the user
 * wrote it (brackets included), @text_len long, for messages.
 */
static int parse_addr(char *addr, int family, const char *text,
		      int text_len, struct svc_spec *svc, char *msg,
		      size_t len)
{
	const char *name = family == AF_INET ? "IPv4" : "IPv6";
	unsigned int max = family == AF_INET ? 32 : 128;
	char *slash = strchr(addr, '/');
	char fixed[SVC_SPECSTRLEN];
	void *dst = &svc->addr;
	struct in6_addr net;
	__u64 prefix = max;

	if (slash)
		*slash++ = '\0';
	if (family == AF_INET) {
		svc->addr.s6_addr[10] = 0xff;
		svc->addr.s6_addr[11] = 0xff;
		dst = &svc->addr.s6_addr[12];
	}
	if (inet_pton(family, addr, dst) != 1) {
		snprintf(msg, len, "invalid %s address \"%s\"", name, addr);
		return -EINVAL;
	}
	if (slash && (parse_u64(slash, &prefix) || prefix > max)) {
		snprintf(msg, len,
			 "invalid prefix length \"%s\": expected 0 to %u for %s",
			 slash, max, name);
		return -EINVAL;
	}
	svc->prefix = family == AF_INET ? 96 + prefix : prefix;

	net = svc->addr;
	clear_host_bits(&net, svc->prefix);
	if (!memcmp(&net, &svc->addr, sizeof(net)))
		return 0;
	svc->addr = net;
	snprintf(msg, len, "%.*s has host bits set; did you mean %s?",
		 text_len, text, prefix_str(svc, fixed, sizeof(fixed)));
	return -EINVAL;
}

static int parse_ports(char *ports, struct svc_spec *svc, char *msg,
		       size_t len)
{
	char *dash = strchr(ports, '-');
	int ret;

	if (dash)
		*dash++ = '\0';
	ret = parse_port(ports, &svc->port_min, msg, len);
	if (ret)
		return ret;
	ret = parse_port(dash ? dash : ports, &svc->port_max, msg, len);
	if (ret)
		return ret;
	if (svc->port_min > svc->port_max) {
		snprintf(msg, len,
			 "port range %u-%u: start is greater than end",
			 svc->port_min, svc->port_max);
		return -EINVAL;
	}
	return 0;
}

int svc_parse_prefix(const char *str, struct svc_spec *svc, char *msg,
		     size_t len)
{
	char buf[2 * SVC_SPECSTRLEN], *addr = buf;
	size_t n = strlen(str);

	memset(svc, 0, sizeof(*svc));
	if (!n || n >= sizeof(buf)) {
		snprintf(msg, len, "invalid address \"%s\"", str);
		return -EINVAL;
	}
	strcpy(buf, str);
	if (buf[0] == '[' && buf[n - 1] == ']') {
		buf[n - 1] = '\0';
		addr++;
	}
	return parse_addr(addr, strchr(addr, ':') ? AF_INET6 : AF_INET, str,
			  (int)n, svc, msg, len);
}

bool svc_prefix_has(const struct svc_spec *svc, const __u8 *addr)
{
	unsigned int bytes = svc->prefix / 8, bits = svc->prefix % 8;

	/* An IPv6 prefix, ::/0 included, holds no IPv4 address. */
	if (!is_ipv4(svc) && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)addr))
		return false;
	if (memcmp(svc->addr.s6_addr, addr, bytes))
		return false;
	return !bits || !((svc->addr.s6_addr[bytes] ^ addr[bytes]) &
			  (0xff00 >> bits));
}

int svc_parse_spec(const char *str, struct svc_spec *svc,
		   char *msg, size_t len)
{
	char buf[2 * SVC_SPECSTRLEN], *addr = NULL, *ports, *end;
	int family = AF_INET, ret;

	memset(svc, 0, sizeof(*svc));
	if (!*str || strlen(str) >= sizeof(buf))
		goto junk;
	strcpy(buf, str);

	if (buf[0] == '[') {
		end = strchr(buf, ']');
		if (!end) {
			snprintf(msg, len,
				 "missing \"]\" after the IPv6 address in \"%s\"",
				 str);
			return -EINVAL;
		}
		*end = '\0';
		addr = buf + 1;
		family = AF_INET6;
		ports = end + 1;
		if (!*ports)
			goto no_port;
		if (*ports++ != ':')
			goto junk;
	} else {
		ports = strrchr(buf, ':');
		if (ports) {
			*ports++ = '\0';
			addr = buf;
			if (!*addr)
				goto junk;
			if (strchr(addr, ':')) {
				snprintf(msg, len,
					 "invalid service \"%s\": an IPv6 address must be in brackets, as in [2001:db8::/64]:443",
					 str);
				return -EINVAL;
			}
			if (!strcmp(addr, "*"))
				addr = NULL;
		} else if (strpbrk(buf, "./*")) {
			goto no_port;
		} else {
			ports = buf;
		}
	}
	if (!*ports)
		goto no_port;

	if (addr) {
		ret = parse_addr(addr, family, str, ports - 1 - buf, svc, msg,
				 len);
		if (ret)
			return ret;
	}
	return parse_ports(ports, svc, msg, len);

no_port:
	snprintf(msg, len, "missing port in \"%s\"; expected %s", str,
		 SVC_SYNTAX);
	return -EINVAL;
junk:
	snprintf(msg, len, "invalid service \"%s\"; expected %s", str,
		 SVC_SYNTAX);
	return -EINVAL;
}

int svc_parse_knob(struct svc_spec *svc, const char *arg,
		   char *msg, size_t len)
{
	const char *eq = strchr(arg, '=');
	char key[64], list[256];
	int id, klen;

	if (!eq) {
		snprintf(msg, len, "expected KEY=VALUE, got \"%s\"", arg);
		return -EINVAL;
	}
	klen = eq - arg;
	snprintf(key, sizeof(key), "%.*s", klen, arg);
	id = klen < (int)sizeof(key) ? knob_lookup(key) : -ENOENT;
	if (id < 0 || !knob_per_service(id)) {
		knob_service_list(list, sizeof(list));
		if (id < 0)
			snprintf(msg, len,
				 "unknown key \"%.*s\"; service knobs: %s",
				 klen, arg, list);
		else
			snprintf(msg, len,
				 "knob \"%s\" cannot be set per service; service knobs: %s",
				 key, list);
		return -ENOENT;
	}
	if (svc->present[id]) {
		snprintf(msg, len, "key \"%s\" given twice", key);
		return -EEXIST;
	}
	if (knob_parse(id, eq + 1, &svc->val[id], msg, len))
		return -EINVAL;
	svc->present[id] = true;
	return 0;
}

const char *svc_spec_str(const struct svc_spec *svc, char *buf,
			 size_t len)
{
	char pfx[SVC_SPECSTRLEN], range[8] = "";

	if (svc->port_max != svc->port_min)
		snprintf(range, sizeof(range), "-%u", svc->port_max);
	snprintf(buf, len, "%s:%u%s", prefix_str(svc, pfx, sizeof(pfx)),
		 svc->port_min, range);
	return buf;
}

const char *svc_addr_str(const struct svc_spec *svc, char *buf,
			 size_t len)
{
	if (is_ipv4(svc))
		inet_ntop(AF_INET, &svc->addr.s6_addr[12], buf, len);
	else
		inet_ntop(AF_INET6, &svc->addr, buf, len);
	return buf;
}

const char *svc_family(const struct svc_spec *svc)
{
	if (is_any(svc))
		return "any";
	return is_ipv4(svc) ? "ipv4" : "ipv6";
}

unsigned int svc_prefix(const struct svc_spec *svc)
{
	return is_ipv4(svc) ? svc->prefix - 96U : svc->prefix;
}

bool svc_same_spec(const struct svc_spec *a,
		   const struct svc_spec *b)
{
	return !memcmp(&a->addr, &b->addr, sizeof(a->addr)) &&
	       a->prefix == b->prefix && a->port_min == b->port_min &&
	       a->port_max == b->port_max;
}

__u32 svc_mode(const struct svc_spec *svc)
{
	if (svc->present[SYNGUARD_KNOB_MODE])
		return svc->val[SYNGUARD_KNOB_MODE];
	return SVC_DEFAULT_MODE;
}

unsigned int svc_overrides(const struct svc_spec *svc,
			   unsigned int ids[__SYNGUARD_KNOB_MAX])
{
	unsigned int i, n = 0;

	for (i = 0; i < svc_n_knobs; i++)
		if (svc->present[svc_knob_ids[i]])
			ids[n++] = svc_knob_ids[i];
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++)
		if (svc->present[i] && !knob_per_service(i))
			ids[n++] = i;
	return n;
}

const char *svc_settings_str(const struct svc_spec *svc, char *buf,
			     size_t len)
{
	unsigned int ids[__SYNGUARD_KNOB_MAX], i, n;
	char val[32];
	size_t off;

	off = snprintf(buf, len, "mode=%s",
		       knob_format(SYNGUARD_KNOB_MODE, svc_mode(svc), val,
				   sizeof(val)));
	n = svc_overrides(svc, ids);
	for (i = 0; i < n && off < len; i++) {
		if (ids[i] == SYNGUARD_KNOB_MODE)
			continue;
		off += snprintf(buf + off, len - off, " %s=%s",
				knob_defs[ids[i]].name,
				knob_format(ids[i], svc->val[ids[i]], val,
					    sizeof(val)));
	}
	return buf;
}

bool svc_same(const struct svc_spec *a, const struct svc_spec *b)
{
	unsigned int i;

	if (!svc_same_spec(a, b) || svc_mode(a) != svc_mode(b))
		return false;
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++) {
		if (i == SYNGUARD_KNOB_MODE)
			continue;
		if (a->present[i] != b->present[i])
			return false;
		if (a->present[i] && a->val[i] != b->val[i])
			return false;
	}
	return true;
}

bool svc_overlaps(const struct svc_spec *a,
		  const struct svc_spec *b)
{
	struct in6_addr x = a->addr, y = b->addr;
	unsigned int prefix = a->prefix < b->prefix ? a->prefix : b->prefix;

	if (a->port_min > b->port_max || b->port_min > a->port_max)
		return false;
	clear_host_bits(&x, prefix);
	clear_host_bits(&y, prefix);
	return !memcmp(&x, &y, sizeof(x));
}

const char *svc_overlap_hint(const struct svc_spec *a,
			     const struct svc_spec *b)
{
	if (is_any(a) || is_any(b))
		return " (*, like [::/0], is every address of both families)";
	return "";
}

int svc_cmp(const void *a, const void *b)
{
	const struct svc_spec *x = a, *y = b;
	int ret;

	ret = memcmp(&x->addr, &y->addr, sizeof(x->addr));
	if (ret)
		return ret;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	if (x->port_min != y->port_min)
		return x->port_min < y->port_min ? -1 : 1;
	if (x->port_max != y->port_max)
		return x->port_max < y->port_max ? -1 : 1;
	return 0;
}

int svc_list_append(struct svc_list *list,
		    const struct svc_spec *svc)
{
	struct svc_spec *s;

	if (list->n == list->alloc) {
		size_t alloc = list->alloc ? 2 * list->alloc : 16;

		s = reallocarray(list->s, alloc, sizeof(*s));
		if (!s)
			return -ENOMEM;
		list->s = s;
		list->alloc = alloc;
	}
	list->s[list->n++] = *svc;
	return 0;
}

void svc_list_free(struct svc_list *list)
{
	free(list->s);
	memset(list, 0, sizeof(*list));
}
