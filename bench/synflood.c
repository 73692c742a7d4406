// SPDX-License-Identifier: GPL-2.0
/*
 * synflood: spoofed TCP SYNs at a fixed rate, for the benchmarks only
 * (run it inside a network namespace of a throwaway VM).
 *
 *   synflood IFNAME DSTMAC DSTIP DPORT RATE SECONDS [SRCNET/LEN]
 *
 * Frames go out of IFNAME through an AF_PACKET socket, in batches of up
 * to 64 per sendmmsg(), with the qdisc bypassed. Every SYN has a random
 * source address within SRCNET/LEN (default 10.0.0.0/8), a random source
 * port and sequence number, the options a Linux client sends without
 * timestamps (MSS, SACK_PERM, window scale), and valid IP and TCP
 * checksums. RATE is in packets per second; 0 sends as fast as it can.
 * SIGINT or SIGTERM end it early. At the end it prints, on one line, what
 * it really achieved:
 *
 *   synflood sent=N seconds=S pps=R errors=E
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH		64
#define OPT_LEN		12
#define TCP_LEN		(20 + OPT_LEN)
#define FRAME_LEN	(14 + 20 + TCP_LEN)

static uint64_t rng_state;
static int stop;

static void on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
}

/* xorshift64*: fast, and good enough to spread sources and ports. */
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* The parts of a frame that never change. */
static void frame_init(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
		       uint32_t dst, uint16_t dport)
{
	static const uint8_t opts[OPT_LEN] = {
		2, 4, 0x05, 0xb4,	/* MSS 1460 */
		1, 1, 4, 2,		/* NOP NOP SACK_PERM */
		1, 3, 3, 7,		/* NOP WS 7 */
	};
	uint8_t *ip = f + 14, *tcp = ip + 20;

	memset(f, 0, FRAME_LEN);
	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	put16(f + 12, ETHERTYPE_IP);
	ip[0] = 0x45;
	put16(ip + 2, 20 + TCP_LEN);
	put16(ip + 6, 0x4000);	/* DF */
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	put32(ip + 16, dst);
	put16(tcp + 2, dport);
	tcp[12] = (TCP_LEN / 4) << 4;
	tcp[13] = 0x02;		/* SYN */
	put16(tcp + 14, 64240);
	memcpy(tcp + 20, opts, OPT_LEN);
}

/* A new source, port, ISN and IP id, and both checksums. */
static void frame_fill(uint8_t *f, uint32_t net, uint32_t hostmask)
{
	uint8_t *ip = f + 14, *tcp = ip + 20;
	uint64_t r = rng();
	uint32_t src = net | ((uint32_t)r & hostmask);
	uint32_t sum;

	/* Never the network or broadcast address of the source prefix. */
	if ((src & hostmask) == 0 || (src & hostmask) == hostmask)
		src ^= 1;
	put16(ip + 4, r >> 32);
	put32(ip + 12, src);
	put16(ip + 10, 0);
	put16(ip + 10, fold(sum16(ip, 20, 0)));
	put16(tcp, 1024 + (r >> 48) % 64511);
	put32(tcp + 4, rng());
	put16(tcp + 16, 0);
	sum = sum16(ip + 12, 8, 0) + IPPROTO_TCP + TCP_LEN;
	put16(tcp + 16, fold(sum16(tcp, TCP_LEN, sum)));
}

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = b[i];
	return 0;
}

static int if_mac(const char *ifname, uint8_t *mac)
{
	char path[128];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	f = fopen(path, "r");
	if (!f)
		return -1;
	rc = fscanf(f, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		    &mac[2], &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
	fclose(f);
	return rc;
}

static void print_usage(void)
{
	fprintf(stderr,
		"usage: synflood IFNAME DSTMAC DSTIP DPORT RATE SECONDS [SRCNET/LEN]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static uint8_t frames[BATCH][FRAME_LEN];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll sll;
	uint8_t dmac[6], smac[6];
	struct in_addr dst, net;
	unsigned long long sent = 0, errors = 0;
	uint32_t hostmask = 0x00ffffff;
	double rate, secs, t0, t, elapsed;
	char srcnet[64] = "10.0.0.0/8", *slash;
	int fd, i, n, one = 1, len;
	long port;

	if (argc < 7 || argc > 8)
		print_usage();
	port = strtol(argv[4], NULL, 10);
	rate = strtod(argv[5], NULL);
	secs = strtod(argv[6], NULL);
	if (parse_mac(argv[2], dmac) || !inet_aton(argv[3], &dst) ||
	    port < 1 || port > 65535 || rate < 0 || secs <= 0)
		print_usage();
	if (argc == 8)
		snprintf(srcnet, sizeof(srcnet), "%s", argv[7]);
	slash = strchr(srcnet, '/');
	if (!slash)
		print_usage();
	*slash = 0;
	len = atoi(slash + 1);
	if (!inet_aton(srcnet, &net) || len < 1 || len > 30)
		print_usage();
	hostmask = 0xffffffffU >> len;

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP));
	if (fd < 0) {
		perror("synflood: socket");
		return 1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = if_nametoindex(argv[1]);
	if (!sll.sll_ifindex || if_mac(argv[1], smac)) {
		fprintf(stderr, "synflood: no interface %s\n", argv[1]);
		return 1;
	}
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("synflood: bind");
		return 1;
	}
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));

	rng_state = ((uint64_t)(now() * 1e6) ^ (uint64_t)getpid() << 32) | 1;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		frame_init(frames[i], dmac, smac, ntohl(dst.s_addr), port);
		iov[i].iov_base = frames[i];
		iov[i].iov_len = FRAME_LEN;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	t0 = now();
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		t = now();
		elapsed = t - t0;
		if (elapsed >= secs)
			break;
		n = BATCH;
		if (rate > 0) {
			double due = rate * elapsed - sent;

			if (due < 1) {
				struct timespec ts = { 0, 0 };
				double wait = (1 - due) / rate;

				if (wait > 0.001)
					wait = 0.001;
				ts.tv_nsec = wait * 1e9;
				nanosleep(&ts, NULL);
				continue;
			}
			if (due < n)
				n = due;
		}
		for (i = 0; i < n; i++)
			frame_fill(frames[i], ntohl(net.s_addr) & ~hostmask,
				   hostmask);
		n = sendmmsg(fd, msgs, n, 0);
		if (n < 0) {
			if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
				perror("synflood: sendmmsg");
				return 1;
			}
			errors++;
			continue;
		}
		sent += n;
	}
	elapsed = now() - t0;
	printf("synflood sent=%llu seconds=%.3f pps=%.0f errors=%llu\n", sent,
	       elapsed, sent / elapsed, errors);
	close(fd);
	return 0;
}
