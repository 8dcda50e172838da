#!/usr/bin/env bash
# Records samples/demo.pcap: real clients and servers (lab.sh) in two network namespaces made
# for the recording and removed at exit, captured by tcpdump on the server side of their veth
# pair. Run as root: sudo samples/make-sample.sh [OUT.pcap]. Takes about a minute.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-$HERE/demo.pcap}
LAB=$HERE/lab.sh
TAG=demo
read -r SRV _ SIF _ < <("$LAB" names $TAG)
WORK=$(mktemp -d)
DUMP=
TRAFFIC=
cleanup() {
  # the traffic runs in a process group of its own (setsid), so that its clients stop with it
  if [[ -n $TRAFFIC ]]; then kill -- -"$TRAFFIC" 2>/dev/null || true; fi
  if [[ -n $DUMP ]]; then kill "$DUMP" 2>/dev/null || true; fi
  "$LAB" down $TAG
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$LAB" down $TAG   # what an interrupted run may have left
"$LAB" up $TAG
"$LAB" servers $TAG
ip netns exec "$SRV" tcpdump -i "$SIF" -s 0 -B 32768 -U --immediate-mode -n -w "$WORK/demo.pcap" 2>"$WORK/tcpdump.log" &
DUMP=$!
for _ in $(seq 1 100); do grep -q 'listening on' "$WORK/tcpdump.log" && break; sleep 0.1; done
# in the background, so that a signal interrupts the wait and the trap cleans up at once
setsid "$LAB" traffic $TAG &
TRAFFIC=$!
wait "$TRAFFIC"
TRAFFIC=
sleep 1   # the last answers, and tcpdump writes what it holds (immediate mode)
kill -INT "$DUMP"
wait "$DUMP" || true
DUMP=
grep -q '^0 packets dropped by kernel' "$WORK/tcpdump.log" || { cat "$WORK/tcpdump.log" >&2; echo "make-sample: tcpdump dropped packets" >&2; exit 1; }
mv "$WORK/demo.pcap" "$OUT"
chown --reference="$(dirname "$OUT")" "$OUT"   # tcpdump wrote it as its own user
echo "make-sample: wrote $OUT ($(stat -c %s "$OUT") bytes)"
