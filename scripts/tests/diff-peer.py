#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""synguard's per-listener gauges against the server's own sockets.

  diff-peer.py --srv-ns NS --cli-ns NS --sg-ns NS --drop-ns NS
               --mode local|routed --addr ADDR [--conns N] [--rounds R]
               [--seed S] [--port P]

Drives N connections per round from a client namespace to a server
namespace through randomized lifecycles: who closes first, FINs that
cross, half-close with data after it, a FIN or an ACK lost after
synguard's hook, RSTs from either side at several stages, reuse of a
TIME_WAIT tuple. Both ends are sockets of this one process, opened in
their namespace with setns(2), so the order of the two sides' actions is
the script's. At quiescent points (no retransmission pending on either
end) it compares each gauge of the listener in `synguard -j listeners`
in --sg-ns with what `ss -tan` in the server namespace shows for the
server's sockets, and peer_time_wait with the client's TIME-WAIT sockets:
exact equality.

Losses are nft drops placed after synguard's hooks (priority -350): in
--drop-ns, at prerouting priority -300 and output priority 0 for a local
server (--mode local, --drop-ns the server's namespace), at forward
priority 0 on a router (--mode routed). Each round uses its own port, so
TIME_WAIT sockets of earlier rounds, which the kernel and synguard both
keep 60 seconds, stay out of the comparison; a round whose comparisons
would come later than 55 seconds after its first close is cut short
there (heavy emulation), and the driver exits 4 when no round
completed. Raise
net.ipv4.tcp_fin_timeout in both namespaces so that orphaned FIN-WAIT-2
sockets do not expire during a round either.

Prints the seed first; on a mismatch prints it again with the phase,
every connection's lifecycle, ss and the conns dump, and exits 1.
"""
import argparse
import ctypes
import ipaddress
import json
import os
import random
import socket
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SG = os.path.join(ROOT, "user", "synguard")
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)

# ss's state names, by the listener gauge they count in.
GAUGES = {
    "SYN-RECV": "half_open",
    "ESTAB": "established",
    "FIN-WAIT-1": "fin_wait",
    "FIN-WAIT-2": "fin_wait",
    "CLOSING": "fin_wait",
    "CLOSE-WAIT": "close_wait",
    "LAST-ACK": "last_ack",
    "TIME-WAIT": "time_wait",
}
FIELDS = ["half_open", "established", "fin_wait", "close_wait", "last_ack",
          "time_wait", "peer_time_wait"]

# Lifecycles: what each side does in phases 1 and 2 and before the final
# close of everything, with the drops the phase arms first (none in the
# last). Actions: close, shut (shutdown SHUT_WR), send (data
# the other side reads), abort (RST), reuse (the client reconnects from
# the same port), drop sets: cfin, sfin (FINs from client, server), cack,
# sack (pure ACKs from client, server).
LIFECYCLES = {
    "client_first": [["c:close"], ["s:close"], []],
    "server_first": [["s:close"], ["c:close"], []],
    "client_half": [["c:shut"], ["s:send", "c:read", "s:close"], ["c:close"]],
    "server_half": [["s:shut"], ["c:send", "s:read", "c:close"], ["s:close"]],
    "cross_client_fin_lost": [["+cfin", "c:close", "s:close"], [], []],
    "cross_server_fin_lost": [["+sfin", "s:close", "c:close"], [], []],
    "client_fin_lost": [["+cfin", "c:close"], ["s:close"], []],
    "server_ack_lost": [["+sack", "c:close"], ["s:close"], []],
    "server_fin_lost": [["c:close"], ["+sfin", "s:close"], []],
    "client_last_ack_lost": [["c:close"], ["+cack", "s:close"], []],
    "server_last_ack_lost": [["s:close"], ["+sack", "c:close"], []],
    "client_rst": [["c:abort"], [], []],
    "server_rst": [["s:abort"], [], []],
    "server_rst_close_wait": [["c:close"], ["s:abort"], []],
    "client_rst_close_wait": [["s:close"], ["c:abort"], []],
    "client_rst_half": [["s:shut"], ["c:abort"], []],
    "tw_reuse": [["s:close"], ["c:close"], ["c:reuse"]],
    "kept_open": [[], [], []],
    "close_wait_kept": [["c:close"], [], []],
}


class Mismatch(Exception):
    pass


class TooSlow(Exception):
    pass


def setns(name):
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns {name}: {os.strerror(err)}")
    finally:
        os.close(fd)


class Netns:
    """Sockets opened inside a namespace; the process returns home."""

    def __init__(self, name):
        self.name = name
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)

    def inside(self, fn):
        setns(self.name)
        try:
            return fn()
        finally:
            if libc.setns(self.home, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns home")

    def socket(self, fam):
        return self.inside(lambda: socket.socket(fam, socket.SOCK_STREAM))

    def proc_tcp(self):
        """The lines of /proc/net/tcp and tcp6 of this namespace, a cheap
        poll next to ss, through a process that lives in it: /proc/self/net
        can keep showing the namespace the process started in."""
        if not hasattr(self, "anchor"):
            self.anchor = subprocess.Popen(
                ["ip", "netns", "exec", self.name, "sleep", "100000"])
            want = os.stat(f"/run/netns/{self.name}").st_ino
            # Until ip has switched namespace and become sleep.
            while os.stat(f"/proc/{self.anchor.pid}/ns/net").st_ino != want:
                time.sleep(0.05)
        lines = []
        for f in ("tcp", "tcp6"):
            with open(f"/proc/{self.anchor.pid}/net/{f}") as fh:
                lines += fh.read().splitlines()[1:]
        return lines

    def close(self):
        if hasattr(self, "anchor"):
            self.anchor.kill()
            self.anchor.wait()


def run(ns, *cmd, stdin=None):
    p = subprocess.run(["ip", "netns", "exec", ns, *cmd], input=stdin,
                       capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(f"{' '.join(cmd)} in {ns}: {p.stderr.strip()}"
                           + (f"\n{stdin}" if stdin else ""))
    return p.stdout


def ss(ns):
    return subprocess.run(["ss", "-N", ns, "-Htano"], capture_output=True,
                          text=True, check=True).stdout


def port_of(addr_port):
    port = addr_port.rsplit(":", 1)[1]
    return int(port) if port.isdigit() else -1


def read_all(a):
    """ss on both ends and synguard's listeners, read side by side."""
    cmds = [["ss", "-N", a.srv_ns, "-Htan"], ["ss", "-N", a.cli_ns, "-Htan"],
            [SG, "-n", a.sg_ns, "-j", "listeners"]]
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, text=True)
             for c in cmds]
    outs = [p.communicate()[0] for p in procs]
    for c, p in zip(cmds, procs):
        if p.returncode:
            raise RuntimeError(f"{' '.join(c)} exited {p.returncode}")
    return (ss_counts(outs[0], outs[1], a.port),
            sg_counts(outs[2], a.addr, a.port))


