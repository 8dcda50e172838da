#!/usr/bin/env python3
"""Writes rtp-pcma.pcap: 1 s of G.711 A-law RTP (PT 8, 20 ms frames) for sipp's play_pcap_audio.
Sequence numbers 10 and 30 are left out on purpose, so every stream played shows exactly 2 lost
packets out of 50 (48 sent). The sequence starts at 65520 so that it wraps inside the stream."""
import struct, sys
out = sys.argv[1] if len(sys.argv) > 1 else "rtp-pcma.pcap"
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b)//2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(50):
        if i in (10, 30):
            continue
        seq = (65520 + i) & 0xffff
        rtp = struct.pack("!BBHII", 0x80, 8, seq, 1000 + 160 * i, 0x11223344) + bytes([0xd5]) * 160
        udp = struct.pack("!HHHH", 6000, 6000, 8 + len(rtp), 0) + rtp
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0, bytes([127,0,0,1]), bytes([127,0,0,1]))
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        eth = b"\0" * 12 + b"\x08\x00" + ip + udp
        t = i * 20000
        f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(eth), len(eth)))
        f.write(eth)
