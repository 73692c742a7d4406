#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Real TCP peers for synguard's tests, on the Linux stack.

  tcp-peer.py server ADDR PORT --count N --close server|client|never
  tcp-peer.py client ADDR PORT --count N --bytes B [--close client|server]

The server echoes what each connection sends. Who closes first decides
which side ends in TIME_WAIT:

  server  the server closes right after echoing: the server's sockets
          go to TIME_WAIT, the client reads EOF and closes after.
  client  the client closes after reading the echo; the server closes
          only when it has read EOF: the client's sockets go to TIME_WAIT.
  never   the server keeps every socket open after the client's FIN:
          its sockets stay in CLOSE_WAIT until the server is killed.

The client checks every echoed payload byte for byte (SHA-256) and prints
"ok N/M"; it exits 1 unless all M connections succeeded.
"""
import argparse
import hashlib
import os
import signal
import socket
import sys


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def recv_exact(s, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(min(65536, n - len(buf)))
        if not chunk:
            break
        buf += chunk
    return bytes(buf)


def recv_eof(s):
    buf = bytearray()
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return bytes(buf)
        buf += chunk


def tcp_options(s):
    """The options the kernel negotiated for socket s, from TCP_INFO, in
    the words ss uses: "ts", "sack", "wscale:SND,RCV"."""
    info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    opts, wscale = info[5], info[6]
    words = []
    if opts & 1:
        words.append("ts")
    if opts & 2:
        words.append("sack")
    if opts & 4:
        words.append(f"wscale:{wscale & 15},{wscale >> 4}")
    return " ".join(words)


def server(a):
    ls = socket.socket(family(a.addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.addr, a.port))
    ls.listen(a.backlog)
    print("listening", flush=True)
    held = []
    for _ in range(a.count):
        c, _ = ls.accept()
        c.settimeout(a.timeout)
        if a.options:
            print("server options:", tcp_options(c), flush=True)
        try:
            # The request is length-prefixed, so the server knows when
            # it has all of it without waiting for the client's FIN.
            n = int.from_bytes(recv_exact(c, 4), "big")
            data = recv_exact(c, n)
            c.sendall(data)
            if a.close == "client":
                recv_eof(c)
        except OSError:
            c.close()
            continue
        if a.close == "never":
            held.append(c)
        else:
            c.close()
    if held:
        print("holding", len(held), flush=True)
        signal.pause()


def client(a):
    ok = 0
    for _ in range(a.count):
        payload = os.urandom(a.bytes)
        try:
            s = socket.create_connection((a.addr, a.port), timeout=a.timeout)
            if a.options:
                print("client options:", tcp_options(s), flush=True)
            s.sendall(len(payload).to_bytes(4, "big") + payload)
            got = recv_exact(s, len(payload))
            if a.close == "server":
                recv_eof(s)
            s.close()
        except OSError as e:
            print("error:", e, file=sys.stderr)
            continue
        if hashlib.sha256(got).digest() == hashlib.sha256(payload).digest():
            ok += 1
    print(f"ok {ok}/{a.count}", flush=True)
    return 0 if ok == a.count or a.keep_going else 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("role", choices=["server", "client"])
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--bytes", type=int, default=1000)
    p.add_argument("--close", choices=["server", "client", "never"],
                   default="server")
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--options", action="store_true",
                   help="print the TCP options each connection negotiated")
    p.add_argument("--backlog", type=int, default=4096,
                   help="server: listen() backlog")
    p.add_argument("--keep-going", action="store_true",
                   help="client: print the tally even if some failed, "
                   "and exit 0")
    a = p.parse_args()
    return server(a) if a.role == "server" else client(a)


if __name__ == "__main__":
    sys.exit(main())