def ss_counts(srv, cli, port):
    """Gauges as the server's sockets, and the client's TIME-WAIT, say."""
    n = dict.fromkeys(FIELDS, 0)
    for line in srv.splitlines():
        f = line.split()
        if f[0] in GAUGES and port_of(f[3]) == port:
            n[GAUGES[f[0]]] += 1
    for line in cli.splitlines():
        f = line.split()
        if f[0] == "TIME-WAIT" and port_of(f[4]) == port:
            n["peer_time_wait"] += 1
    return n


def sg_counts(out, addr, port):
    want = ipaddress.ip_address(addr)
    for lst in json.loads(out):
        if ipaddress.ip_address(lst["addr"]) == want and lst["port"] == port:
            return {k: lst[k] for k in FIELDS}
    return dict.fromkeys(FIELDS, 0)


def quiet(nss, port):
    """No handshake under way and no retransmission or window probe
    pending, at either end (/proc/net/tcp: st 02 SYN_SENT, 03 SYN_RECV;
    tr 1 retransmit, 4 zero window probe)."""
    for ns in nss:
        for line in ns.proc_tcp():
            f = line.split()
            ports = (int(f[1].split(":")[1], 16), int(f[2].split(":")[1], 16))
            if port not in ports:
                continue
            state, timer = int(f[3], 16), int(f[5].split(":")[0], 16)
            if state in (2, 3) or timer in (1, 4):
                return False
    return True


