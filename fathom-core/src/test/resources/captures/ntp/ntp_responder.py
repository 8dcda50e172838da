# Minimal NTP server for recording a golden capture on loopback: answers each client request
# (mode 3) with a mode 4 reply carrying the current time; stops after 8 replies or 20 seconds.
import socket, struct, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 123)); s.settimeout(20)
def ntp(t): return struct.pack("!II", int(t) + 2208988800, int((t % 1) * 2**32))
for _ in range(8):
    try: data, addr = s.recvfrom(512)
    except socket.timeout: break
    if len(data) < 48 or data[0] & 7 != 3: continue
    now = time.time()
    reply = bytes([0x24, 2, data[2], 0xEC]) + struct.pack("!II", 0, 0) + b"LOCL" + ntp(now) + data[40:48] + ntp(now) + ntp(time.time())
    s.sendto(reply, addr)
