#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The legitimate side of synguard's benchmarks.

  legit.py server ADDR PORT [--backlog N]
  legit.py client ADDR PORT --count N --rate R --bytes B [--timeout S]

The server echoes, on a thread per connection, one length-prefixed
request and closes. The client starts COUNT connections, RATE per second,
each on its own thread, so that a failing connection never delays the
next; each sends BYTES and checks the echo byte for byte (SHA-256). A
connection succeeds if its handshake completes within TIMEOUT seconds
(one SYN retransmission fits in the default of 2.5) and the echo is intact
within 2 * TIMEOUT. It prints one JSON line: attempts, successes, and the
handshake latency (connect() to its return, in ms) of the successes at
p50 and p99.
"""
import argparse
import hashlib
import importlib.util
import json
import os
import socket
import sys
import threading
import time


# The address family and exact reads of the test suite's TCP peer.
_spec = importlib.util.spec_from_file_location(
    "tcp_peer", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                             "..", "scripts", "tests", "tcp-peer.py"))
_peer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_peer)
family = _peer.family
recv_exact = _peer.recv_exact


def serve_one(c):
    try:
        c.settimeout(10)
        n = int.from_bytes(recv_exact(c, 4), "big")
        c.sendall(recv_exact(c, n))
    except OSError:
        pass
    finally:
        c.close()


def server(a):
    ls = socket.socket(family(a.addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.addr, a.port))
    ls.listen(a.backlog)
    print("listening", flush=True)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve_one, args=(c,), daemon=True).start()


def one(a, results, i):
    payload = os.urandom(a.bytes)
    t0 = time.monotonic()
    try:
        s = socket.create_connection((a.addr, a.port), timeout=a.timeout)
    except OSError:
        return
    hs = time.monotonic() - t0
    try:
        s.settimeout(a.timeout)
        s.sendall(len(payload).to_bytes(4, "big") + payload)
        got = recv_exact(s, len(payload))
    except OSError:
        return
    finally:
        s.close()
    if time.monotonic() - t0 > 2 * a.timeout:
        return
    if hashlib.sha256(got).digest() == hashlib.sha256(payload).digest():
        results[i] = hs * 1000


def percentile(v, p):
    if not v:
        return None
    v = sorted(v)
    k = (len(v) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return round(v[lo] + (v[hi] - v[lo]) * (k - lo), 3)


def client(a):
    results = [None] * a.count
    threads = []
    t0 = time.monotonic()
    for i in range(a.count):
        delay = t0 + i / a.rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        t = threading.Thread(target=one, args=(a, results, i))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    lat = [r for r in results if r is not None]
    print(json.dumps({"attempts": a.count, "ok": len(lat),
                      "p50_ms": percentile(lat, 50),
                      "p99_ms": percentile(lat, 99)}), flush=True)
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("role", choices=["server", "client"])
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("--backlog", type=int, default=4096)
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--rate", type=float, default=25)
    p.add_argument("--bytes", type=int, default=16384)
    p.add_argument("--timeout", type=float, default=2.5)
    a = p.parse_args()
    return server(a) if a.role == "server" else client(a)


if __name__ == "__main__":
    sys.exit(main())
