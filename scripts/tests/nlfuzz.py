#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzz synguard's generic netlink family from inside a VM test.

  nlfuzz.py --seed N [--seconds S] [--iterations N] [--unpriv N]

Sends random and mutated requests in the caller's network namespace:
wrong commands, versions, flags and lengths, unknown and duplicated
attributes, bad nesting, out-of-range knobs, truncated and concatenated
messages, dumps drained to the end or abandoned half way (by closing the
socket, or by starting a second dump on the same socket), and requests
from an unprivileged user. Every request is followed by a valid
GET_CONFIG on the same socket, so that the kernel's answers can be told
apart and the configuration read back.

A model of the configuration (knobs, whether a cookie secret is shared,
the services) is kept from the requests the kernel acknowledged with
success only: after every request the module's state must equal it, so
a rejected request that changed anything, or an accepted one that did
something else than it said, is caught. At the end the configuration the
fuzzing started from is restored. The kernel's own health (oops, WARN,
KASAN...) is checked by the caller (lib.sh's test_run).

The same seed sends the same requests. Prints the seed first and a
summary line last; exits 1 on a mismatch, printing the request.
"""
import argparse
import os
import random
import re
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK = 1, 2, 4
NLM_F_DUMP_INTR = 0x10
NLM_F_ROOT, NLM_F_MATCH = 0x100, 0x200
NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 3, 1, 2
NLA_F_NESTED, NLA_F_NET_BYTEORDER = 1 << 15, 1 << 14

UAPI = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "../../kmod/uapi/linux/synguard.h")


def uapi():
    """Commands, attribute numbers and knob ranges from the contract."""
    text = re.sub(r"\\\n\s*", " ", open(UAPI).read())

    def enum(name):
        body = re.search(r"enum %s \{(.*?)\};" % name, text, re.S).group(1)
        return [n for n in re.findall(r"^\s*(\w+)", body, re.M)]

    u = {}
    for name in ("synguard_cmd", "synguard_attr", "synguard_service_attr"):
        for i, n in enumerate(enum(name)):
            u[n] = i
    knobs = re.search(r"#define SYNGUARD_KNOBS\(X\)(.*?)\n", text).group(1)
    u["knobs"] = []
    modes = re.search(r"#define SYNGUARD_MODES\(X\)(.*?)\n",
                      text).group(1).count("X(")
    consts = {"SYNGUARD_MODE_OFF": 0, "__SYNGUARD_MODE_MAX - 1": modes - 1}
    ids = []
    for m in re.finditer(r"X\((\w+),\s*(\w+),\s*SYNGUARD_KT_\w+,([^,]+),"
                         r"([^,]+),", knobs):
        lo, hi = m.group(3).strip(), m.group(4).strip()
        ids.append(m.group(1))
        u["knobs"].append((m.group(2), int(consts.get(lo, lo)),
                           int(consts.get(hi, hi))))
    svc = re.search(r"#define SYNGUARD_SERVICE_KNOBS\(X\)(.*?)\n",
                    text).group(1)
    u["service_knobs"] = [ids.index(k) for k in re.findall(r"X\((\w+)\)", svc)]
    return u


U = uapi()
NKNOBS = len(U["knobs"])
CMD_GET_CONFIG = U["SYNGUARD_CMD_GET_CONFIG"]
CMD_SET_CONFIG = U["SYNGUARD_CMD_SET_CONFIG"]
CMD_GET_STATS = U["SYNGUARD_CMD_GET_STATS"]
CMD_GET_LISTENERS = U["SYNGUARD_CMD_GET_LISTENERS"]
CMD_GET_CONNS = U["SYNGUARD_CMD_GET_CONNS"]
CMD_ADD = U["SYNGUARD_CMD_ADD_SERVICE"]
CMD_DEL = U["SYNGUARD_CMD_DEL_SERVICE"]
CMD_GET_SERVICES = U["SYNGUARD_CMD_GET_SERVICES"]
CMD_MAX = U["__SYNGUARD_CMD_MAX"] - 1
A_CONFIG = U["SYNGUARD_A_CONFIG"]
A_FLAGS = U["SYNGUARD_A_FLAGS"]
A_FILTER_STATE = U["SYNGUARD_A_FILTER_STATE"]
A_FILTER_PORT = U["SYNGUARD_A_FILTER_PORT"]
A_SERVICE = U["SYNGUARD_A_SERVICE"]
A_SECRET = U["SYNGUARD_A_COOKIE_SECRET"]
A_SHARED = U["SYNGUARD_A_COOKIE_SHARED"]
A_MAX = U["__SYNGUARD_A_MAX"] - 1
S_ADDR = U["SYNGUARD_S_A_ADDR"]
S_PREFIX = U["SYNGUARD_S_A_PREFIX"]
S_PMIN = U["SYNGUARD_S_A_PORT_MIN"]
S_PMAX = U["SYNGUARD_S_A_PORT_MAX"]
S_CONFIG = U["SYNGUARD_S_A_CONFIG"]
S_MAX = U["__SYNGUARD_S_A_MAX"] - 1
CHANGING = (CMD_SET_CONFIG, CMD_ADD, CMD_DEL)
DUMPS = (CMD_GET_LISTENERS, CMD_GET_CONNS, CMD_GET_SERVICES)


def nla(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def attrs(buf):
    """(type, payload) pairs, last one wins, as the kernel parses them."""
    out = []
    while len(buf) >= 4:
        n, t = struct.unpack_from("=HH", buf)
        if n < 4 or n > len(buf):
            break
        out.append((t & 0x3FFF, buf[4:n]))
        buf = buf[(n + 3) & ~3:]
    return out


def last(pairs):
    return {t: v for t, v in pairs}


class Fail(Exception):
    pass


class Sock:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                               NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.s.settimeout(20)

    def close(self):
        self.s.close()

    def messages(self):
        """The messages of one datagram."""
        data = self.s.recv(1 << 20)
        out = []
        while len(data) >= 16:
            n, t, f, seq, _ = struct.unpack_from("=IHHII", data)
            if n < 16:
                break
            out.append((t, f, seq, data[16:n]))
            data = data[(n + 3) & ~3:]
        return out


def hdr(n, t, f, seq, cmd, ver=1):
    return struct.pack("=IHHIIBBH", n, t, f, seq, 0, cmd, ver, 0)


class Fuzz:
    def __init__(self, rng, fam):
        self.r = rng
        self.fam = fam
        self.seq = 1000
        self.sock = Sock()
        self.stats = dict(iterations=0, accepted=0, rejected=0, dumps=0,
                          abandoned=0, busy=0, intr=0)
        self.cfg, self.shared = self.read_config()
        self.services = self.read_services()
        self.initial = (list(self.cfg), self.shared, dict(self.services))

    # -- talking to the kernel --------------------------------------------

    def nextseq(self):
        self.seq += 1
        return self.seq

    def request(self, cmd, payload, flags=NLM_F_ACK):
        """A well-formed request; returns (errno, replies)."""
        seq = self.nextseq()
        self.sock.s.send(hdr(20 + len(payload), self.fam,
                             NLM_F_REQUEST | flags, seq, cmd) + payload)
        replies = []
        while True:
            for t, f, s, body in self.sock.messages():
                if s != seq:
                    continue
                if t == NLMSG_ERROR:
                    return -struct.unpack_from("=i", body)[0], replies
                if t == NLMSG_DONE:
                    return 0, replies
                replies.append((f, body))

    def read_config(self):
        err, rep = self.request(CMD_GET_CONFIG, b"")
        if err:
            raise Fail("GET_CONFIG failed: errno %d" % err)
        return self.parse_config(rep[0][1])

    @staticmethod
    def parse_config(body):
        top = last(attrs(body[4:]))
        knobs = last(attrs(top[A_CONFIG]))
        cfg = [struct.unpack("=I", knobs[i + 1])[0] for i in range(NKNOBS)]
        return cfg, A_SHARED in top

    def read_services(self):
        err, rep = self.request(CMD_GET_SERVICES, b"",
                                NLM_F_ACK | NLM_F_DUMP)
        if err:
            raise Fail("GET_SERVICES failed: errno %d" % err)
        out = {}
        for _, body in rep:
            key, over = self.parse_service(last(attrs(body[4:]))[A_SERVICE])
            out[key] = over
        return out

    @staticmethod
    def parse_service(nest):
        s = last(attrs(nest))
        key = (s[S_ADDR], s[S_PREFIX][0], struct.unpack("=H", s[S_PMIN])[0],
               struct.unpack("=H", s[S_PMAX])[0])
        over = {}
        if S_CONFIG in s:
            for t, v in last(attrs(s[S_CONFIG])).items():
                over[t - 1] = struct.unpack("=I", v)[0]
        return key, tuple(sorted(over.items()))

    # -- building requests ---------------------------------------------------

    def knob_value(self, i):
        name, lo, hi = U["knobs"][i]
        if name == "max_conns":
            # Valid values that keep the table growing, so that dumps
            # see it change (and flag it); invalid ones as for the rest.
            lo = 300000
        r = self.r.random()
        if r < 0.6:
            return self.r.randint(lo, min(hi, lo + 1000))
        if r < 0.8:
            return self.r.choice([lo, hi, lo - 1 & 0xFFFFFFFF, hi + 1])
        return self.r.getrandbits(32)

    def u32_attr(self, t, v):
        r = self.r.random()
        if r < 0.9:
            return nla(t, struct.pack("=I", v))
        if r < 0.95:
            return nla(t, struct.pack("=I", v)[:self.r.randint(0, 3)])
        return nla(t, struct.pack("=Q", v))

    def knob_nest(self, t, service=False):
        n = self.r.choice([0, 1, 1, 2, 3, 5])
        body = b""
        for _ in range(n):
            if service and self.r.random() < 0.8:
                i = self.r.choice(U["service_knobs"])
            else:
                i = self.r.randint(-1, NKNOBS + 2)
            body += self.u32_attr(i + 1, self.knob_value(
                min(max(i, 0), NKNOBS - 1)))
        if self.r.random() < 0.05:
            body += nla(self.r.randint(0, 0xFFFF), self.rbytes(8))
        return nla(t | (NLA_F_NESTED if self.r.random() < 0.9 else 0), body)

    def rbytes(self, maxlen):
        return bytes(self.r.getrandbits(8)
                     for _ in range(self.r.randint(0, maxlen)))

    def service_nest(self):
        r = self.r.random()
        if self.services and r < 0.4:
            # Often one that exists: a delete that succeeds, a
            # duplicate add.
            key = self.r.choice(sorted(self.services))
            addr, prefix, pmin, pmax = key
        else:
            addr, prefix = self.r.choice([
                (b"\0" * 10 + b"\xff\xff" + bytes([198, 51, 100, 0]), 120),
                (b"\0" * 10 + b"\xff\xff" + bytes([203, 0, 113, 128]), 121),
                (bytes.fromhex("20010db8") + bytes([0, self.r.randint(0, 9)])
                 + b"\0" * 10, 48),
                (b"\0" * 16, 0),
                (self.rbytes(16).ljust(16, b"\0"), self.r.randint(0, 130)),
            ])
            pmin = self.r.choice([0, 1, 30000 + self.r.randint(0, 50),
                                  65535, self.r.getrandbits(16)])
            pmax = pmin + self.r.choice([0, 0, 3, -1, 70000])
        body = b""
        parts = [nla(S_ADDR, addr if self.r.random() < 0.95 else
                     self.rbytes(20)),
                 nla(S_PREFIX, bytes([prefix & 0xFF])),
                 nla(S_PMIN, struct.pack("=H", pmin & 0xFFFF)),
                 nla(S_PMAX, struct.pack("=H", pmax & 0xFFFF))]
        if self.r.random() < 0.3:
            parts.append(self.knob_nest(S_CONFIG, service=True))
        for p in parts:
            if self.r.random() < 0.97:
                body += p
        if self.r.random() < 0.05:
            body += nla(self.r.randint(S_MAX + 1, 0x3FFF), self.rbytes(8))
        return nla(A_SERVICE | NLA_F_NESTED, body)

    def payload(self, cmd):
        r = self.r.random
        out = b""
        if cmd == CMD_SET_CONFIG:
            if r() < 0.9:
                out += self.knob_nest(A_CONFIG)
            if r() < 0.15:
                out += nla(A_SECRET, self.r.choice(
                    [b"", bytes(16), self.rbytes(20)]))
        elif cmd == CMD_GET_STATS:
            if r() < 0.5:
                # Never a plain reset: other tests' counters are ours too,
                # but a reset is harmless, so keep a few.
                out += self.u32_attr(A_FLAGS, self.r.choice(
                    [0, 2, 0x80000000, 1 if r() < 0.1 else 0]))
        elif cmd in (CMD_ADD, CMD_DEL):
            if r() < 0.97:
                out += self.service_nest()
        elif cmd == CMD_GET_CONNS:
            if r() < 0.4:
                out += nla(A_FILTER_STATE, bytes([self.r.randint(0, 12)]))
            if r() < 0.4:
                out += nla(A_FILTER_PORT, struct.pack(
                    "=H", self.r.choice([0, 8080, self.r.getrandbits(16)])))
        if r() < 0.1:
            # Any other top-level attribute, known or not.
            out += nla(self.r.randint(0, A_MAX + 3) |
                       self.r.choice([0, NLA_F_NESTED, NLA_F_NET_BYTEORDER]),
                       self.rbytes(24))
        if r() < 0.05:
            # The same attribute twice: the last one counts.
            out += out
        return out

    def mutate(self, b):
        b = bytearray(b)
        for _ in range(self.r.randint(1, 4)):
            op = self.r.randint(0, 4)
            if op == 0 and b:
                i = self.r.randrange(len(b))
                b[i] ^= 1 << self.r.randint(0, 7)
            elif op == 1 and b:
                b[self.r.randrange(len(b))] = self.r.getrandbits(8)
            elif op == 2:
                del b[self.r.randint(0, len(b)):]
            elif op == 3:
                b += self.rbytes(16)
            elif op == 4 and len(b) >= 4:
                # An attribute header's length, at some 4-byte boundary.
                i = self.r.randrange(0, len(b) - 3, 4) if len(b) > 4 else 0
                struct.pack_into("=H", b, i, self.r.choice(
                    [0, 3, 4, 5, 0xFFFF, self.r.getrandbits(8)]))
        return bytes(b)

    def message(self):
        """One request's bytes and whether it asks for a dump."""
        r = self.r.random
        kind = r()
        cmd = self.r.choice([CMD_GET_CONFIG, CMD_SET_CONFIG, CMD_SET_CONFIG,
                             CMD_GET_STATS, CMD_ADD, CMD_ADD, CMD_DEL,
                             CMD_DEL, CMD_GET_LISTENERS, CMD_GET_CONNS,
                             CMD_GET_SERVICES])
        if kind < 0.05:
            cmd = self.r.choice([0, CMD_MAX + 1, U["SYNGUARD_CMD_EVENT"],
                                 self.r.getrandbits(8)])
        payload = self.payload(cmd)
        if 0.05 <= kind < 0.35:
            payload = self.mutate(payload)
        elif 0.35 <= kind < 0.4:
            payload = self.rbytes(64)
        flags = NLM_F_REQUEST | NLM_F_ACK
        if cmd in DUMPS and r() < 0.85 or r() < 0.05:
            flags |= NLM_F_DUMP
        if r() < 0.03:
            flags |= self.r.getrandbits(16) & ~NLM_F_DUMP_INTR
        ver = 1 if r() < 0.95 else self.r.getrandbits(8)
        seq = self.nextseq()
        n = 20 + len(payload)
        if r() < 0.03:
            n = self.r.choice([0, 15, 16, 19, n - 1, n + 4, 0xFFFF])
        msg = hdr(n, self.fam, flags, seq, cmd, ver) + payload
        if r() < 0.03:
            msg = msg[:self.r.randint(0, len(msg))]
        return msg, seq

    # -- the model -----------------------------------------------------------

    def effect(self, msg):
        """What an accepted request changed, in the model."""
        n = struct.unpack_from("=I", msg)[0]
        cmd = msg[16]
        top = last(attrs(msg[20:n]))
        if cmd == CMD_SET_CONFIG:
            if A_CONFIG in top:
                for t, v in last(attrs(top[A_CONFIG])).items():
                    self.cfg[t - 1] = struct.unpack("=I", v)[0]
            if A_SECRET in top:
                self.shared = len(top[A_SECRET]) > 0
        elif cmd in (CMD_ADD, CMD_DEL):
            key, over = self.parse_service(top[A_SERVICE])
            if cmd == CMD_ADD:
                if key in self.services:
                    raise Fail("a duplicate service was accepted")
                self.services[key] = over
            else:
                if key not in self.services:
                    raise Fail("deleting a missing service succeeded")
                del self.services[key]

    def check(self, what, services):
        cfg, shared = self.read_config()
        if cfg != self.cfg or shared != self.shared:
            diff = [(U["knobs"][i][0], self.cfg[i], cfg[i])
                    for i in range(NKNOBS) if cfg[i] != self.cfg[i]]
            raise Fail("%s: configuration is not the model's: %s%s" %
                       (what, diff, " shared %s, not %s" %
                        (shared, self.shared) if shared != self.shared
                        else ""))
        if services:
            svc = self.read_services()
            if svc != self.services:
                raise Fail("%s: services differ from the model: %d extra, "
                           "%d missing" % (what,
                                           len(set(svc) - set(self.services)),
                                           len(set(self.services) - set(svc))))

    # -- one step --------------------------------------------------------------

    def drain(self):
        """Read the answers to requests seqs; return the errnos by seq
        and whether a dump is still running."""
        errs = {}
        open_dump = None
        sync = self.nextseq()
        self.sock.s.send(hdr(20, self.fam, NLM_F_REQUEST | NLM_F_ACK, sync,
                             CMD_GET_CONFIG))
        synced = False
        while not synced:
            for t, f, s, body in self.sock.messages():
                if s == sync:
                    if t == NLMSG_ERROR:
                        err = -struct.unpack_from("=i", body)[0]
                        if err:
                            raise Fail("GET_CONFIG failed: errno %d" % err)
                        synced = True
                    continue
                if t == NLMSG_DONE:
                    open_dump = None
                elif t == NLMSG_ERROR:
                    errs[s] = -struct.unpack_from("=i", body)[0]
                    if s == open_dump:
                        open_dump = None
                elif f & NLM_F_MULTI:
                    # A dump under way, until its DONE.
                    open_dump = s
                    if f & NLM_F_DUMP_INTR:
                        self.stats["intr"] += 1
        return errs, open_dump is not None

    def finish_dump(self):
        """Read a running dump to its end, or abandon it."""
        r = self.r.random()
        if r < 0.3:
            # A second dump while one runs: refused, the first goes on.
            err, _ = self.request(CMD_GET_SERVICES, b"",
                                  NLM_F_ACK | NLM_F_DUMP)
            if err == 16:
                self.stats["busy"] += 1
        if r < 0.6:
            self.stats["abandoned"] += 1
            self.sock.close()
            self.sock = Sock()
            return
        deadline = time.time() + 60
        while time.time() < deadline:
            for t, f, _, _ in self.sock.messages():
                if f & NLM_F_DUMP_INTR:
                    self.stats["intr"] += 1
                if t in (NLMSG_DONE, NLMSG_ERROR):
                    self.stats["dumps"] += 1
                    return
        raise Fail("a dump did not end within 60 s")

    def step(self):
        self.stats["iterations"] += 1
        batch = [self.message() for _ in range(
            1 if self.r.random() < 0.9 else self.r.randint(2, 4))]
        data = b"".join(m for m, _ in batch)
        try:
            self.sock.s.send(data)
        except OSError:
            # Too short to be a message at all.
            pass
        errs, open_dump = self.drain()
        changed = False
        touched = False
        for m, seq in batch:
            if len(m) < 20 or m[16] not in CHANGING:
                continue
            touched = touched or m[16] != CMD_SET_CONFIG
            if errs.get(seq) == 0 and not (
                    struct.unpack_from("=H", m, 4)[0] & NLM_F_DUMP):
                n = struct.unpack_from("=I", m)[0]
                if n < 20 or n > len(m):
                    continue
                self.effect(m)
                self.stats["accepted"] += 1
                changed = True
            else:
                self.stats["rejected"] += 1
        if open_dump:
            self.finish_dump()
        self.check("after %s" % data.hex(), touched or changed)

    # -- as an unprivileged user ---------------------------------------------

    def unprivileged(self, count):
        """count admin requests from uid 65534, in a child: each must fail
        with EPERM. Returns the number sent."""
        pid = os.fork()
        if pid == 0:
            try:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
                self.sock = Sock()
                for _ in range(count):
                    cmd = self.r.choice(list(CHANGING) +
                                        [CMD_GET_LISTENERS, CMD_GET_CONNS])
                    flags = NLM_F_ACK | (NLM_F_DUMP if cmd in DUMPS else 0)
                    err, _ = self.request(cmd, self.payload(cmd), flags)
                    if err != 1:
                        print("nlfuzz: unprivileged command %d: errno %d, "
                              "not EPERM" % (cmd, err))
                        os._exit(1)
                os._exit(0)
            except Exception as e:
                print("nlfuzz: unprivileged: %s" % e)
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        if status:
            raise Fail("unprivileged requests were not all refused")
        self.check("after the unprivileged requests", True)
        return count

    def restore(self):
        cfg, shared, services = self.initial
        if shared:
            raise Fail("cannot restore a shared secret")
        for key in list(self.services):
            if key not in services:
                err, _ = self.request(CMD_DEL, self.svc_payload(key, ()))
                if err:
                    raise Fail("restore: delete failed: errno %d" % err)
                del self.services[key]
        for key, over in services.items():
            if key not in self.services:
                err, _ = self.request(CMD_ADD, self.svc_payload(key, over))
                if err:
                    raise Fail("restore: add failed: errno %d" % err)
                self.services[key] = over
        nest = b"".join(nla(i + 1, struct.pack("=I", v))
                        for i, v in enumerate(cfg))
        err, _ = self.request(CMD_SET_CONFIG,
                              nla(A_CONFIG | NLA_F_NESTED, nest) +
                              nla(A_SECRET, b""))
        if err:
            raise Fail("restore: SET_CONFIG failed: errno %d" % err)
        self.cfg, self.shared = list(cfg), False
        self.check("after restoring", True)

    @staticmethod
    def svc_payload(key, over):
        addr, prefix, pmin, pmax = key
        body = (nla(S_ADDR, addr) + nla(S_PREFIX, bytes([prefix])) +
                nla(S_PMIN, struct.pack("=H", pmin)) +
                nla(S_PMAX, struct.pack("=H", pmax)))
        if over:
            body += nla(S_CONFIG | NLA_F_NESTED, b"".join(
                nla(i + 1, struct.pack("=I", v)) for i, v in over))
        return nla(A_SERVICE | NLA_F_NESTED, body)


def family_id():
    s = Sock()
    msg = nla(CTRL_ATTR_FAMILY_NAME, b"synguard\0")
    data = struct.pack("=IHHIIBBH", 20 + len(msg), GENL_ID_CTRL,
                       NLM_F_REQUEST, 2, 0, CTRL_CMD_GETFAMILY, 1, 0) + msg
    s.s.send(data)
    while True:
        for t, _, seq, body in s.messages():
            if seq == 2 and t == GENL_ID_CTRL:
                s.close()
                return struct.unpack(
                    "=H", last(attrs(body[4:]))[CTRL_ATTR_FAMILY_ID])[0]
            if seq == 2 and t == NLMSG_ERROR:
                raise SystemExit("nlfuzz: no synguard family")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--iterations", type=int, default=0)
    ap.add_argument("--unpriv", type=int, default=200)
    a = ap.parse_args()
    print("nlfuzz: seed %d" % a.seed, flush=True)
    f = Fuzz(random.Random(a.seed), family_id())
    end = time.time() + a.seconds
    try:
        unpriv = f.unprivileged(a.unpriv)
        while (f.stats["iterations"] < a.iterations if a.iterations
               else time.time() < end):
            f.step()
        f.restore()
    except (Fail, OSError) as e:
        print("nlfuzz: seed %d, iteration %d: %s" %
              (a.seed, f.stats["iterations"], e))
        return 1
    print("nlfuzz: %d iterations, %d unprivileged; %d changes accepted, "
          "%d refused; %d dumps read to the end, %d abandoned, %d refused "
          "as busy, %d messages flagged interrupted" %
          (f.stats["iterations"], unpriv, f.stats["accepted"],
           f.stats["rejected"], f.stats["dumps"], f.stats["abandoned"],
           f.stats["busy"], f.stats["intr"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
