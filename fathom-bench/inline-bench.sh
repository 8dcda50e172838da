#!/usr/bin/env bash
# Inline benchmark (fathom inline on an NFQUEUE): the latency a packet gains by going through the
# queue, and the highest packet rate the queue forwards without loss, with 1 and 2 workers,
# against plain forwarding. Needs root, iptables, hping3, ping.
#
#   fathom-bench/inline-bench.sh [PINGS] [RATES...]
#
# Three namespaces of its own (f-inlb-a -- f-inlb-r -- f-inlb-b, removed on exit, also on
# failure); the router queues everything it forwards (iptables FORWARD -j NFQUEUE --queue-bypass).
#  - latency: PINGS pings (default 2000) from a to b, 5 ms apart; p50/p99 of the round trip, which
#    crosses the queue twice (request and reply);
#  - rate: for each rate (packets/s; default 10000 20000 40000 80000 and "max", as fast as
#    tcpreplay can), 5 s of 106-byte UDP frames from a to b, 256 flows in turn (tcpreplay --pps);
#    sent = a's interface TX counter, arrived = b's RX counter.
# FATHOM_INLINE_OPTS: more options for fathom inline (e.g. "--verdict-batch 1" for one verdict per packet).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PINGS=${1:-2000}
shift || true
RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(10000 20000 40000 80000 max)
A=f-inlb-a; R=f-inlb-r; B=f-inlb-b; Q=9
FATHOM_PID=
cleanup() {
  [ -n "$FATHOM_PID" ] && kill "$FATHOM_PID" 2>/dev/null && wait "$FATHOM_PID" 2>/dev/null || true
  for ns in $A $R $B; do ip netns del $ns 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup
ip netns add $A; ip netns add $R; ip netns add $B
ip link add f-inlb-ra netns $R type veth peer name f-inlb-a0 netns $A
ip link add f-inlb-rb netns $R type veth peer name f-inlb-b0 netns $B
ip -n $A addr add 10.78.1.2/24 dev f-inlb-a0; ip -n $A link set f-inlb-a0 up; ip -n $A link set lo up
ip -n $B addr add 10.78.2.2/24 dev f-inlb-b0; ip -n $B link set f-inlb-b0 up; ip -n $B link set lo up
ip -n $A route add default via 10.78.1.1; ip -n $B route add default via 10.78.2.1
ip -n $R addr add 10.78.1.1/24 dev f-inlb-ra; ip -n $R addr add 10.78.2.1/24 dev f-inlb-rb
ip -n $R link set f-inlb-ra up; ip -n $R link set f-inlb-rb up; ip -n $R link set lo up
ip netns exec $R sysctl -q -w net.ipv4.ip_forward=1
IPT=iptables
# 256 UDP flows a -> b, 64-byte payloads, addressed to the router's MAC (tcpreplay writes them on a's side)
PCAP=$(mktemp --suffix=.pcap)
python3 - "$PCAP" "$(ip netns exec $A cat /sys/class/net/f-inlb-a0/address)" "$(ip netns exec $R cat /sys/class/net/f-inlb-ra/address)" <<'PY'
import struct, sys
out, src, dst = sys.argv[1], bytes.fromhex(sys.argv[2].replace(':', '')), bytes.fromhex(sys.argv[3].replace(':', ''))
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b)); s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16); return ~s & 0xffff
with open(out, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(256):
        payload = bytes(64)
        udp = struct.pack('!HHHH', 20000 + i, 9999, 8 + len(payload), 0) + payload
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0, bytes([10, 78, 1, 2]), bytes([10, 78, 2, 2]))
        ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
        frame = dst + src + b'\x08\x00' + ip + udp
        f.write(struct.pack('<IIII', 0, i, len(frame), len(frame)) + frame)
PY
ip netns exec $R $IPT -S >/dev/null 2>&1 || IPT=iptables-legacy

# the jar, built by the launcher if needed
"$HERE/fathom" --version >/dev/null
. "$HERE/scripts/jdk.sh"; find_jdk25
JAVA=("$JAVA_HOME/bin/java" -XX:+UseCompactObjectHeaders -XX:+UseParallelGC -Xmn64m --enable-native-access=ALL-UNNAMED
      -jar "$HERE/fathom-cli/target/fathom.jar")
STATE=$(mktemp -d)

start_fathom() {   # workers
  ip netns exec $R env FATHOM_STATE_DIR="$STATE" "${JAVA[@]}" inline --queue $Q -w "$1" ${FATHOM_INLINE_OPTS:-} >"$STATE/summary-$1.txt" 2>"$STATE/err-$1.txt" &
  FATHOM_PID=$!
  for _ in $(seq 100); do grep -q "answering" "$STATE/err-$1.txt" 2>/dev/null && break; sleep 0.1; done
  ip netns exec $R $IPT -A FORWARD -j NFQUEUE --queue-num $Q --queue-bypass
  sleep 1
}
stop_fathom() {
  ip netns exec $R $IPT -F FORWARD
  kill "$FATHOM_PID"; wait "$FATHOM_PID" || true; FATHOM_PID=
}
latency() {   # label
  ip netns exec $A ping -n -c "$PINGS" -i 0.005 -W 1 10.78.2.2 | sed -n 's/.*time=\([0-9.]*\) ms/\1/p' | sort -n \
    | awk -v label="$1" '{ v[NR] = $1 } END { if (NR == 0) { print label ": no replies"; exit }
        printf "%-22s rtt p50 %.3f ms  p99 %.3f ms  (%d replies)\n", label, v[int(NR * 0.50) + (NR * 0.50 > int(NR * 0.50))], v[int(NR * 0.99) + (NR * 0.99 > int(NR * 0.99))], NR }'
}
counter() {   # ns dev rx|tx
  ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3_packets"
}
rate() {   # label
  for r in "${RATES[@]}"; do
    tx0=$(counter $A f-inlb-a0 tx); rx0=$(counter $B f-inlb-b0 rx)
    if [ "$r" = max ]; then
      ip netns exec $A tcpreplay -q -i f-inlb-a0 --topspeed --duration 5 --loop 100000 "$PCAP" >/dev/null 2>&1 || true
    else
      ip netns exec $A tcpreplay -q -i f-inlb-a0 --pps "$r" --duration 5 --loop 100000 "$PCAP" >/dev/null 2>&1 || true
    fi
    sleep 1
    tx=$(( $(counter $A f-inlb-a0 tx) - tx0 )); rx=$(( $(counter $B f-inlb-b0 rx) - rx0 ))
    printf "%-22s offered %-6s sent %8d  arrived %8d  lost %6d (%.2f%%)  ~%d pps\n" "$1" "$r" "$tx" "$rx" $((tx - rx)) \
      "$(awk -v t="$tx" -v r="$rx" 'BEGIN { print t ? 100 * (t - r) / t : 0 }')" $((tx / 5))
  done
}

echo "== forwarding without the queue"
latency "forward"
rate "forward"
for w in 1 2; do
  echo "== fathom inline -w $w"
  start_fathom $w
  latency "queue -w $w"
  rate "queue -w $w"
  stop_fathom
  grep -E "^Queue|kernel dropped" "$STATE/summary-$w.txt" || true
done
rm -rf "$STATE" "$PCAP"
