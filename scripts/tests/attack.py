#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Crafted attack traffic for t-attack.sh, with scapy.

  attack.py frag IFACE MAC DST PORT N      spoofed SYNs, fragmented
  attack.py badopt IFACE MAC DST PORT N    spoofed SYNs, odd options
  attack.py optclient IFACE MAC SRC DST PORT
                                           handshakes with odd options
  attack.py mapped IFACE MAC PORT          IPv4-mapped IPv6 SYNs
  attack.py pickup IFACE MAC DST PORT N    entries for chosen tuples,
                                           then SYNs on them
  attack.py twin IFACE_A MAC_A IFACE_B MAC_B SRC DST PORT SPORT
                                           a cookie from A, acked at B

Frames go out on IFACE to MAC (the next hop). Spoofed IPv4 sources are
hosts of 198.51.100.0/24 and 203.0.113.0/24, IPv6 ones of
2001:db8:1::/48: documentation ranges, inside the test's namespaces.
What was sent or seen is printed on one line for the shell to check.
"""
import random
import struct
import sys
import time

# Only the layers used: scapy.all takes twice as long to import, seconds
# under emulation.
from scapy.arch import get_if_hwaddr
from scapy.config import conf
from scapy.layers.inet import IP, TCP, fragment
from scapy.layers.inet6 import IPv6, IPv6ExtHdrFragment, fragment6
from scapy.layers.l2 import Ether
from scapy.packet import Raw
from scapy.sendrecv import AsyncSniffer, sendp

conf.verb = 0
R = random.getrandbits

# The options of a Linux SYN: MSS, SACK permitted, timestamps, window
# scale; 20 bytes, so the TCP header is 40.
LINUX_OPTS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (R(32), 0)),
              ("NOP", None), ("WScale", 7)]

# Option lists tcp_parse_options() accepts, skipping or stopping at the
# odd option, that a parser holding every option to its length refuses.
ODD_OPTIONS = {
    "mss_len3": b"\x02\x03\x05\x01",
    "ts_past_header": b"\x01\x01\x08\x0a",
    "wscale_len4": b"\x03\x04\x07\x00",
    "sackperm_len3": b"\x04\x03\x00\x01",
    "ts_len8": b"\x08\x08" + b"\x00" * 6,
    "len0": b"\xfe\x00\x00\x00",
    "len1": b"\xfd\x01\x00\x00",
    "sack_len6": b"\x05\x06" + b"\x00" * 4 + b"\x01\x01",
    "kind_without_len": b"\x01\x01\x01\x02",
    "fastopen_len20": b"\x22\x14" + b"\x00" * 18 + b"\x01\x01\x01\x01",
    "mss_then_len3": b"\x02\x04\x05\xb4\x02\x03\x05\x01",
}


def spoofed(v6):
    if v6:
        return "2001:db8:1:%x::%x" % (R(16), R(16) | 1)
    net = random.choice(("198.51.100", "203.0.113"))
    return "%s.%d" % (net, random.randint(100, 250))


def l3(src, dst, **kw):
    if ":" in dst:
        return IPv6(src=src, dst=dst, **kw)
    return IP(src=src, dst=dst, id=R(16), **kw)


def syn(src, dst, port, opts=None, raw=None, sport=None):
    sport = sport or random.randint(1024, 65535)
    if raw is not None:
        tcp = TCP(sport=sport, dport=port, flags="S", seq=R(32),
                  window=65535, dataofs=5 + len(raw) // 4) / Raw(raw)
    else:
        tcp = TCP(sport=sport, dport=port, flags="S", seq=R(32),
                  window=65535, options=opts or LINUX_OPTS)
    return l3(src, dst) / tcp


def send(iface, mac, pkts):
    """Frames from IFACE's own address: scapy would look it up in its
    routes, and a bridge drops the zero address it falls back to."""
    own = get_if_hwaddr(iface)
    sendp([Ether(src=own, dst=mac) / p for p in pkts], iface=iface, inter=0)


def frag(iface, mac, dst, port, n):
    """N spoofed SYNs in each way of splitting them. IPv4: first
    fragments of 8 bytes (the ports and the sequence number, flags in
    the next), 16 bytes (flags, options next), 24 bytes (the fixed
    header, options next), and the 8-byte split sent last fragment
    first. IPv6 requires the whole TCP header in the first fragment
    (RFC 8200; Linux drops others): 24 bytes then the options, the
    same in reverse order, and atomic fragments (one fragment, offset 0,
    no more to come: RFC 6946)."""
    pkts = []
    if ":" in dst:
        def frag6(): return IPv6(src=spoofed(True), dst=dst) / \
            IPv6ExtHdrFragment(id=R(32)) / syn("::", "::1", port)[TCP]
        for _ in range(n):
            pkts += fragment6(frag6(), 40 + 8 + 24)
            pkts += reversed(fragment6(frag6(), 40 + 8 + 24))
            pkts.append(frag6())
    else:
        for size, order in ((8, 1), (16, 1), (24, 1), (8, -1)):
            for _ in range(n):
                p = syn(spoofed(False), dst, port)
                pkts += fragment(p, fragsize=size)[::order]
    send(iface, mac, pkts)
    print("sent", len(pkts), "fragments")


def badopt(iface, mac, dst, port, n):
    pkts = [syn(spoofed(":" in dst), dst, port, raw=raw)
            for raw in ODD_OPTIONS.values() for _ in range(n)]
    send(iface, mac, pkts)
    print("sent", len(pkts))


def optclient(iface, mac, src, dst, port):
    """One handshake per odd option list, its SYN carrying it: SYN,
    ACK of the SYN-ACK, then a length-prefixed request tcp-peer.py
    echoes, sent again each second (a proxy drops data that comes
    before the server's side is open) until the echo arrives. Prints the
    names of the option lists whose connection echoed."""
    got = []
    sn = AsyncSniffer(iface=iface, store=False,
                      lfilter=lambda p: TCP in p and p[TCP].sport == port,
                      prn=got.append)
    sn.start()
    time.sleep(1)
    ok = []
    for i, (name, raw) in enumerate(ODD_OPTIONS.items()):
        sport = 46000 + i

        def seen(cond, wait):
            end = time.time() + wait
            while time.time() < end:
                for p in got:
                    if p[TCP].dport == sport and cond(p[TCP]):
                        return p[TCP]
                time.sleep(0.05)
            return None

        s = syn(src, dst, port, raw=raw, sport=sport)
        isn = s[TCP].seq
        send(iface, mac, [s])
        sa = seen(lambda t: t.flags.S and t.flags.A and t.ack == isn + 1, 3)
        if not sa:
            continue
        ack = (sa.seq + 1) & 0xffffffff
        isn = (isn + 1) & 0xffffffff
        send(iface, mac, [l3(src, dst) / TCP(sport=sport, dport=port,
                                             flags="A", seq=isn,
                                             ack=ack, window=65535)])
        req = struct.pack(">I", 5) + b"hello"
        data = l3(src, dst) / TCP(sport=sport, dport=port, flags="PA",
                                  seq=isn, ack=ack, window=65535) / \
            Raw(req)
        for _ in range(6):
            send(iface, mac, [data])
            echo = seen(lambda t: Raw in t and t[Raw].load == b"hello", 1)
            if echo:
                ok.append(name)
                break
    sn.stop()
    print("echoed", len(ok), "of", len(ODD_OPTIONS), " ".join(ok))


def mapped(iface, mac, port):
    """IPv6 SYNs with IPv4-mapped addresses, to the server 192.0.2.1
    (2001:db8::1) from the attacker 192.0.2.3: mapped source and
    destination; mapped source only; mapped destination only, from an
    address whose last 32 bits are the attacker's IPv4 address. Counts
    the SYN-ACKs of either family that come back within 3 s."""
    seen = {"v4": 0, "v6": 0}

    def count(p):
        if p[Ether].src == mac and TCP in p and \
           p[TCP].flags.S and p[TCP].flags.A:
            seen["v6" if IPv6 in p else "v4"] += 1

    sn = AsyncSniffer(iface=iface, store=False, prn=count)
    sn.start()
    time.sleep(1)
    pairs = (("::ffff:192.0.2.3", "::ffff:192.0.2.1"),
             ("::ffff:192.0.2.3", "2001:db8::1"),
             ("2001:db8::c000:203", "::ffff:192.0.2.1"))
    pkts = [IPv6(src=s, dst=d) / TCP(sport=random.randint(1024, 65535),
                                      dport=port, flags="S", seq=R(32),
                                      options=LINUX_OPTS)
            for s, d in pairs for _ in range(5)]
    send(iface, mac, pkts)
    time.sleep(3)
    sn.stop()
    print("sent %d synack v4 %d v6 %d" % (len(pkts), seen["v4"], seen["v6"]))


def pickup(iface, mac, dst, port, n):
    """Entries for tuples the attacker chooses, then a SYN on each: N
    ACKs to DST with a TTL of 1, which the first router sees and does
    not forward, so the server never answers them with a RST; N packets
    from DST:PORT towards the spoofed clients, which synguard tracks
    for the unprotected destination; N ordinary ACKs. Sources are hosts
    of 198.51.100.0/24, the router's client side."""
    tuples, first = [], []
    for i in range(3 * n):
        src = "198.51.100.%d" % (100 + i)
        sport = 30000 + i
        tuples.append((src, sport))
        if i < n:
            first.append(IP(src=src, dst=dst, ttl=1) /
                         TCP(sport=sport, dport=port, flags="A",
                             seq=R(32), ack=R(32)))
        elif i < 2 * n:
            first.append(IP(src=dst, dst=src) /
                         TCP(sport=port, dport=sport, flags="A",
                             seq=R(32), ack=R(32)))
        else:
            first.append(IP(src=src, dst=dst) /
                         TCP(sport=sport, dport=port, flags="A",
                             seq=R(32), ack=R(32)))
    send(iface, mac, first)
    time.sleep(1)
    send(iface, mac, [syn(src, dst, port, sport=sport)
                      for src, sport in tuples])
    print("sent", len(first), "then", len(tuples), "SYNs")


def twin(iface_a, mac_a, iface_b, mac_b, src, dst, port, sport):
    """A SYN to host A, which answers with a cookie; the ACK of that
    cookie to host B instead. Prints the cookie, or none."""
    got = []
    sn = AsyncSniffer(iface=iface_a, store=False,
                      lfilter=lambda p: TCP in p and p[TCP].dport == sport
                      and p[TCP].flags.S and p[TCP].flags.A,
                      prn=got.append)
    sn.start()
    time.sleep(1)
    s = syn(src, dst, port, sport=sport)
    send(iface_a, mac_a, [s])
    end = time.time() + 3
    while not got and time.time() < end:
        time.sleep(0.05)
    sn.stop()
    if not got:
        print("cookie none")
        return
    cookie = got[0][TCP].seq
    send(iface_b, mac_b, [l3(src, dst) /
                          TCP(sport=sport, dport=port, flags="A",
                              seq=(s[TCP].seq + 1) & 0xffffffff,
                              ack=(cookie + 1) & 0xffffffff,
                              window=65535)])
    print("cookie", cookie)


def main():
    cmd, a = sys.argv[1], sys.argv[2:]
    if cmd == "frag":
        frag(a[0], a[1], a[2], int(a[3]), int(a[4]))
    elif cmd == "badopt":
        badopt(a[0], a[1], a[2], int(a[3]), int(a[4]))
    elif cmd == "optclient":
        optclient(a[0], a[1], a[2], a[3], int(a[4]))
    elif cmd == "mapped":
        mapped(a[0], a[1], int(a[2]))
    elif cmd == "pickup":
        pickup(a[0], a[1], a[2], int(a[3]), int(a[4]))
    elif cmd == "twin":
        twin(a[0], a[1], a[2], a[3], a[4], a[5], int(a[6]), int(a[7]))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