class Drops:
    """nft sets of client ports whose FINs or pure ACKs are dropped."""

    SETS = ["cfin", "sfin", "cack", "sack"]

    def __init__(self, ns, mode, netns):
        self.ns = ns
        self.ctx = None
        try:
            # libnftables in-process, its netlink socket opened inside
            # the namespace: arming and clearing then cost no process
            # start, which under emulation took seconds and let the
            # dropped segments' retransmission timers back off far.
            lib = ctypes.CDLL("libnftables.so.1")
            lib.nft_ctx_new.restype = ctypes.c_void_p
            lib.nft_run_cmd_from_buffer.argtypes = [ctypes.c_void_p,
                                                    ctypes.c_char_p]
            self.ctx = netns.inside(lambda: lib.nft_ctx_new(0))
            self.lib = lib
        except OSError:
            pass
        sets = "".join(f"set {s} {{ type inet_service; }}\n"
                       for s in self.SETS)
        # From the client: dport is the listener; from the server, sport.
        rules_in = ("tcp sport @cfin tcp flags & fin == fin drop\n"
                    "tcp sport @cack tcp flags == ack drop\n")
        rules_out = ("tcp dport @sfin tcp flags & fin == fin drop\n"
                     "tcp dport @sack tcp flags == ack drop\n")
        if mode == "local":
            chains = ("chain pre { type filter hook prerouting priority -300;"
                      f"\n{rules_in}}}\n"
                      "chain out { type filter hook output priority 0;"
                      f"\n{rules_out}}}\n")
        else:
            chains = ("chain sgfwd { type filter hook forward priority 0;\n"
                      f"{rules_in}{rules_out}}}\n")
        self.nft(f"table inet sgdiff {{\n{sets}{chains}}}\n")
        # That it landed in the namespace, by nft there.
        run(ns, "nft", "list", "table", "inet", "sgdiff")

    def nft(self, text):
        if self.ctx:
            if self.lib.nft_run_cmd_from_buffer(self.ctx, text.encode()):
                raise RuntimeError(f"nft in {self.ns} refused:\n{text}")
            return
        run(self.ns, "nft", "-f", "-", stdin=text)

    def arm(self, which):
        text = "".join(f"add element inet sgdiff {s} "
                       f"{{ {', '.join(map(str, p))} }}\n"
                       for s, p in which.items() if p)
        if text:
            self.nft(text)

    def clear(self):
        self.nft("".join(f"flush set inet sgdiff {s}\n" for s in self.SETS))

    def remove(self):
        self.nft("delete table inet sgdiff\n")


class Conn:
    def __init__(self, life, cli, srv, cport):
        self.life = life
        self.cli = cli
        self.srv = srv
        self.cport = cport
        self.pending = b""

    def do(self, act, a):
        side, what = act.split(":")
        s = self.cli if side == "c" else self.srv
        if what == "close":
            s.close()
        elif what == "shut":
            s.shutdown(socket.SHUT_WR)
        elif what == "send":
            self.pending = os.urandom(a.rng.randint(1, 3000))
            s.sendall(self.pending)
        elif what == "read":
            got = bytearray()
            while len(got) < len(self.pending):
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
            if bytes(got) != self.pending:
                raise RuntimeError(f"{self.life}: data lost")
        elif what == "abort":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
            s.close()
        elif what == "reuse":
            self.cli = a.cli.socket(a.fam)
            self.cli.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.cli.settimeout(10)
            self.cli.bind((a.cli_addr, self.cport))
            self.cli.connect((a.addr, a.port))
            self.srv, _ = a.lsock.accept()
            self.srv.settimeout(10)


def compare(a, phase, conns):
    t0 = time.monotonic()
    deadline = t0 + 30
    nss = [a.srv, a.cli]
    while True:
        while not quiet(nss, a.port):
            if time.monotonic() > deadline:
                raise Mismatch(f"{phase}: no quiescence within 30 s")
            time.sleep(0.1)
        # Delayed ACKs (a FIN's is delayed: its receiver enters pingpong
        # mode) are not timers /proc/net/tcp shows; they fire within
        # 200 ms, later under heavy emulation.
        time.sleep(1.0)
        if quiet(nss, a.port):
            break
    waited = time.monotonic() - t0
    want, got = read_all(a)
    if not quiet(nss, a.port):
        # Something moved while we read: read again.
        return compare(a, phase, conns)
    # TIME-WAIT lasts 60 s in the kernel and in synguard, from moments
    # a few milliseconds apart: compare only well before the first ends.
    if a.tw_start and time.monotonic() - a.tw_start > 55:
        raise TooSlow(f"{phase} came over 55 s after the first close; "
                      "TIME-WAIT sockets may have expired")
    print(f"  {phase} (quiet after {waited:.1f} s, read in "
          f"{time.monotonic() - t0 - waited:.1f} s): ss "
          f"{' '.join(f'{k}={want[k]}' for k in FIELDS)}", flush=True)
    if want != got:
        diff = ", ".join(f"{k}: ss {want[k]} synguard {got[k]}"
                         for k in FIELDS if want[k] != got[k])
        raise Mismatch(f"{phase}: {diff}")


