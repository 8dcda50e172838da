#!/usr/bin/env bash
# Records armagetron-server.pcap: the LAN server browser's two queries (small_request, descriptor
# 52; big_request, 53; each an empty message from sender 0, written by query.py below) answered by
# a real Armagetron Advanced server (Debian's armagetronad-dedicated, 0.2.9.1.0-3), all inside a
# private network namespace (loopback only; the server is told not to talk to master servers).
#   apt-get install armagetronad-dedicated tcpdump; ./record.sh   (as root)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
NS=f-b6arma
WORK=$(mktemp -d)
cleanup() {
  [ -n "${TCPDUMP:-}" ] && kill "$TCPDUMP" 2>/dev/null || true
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  sleep 1
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/conf" "$WORK/var"
printf 'SERVER_IP 127.0.0.1\nSERVER_PORT 4534\nTALK_TO_MASTER 0\nSERVER_NAME fathom-test\n' > "$WORK/conf/autoexec.cfg"
cat > "$WORK/query.py" <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 40100))
s.settimeout(2)
for q in (bytes.fromhex("0034 0000 0000 0000"), bytes.fromhex("0035 0000 0000 0000")):
    s.sendto(q, ("127.0.0.1", 4534))
    try:
        while True:
            s.recvfrom(4096)
    except socket.timeout:
        pass
PY
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" /usr/games/armagetronad-dedicated.real --datadir /usr/share/games/armagetronad --configdir /etc/armagetronad \
  --userconfigdir "$WORK/conf" --userdatadir "$WORK/var" --vardir "$WORK/var" > "$WORK/server.log" 2>&1 &
SERVER=$!
sleep 5
ip netns exec "$NS" tcpdump -i lo -U -w "$WORK/out.pcap" udp port 4534 > /dev/null 2>&1 &
TCPDUMP=$!
sleep 1
ip netns exec "$NS" python3 "$WORK/query.py"
sleep 1
kill "$TCPDUMP"; wait "$TCPDUMP" 2>/dev/null || true; TCPDUMP=
cp "$WORK/out.pcap" "$HERE/armagetron-server.pcap"
echo "wrote $HERE/armagetron-server.pcap"
