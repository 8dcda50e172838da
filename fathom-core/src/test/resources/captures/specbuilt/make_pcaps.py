#!/usr/bin/env python3
"""Writes the spec-built golden captures of the protocols no corpus capture holds (issue 15):
captures/yojimbo/yojimbo.pcap (netcode.io, STANDARD.md of github.com/mas-bandwidth/netcode) and
captures/armagetron/armagetron.pcap (Armagetron Advanced's UDP framing as Wireshark's
packet-armagetronad.c reads it) and captures/noe/noe.pcap (NOE in UA/UDP as Wireshark's
packet-uaudp.c and packet-ua.c read it) and captures/raft/raft.pcap (canonical/raft's TCP transport,
src/uv_tcp_connect.c and src/uv_encoding.c). Packets are laid out from those descriptions; encrypted or opaque
parts are filler bytes. Deterministic: rerunning gives the same files. Run from this directory:
    python3 make_pcaps.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(src, dst, sport, dport, payload, ident):
    udp_len = 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, ident, 0, 64, 17, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", sport, dport, udp_len, 0) + payload
    c = checksum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    eth = bytes.fromhex("020000000002" "020000000001") + b"\x08\x00"
    return eth + ip + udp


def tcp_frame(src, dst, sport, dport, seq, ack, flags, payload, ident):
    tcp_len = 20 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + tcp_len, ident, 0x4000, 64, 6, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, 6, tcp_len)
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    eth = bytes.fromhex("020000000002" "020000000001") + b"\x08\x00"
    return eth + ip + tcp


def write_frames(path, frames):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1_765_000_000, 1000 * i, len(fr), len(fr)))
            f.write(fr)


def write(path, packets):
    """packets: (client, server, cport, sport, from_client, payload)"""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        t = 1_765_000_000
        for i, (c, s, cp, sp, up, payload) in enumerate(packets):
            fr = frame(c, s, cp, sp, payload, i + 1) if up else frame(s, c, sp, cp, payload, i + 1)
            f.write(struct.pack("<IIII", t, 1000 * i, len(fr), len(fr)))
            f.write(fr)


# ---- netcode.io (little-endian) ----
def nc_request():
    return (b"\0" + b"NETCODE 1.02\0" + struct.pack("<QQ", 0x1122334455667788, 1_765_000_300)
            + b"\x6e" * 24 + b"\xc3" * 1024)


def nc_packet(ptype, seq, data):
    n = 1
    while n < 8 and seq >> (8 * n):
        n += 1
    return bytes([n << 4 | ptype]) + seq.to_bytes(n, "little") + b"\x9a" * data + b"\x4d" * 16


def yojimbo():
    a, b = [10, 0, 0, 1], [10, 0, 0, 2]
    x, y = [10, 0, 0, 3], [10, 0, 0, 4]
    p = [
        (a, b, 51000, 40000, True, nc_request()),
        (a, b, 51000, 40000, False, nc_packet(2, 0, 308)),      # challenge
        (a, b, 51000, 40000, True, nc_packet(3, 0, 308)),       # response
        (a, b, 51000, 40000, False, nc_packet(4, 1, 8)),        # keep-alive
        (a, b, 51000, 40000, True, nc_packet(5, 1, 120)),       # payload
        (a, b, 51000, 40000, False, nc_packet(5, 2, 300)),
        # a flow seen after its handshake: keep-alives and payloads only
        (x, y, 52000, 40001, True, nc_packet(5, 1000, 64)),
        (x, y, 52000, 40001, False, nc_packet(5, 5000, 200)),
        (x, y, 52000, 40001, True, nc_packet(4, 1001, 8)),
        (x, y, 52000, 40001, False, nc_packet(4, 5001, 8)),
    ]
    write(os.path.join(HERE, "..", "yojimbo", "yojimbo.pcap"), p)


# ---- Armagetron Advanced (big-endian 16-bit words) ----
def ar_msg(descriptor, message_id, words):
    return struct.pack("!HHH", descriptor, message_id, len(words)) + b"".join(struct.pack("!H", w) for w in words)


def ar_packet(sender, *msgs):
    return b"".join(msgs) + struct.pack("!H", sender)


def armagetron():
    a, b = [10, 0, 1, 1], [10, 0, 1, 2]
    c = [10, 0, 1, 3]
    p = [
        # LAN browser: small_request (52) answered by small_server (50), then big_request (53)
        (c, b, 40100, 4534, True, ar_packet(0, ar_msg(52, 0, []))),
        (c, b, 40100, 4534, False, ar_packet(0, ar_msg(50, 0, [4534, 0, 10, 0x3031, 0x2e32, 0x2e33, 0x2e34, 0x0000]))),
        # login2 (11) with message id 0 from a client without an id yet, accept (5) and acks (1)
        (a, b, 40200, 4534, True, ar_packet(0, ar_msg(11, 0, [0x0008, 0x0000, 0x2000, 0x0000]))),
        (a, b, 40200, 4534, False, ar_packet(0, ar_msg(5, 1, [0x0001, 0x0000, 0x0014, 0x0000]), ar_msg(1, 0, [0]))),
        (a, b, 40200, 4534, True, ar_packet(1, ar_msg(1, 0, [1]), ar_msg(28, 2, [0x0500, 0x0001]))),
        (a, b, 40200, 4534, False, ar_packet(0, ar_msg(24, 3, [0x0140, 0x0002, 0x0000, 0x0002, 0x0004, 0x4142, 0x4344, 0x0000]))),
    ]
    write(os.path.join(HERE, "..", "armagetron", "armagetron.pcap"), p)


# ---- NOE over UA/UDP ----
def ua(opcode, body):
    return struct.pack("<H", 1 + len(body)) + bytes([opcode]) + body


def noe():
    term, pbx = [10, 0, 2, 1], [10, 0, 2, 2]
    t2, p2 = [10, 0, 2, 3], [10, 0, 2, 4]
    connect = bytes.fromhex("00" "000101" "010108" "020205dc" "05011e")
    p = [
        # a terminal on the default UA/UDP port 32000
        (term, pbx, 32000, 32640, True, connect),
        (term, pbx, 32000, 32640, False, bytes.fromhex("01" "000101" "010108")),
        (term, pbx, 32000, 32640, True, b"\x07\x00\x00\x00\x01" + ua(0x15, bytes.fromhex("03 00 01 02"))),
        (term, pbx, 32000, 32640, False, b"\x07\x00\x02\x00\x01" + ua(0x15, bytes.fromhex("83 00")) + ua(0x16, bytes.fromhex("03 01 05"))),
        (term, pbx, 32000, 32640, True, b"\x04"),
        (term, pbx, 32000, 32640, False, b"\x05"),
        # the same exchange on other ports: data carrying UA messages both ways
        (t2, p2, 41000, 42000, True, b"\x07\x00\x00\x00\x01" + ua(0x15, bytes.fromhex("03 00 01 02"))),
        (t2, p2, 41000, 42000, False, b"\x07\x00\x02\x00\x01" + ua(0x15, bytes.fromhex("83 00"))),
    ]
    write(os.path.join(HERE, "..", "noe", "noe.pcap"), p)


# ---- canonical/raft over TCP (64-bit little-endian words) ----
def q(*words):
    return b"".join(struct.pack("<Q", w) for w in words)


def raft_handshake(server_id, address):
    size = (len(address) + 1 + 7) & ~7
    return q(1, server_id, size) + address.encode() + b"\0" * (size - len(address))


def raft():
    a, b = [10, 0, 3, 1], [10, 0, 3, 2]
    c, d = [10, 0, 3, 3], [10, 0, 3, 4]
    frames = []
    n = [0]

    def seg(src, dst, sp, dp, seq, ack, flags, payload=b""):
        n[0] += 1
        frames.append(tcp_frame(src, dst, sp, dp, seq, ack, flags, payload, n[0]))

    SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
    # server 2 connects to server 1 (port 9001): handshake, RequestVote (3), AppendEntries (1) with 2 entries
    hs = raft_handshake(2, "10.0.3.1:9001")
    rv = q(3, 40, 5, 2, 120, 4, 0)
    ae = q(1, 48 + 32, 5, 120, 4, 119, 2) + q(5) + bytes([1, 0, 0, 0, 8, 0, 0, 0]) + q(5) + bytes([1, 0, 0, 0, 8, 0, 0, 0]) + q(0) + q(11, 12)
    cs, ss = 1000, 5000
    seg(a, b, 47000, 9001, cs, 0, SYN)
    seg(b, a, 9001, 47000, ss, cs + 1, SYN | ACK)
    seg(a, b, 47000, 9001, cs + 1, ss + 1, ACK)
    off = cs + 1
    for payload in (hs, rv, ae):
        seg(a, b, 47000, 9001, off, ss + 1, PSH | ACK, payload)
        off += len(payload)
        seg(b, a, 9001, 47000, ss + 1, off, ACK)
    # a connection already open when the capture starts: AppendEntriesResult (2) then TimeoutNow (6)
    seg(c, d, 47100, 9001, 7000, 9000, PSH | ACK, q(2, 24, 5, 0, 121) + q(6, 24, 5, 121, 5))
    seg(d, c, 9001, 47100, 9000, 7000 + 80, ACK)
    write_frames(os.path.join(HERE, "..", "raft", "raft.pcap"), frames)


if __name__ == "__main__":
    yojimbo()
    armagetron()
    noe()
    raft()
