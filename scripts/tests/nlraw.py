#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send hand-built synguard netlink requests, bypassing the tool's own
checks, to test the kernel's policies and error messages.

  nlraw.py set ATTR=VALUE...     SET_CONFIG with a nest of u32 knobs;
                                 ATTR is the attribute number
  nlraw.py set-raw HEX           SET_CONFIG with HEX as the whole payload
  nlraw.py cmd N [HEX]           any command number with a raw payload

Prints "errno N: extack message" for the kernel's answer ("errno 0" on
success) and exits 0 whenever an answer came.
"""
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 3, 1, 2
NLA_F_NESTED = 1 << 15
SYNGUARD_CMD_SET_CONFIG = 2
SYNGUARD_A_CONFIG = 2


def nla(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def attrs(buf):
    while len(buf) >= 4:
        n, t = struct.unpack_from("=HH", buf)
        if n < 4:
            break
        yield t & 0x3FFF, buf[4:n]
        buf = buf[(n + 3) & ~3:]


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                               NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 1

    def request(self, family, cmd, payload, flags=NLM_F_ACK):
        self.seq += 1
        hdr = struct.pack("=BBH", cmd, 1, 0)
        msg = struct.pack("=IHHII", 16 + 4 + len(payload), family,
                          NLM_F_REQUEST | flags, self.seq, 0) + hdr + payload
        self.s.send(msg)
        replies = []
        while True:
            data = self.s.recv(65536)
            while data:
                n, t, f, seq, pid = struct.unpack_from("=IHHII", data)
                body = data[16:n]
                data = data[(n + 3) & ~3:]
                if t == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", body)[0]
                    ext = ""
                    # The original request is echoed unless capped.
                    off = 4 + (16 if f & 0x100 else
                               struct.unpack_from("=I", body, 4)[0])
                    for at, av in attrs(body[(off + 3) & ~3:]):
                        if at == 1:
                            ext = av.rstrip(b"\0").decode()
                    return err, ext, replies
                replies.append(body)

    def family(self, name):
        err, _, replies = self.request(
            GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
            nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if err:
            raise SystemExit(f"family {name}: errno {err}")
        for at, av in attrs(replies[0][4:]):
            if at == CTRL_ATTR_FAMILY_ID:
                return struct.unpack("=H", av)[0]
        raise SystemExit("no family id")


def main():
    g = Genl()
    fam = g.family("synguard")
    what = sys.argv[1]
    if what == "set":
        nest = b""
        for kv in sys.argv[2:]:
            k, v = kv.split("=")
            nest += nla(int(k), struct.pack("=I", int(v)))
        payload = nla(SYNGUARD_A_CONFIG | NLA_F_NESTED, nest)
        cmd = SYNGUARD_CMD_SET_CONFIG
    elif what == "set-raw":
        payload = bytes.fromhex(sys.argv[2])
        cmd = SYNGUARD_CMD_SET_CONFIG
    else:
        cmd = int(sys.argv[2])
        payload = bytes.fromhex(sys.argv[3]) if len(sys.argv) > 3 else b""
    err, ext, _ = g.request(fam, cmd, payload)
    print(f"errno {err}: {ext}" if ext else f"errno {err}")


if __name__ == "__main__":
    main()