def dump(a, conns):
    print("# lifecycles (client port: lifecycle):")
    for c in conns:
        print(f"#   {c.cport}: {c.life}")
    print("# ss, server namespace:")
    print(ss(a.srv_ns), end="")
    print("# ss, client namespace:")
    print(ss(a.cli_ns), end="")
    print("# synguard stats:")
    print(subprocess.run([SG, "-n", a.sg_ns, "stats"],
                         capture_output=True, text=True).stdout, end="")
    print("# synguard conns:")
    print(subprocess.run([SG, "-n", a.sg_ns, "conns", "port", str(a.port)],
                         capture_output=True, text=True).stdout, end="")


def one_round(a, r):
    a.port = a.base_port + r
    a.tw_start = None
    a.lsock = a.srv.socket(a.fam)
    a.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    a.lsock.bind((a.addr, a.port))
    a.lsock.listen(4096)
    a.lsock.settimeout(10)
    names = sorted(LIFECYCLES)
    conns = []
    try:
        for _ in range(a.conns):
            cli = a.cli.socket(a.fam)
            cli.settimeout(10)
            cli.connect((a.addr, a.port))
            conns.append(Conn(a.rng.choice(names), cli, None,
                              cli.getsockname()[1]))
        by_port = {c.cport: c for c in conns}
        for _ in conns:
            s, peer = a.lsock.accept()
            s.settimeout(10)
            by_port[peer[1]].srv = s
        counts = {}
        for c in conns:
            counts[c.life] = counts.get(c.life, 0) + 1
        print(f"round {r + 1} port {a.port}: " +
              ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
              flush=True)
        compare(a, "opened", conns)
        a.tw_start = time.monotonic()
        for phase in range(2):
            armed = {s: [] for s in Drops.SETS}
            for c in conns:
                for act in LIFECYCLES[c.life][phase]:
                    if act.startswith("+"):
                        armed[act[1:]].append(c.cport)
            a.drops.arm(armed)
            order = conns[:]
            a.rng.shuffle(order)
            for c in order:
                for act in LIFECYCLES[c.life][phase]:
                    if not act.startswith("+"):
                        c.do(act, a)
            if any(armed.values()):
                # Let the dropped segments reach the drop, then let
                # their retransmissions through.
                time.sleep(0.1)
                a.drops.clear()
            compare(a, f"phase {phase + 1}", conns)
        # The last actions (reuse of a TIME_WAIT tuple), then whatever
        # is still open closes, each from a random side: one comparison
        # less keeps the round inside TIME_WAIT's 60 seconds.
        for c in conns:
            for act in LIFECYCLES[c.life][2]:
                c.do(act, a)
        for c in conns:
            first, second = ((c.cli, c.srv) if a.rng.random() < 0.5
                             else (c.srv, c.cli))
            for s in (first, second):
                if s.fileno() >= 0:
                    s.close()
        compare(a, "all closed", conns)
    except Mismatch:
        dump(a, conns)
        raise
    except TooSlow:
        # The connections' sockets close with the process.
        raise
    finally:
        a.lsock.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--srv-ns", required=True)
    p.add_argument("--cli-ns", required=True)
    p.add_argument("--sg-ns", required=True)
    p.add_argument("--drop-ns", required=True)
    p.add_argument("--mode", choices=["local", "routed"], required=True)
    p.add_argument("--addr", required=True, help="the server's address")
    p.add_argument("--cli-addr", required=True, help="the client's address")
    p.add_argument("--port", type=int, default=20000)
    p.add_argument("--conns", type=int, default=40)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seed", type=int)
    a = p.parse_args()
    if a.seed is None:
        a.seed = random.SystemRandom().randrange(1 << 32)
    print(f"seed {a.seed}", flush=True)
    a.rng = random.Random(a.seed)
    a.fam = socket.AF_INET6 if ":" in a.addr else socket.AF_INET
    a.base_port = a.port
    a.srv = Netns(a.srv_ns)
    a.cli = Netns(a.cli_ns)
    a.drops = Drops(a.drop_ns, a.mode, Netns(a.drop_ns))
    complete = 0
    try:
        for r in range(a.rounds):
            try:
                one_round(a, r)
                complete += 1
            except TooSlow as e:
                print(f"  round {r + 1} cut short, too slow: {e}",
                      flush=True)
    except Mismatch as e:
        print(f"MISMATCH (seed {a.seed}): {e}", flush=True)
        return 1
    finally:
        a.drops.remove()
        a.srv.close()
        a.cli.close()
    print(f"every comparison equal, {complete} of {a.rounds} rounds "
          f"complete (seed {a.seed})", flush=True)
    return 0 if complete else 4


if __name__ == "__main__":
    sys.exit(main())
