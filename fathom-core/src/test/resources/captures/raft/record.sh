#!/usr/bin/env bash
# Records raft-cluster.pcap: two canonical/raft servers (node.c, Debian's libraft 0.15) electing a
# leader and replicating a few entries over the libuv TCP transport, inside a private network
# namespace (loopback only).
#   apt-get install libraft-dev libuv1-dev gcc tcpdump; ./record.sh   (as root)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
NS=f-b6raft
WORK=$(mktemp -d)
cleanup() {
  [ -n "${TCPDUMP:-}" ] && kill "$TCPDUMP" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
cc -o "$WORK/node" "$HERE/node.c" -lraft -luv
mkdir -p "$WORK/1" "$WORK/2"
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" tcpdump -i lo -U -w "$WORK/out.pcap" tcp portrange 9001-9002 > /dev/null 2>&1 &
TCPDUMP=$!
sleep 1
ip netns exec "$NS" "$WORK/node" 1 "$WORK/1" 4 &
N1=$!
ip netns exec "$NS" "$WORK/node" 2 "$WORK/2" 4 &
N2=$!
wait "$N1" "$N2"
sleep 1
kill "$TCPDUMP"; wait "$TCPDUMP" 2>/dev/null || true; TCPDUMP=
cp "$WORK/out.pcap" "$HERE/raft-cluster.pcap"
echo "wrote $HERE/raft-cluster.pcap"
