#!/usr/bin/env bash
# Live capture benchmark (a report, not a timed test): tcpreplay sends a slice of the benchmark
# capture into a veth pair (samples/lab.sh's namespaces, no servers) at increasing packet rates
# while `fathom live` captures the other end; for 1 and 2 workers it reports the highest rate at
# which fewer than 0.1% of the packets were lost (kernel drops, or packets sent but not
# captured), and fathom's CPU time per packet against `fathom analyze` over the same slice.
#
#   sudo fathom-bench/live-bench.sh [CAPTURE] [PACKETS]
#
# CAPTURE: default /work/bench/bench.pcap (else ../shared/bench/make-bench-pcap.sh builds one
# there); PACKETS: the slice's size, default 400000. Rates: RATES="25000 50000 ..." (packets/s;
# "max" = tcpreplay --topspeed); each step sends RATE x STEP_S packets (default 4 s) after a
# warm-up of 40,000 packets at 20,000/s, with a new fathom process per step. It stops climbing at
# the first rate that loses 0.1% or more. Only the processes it starts are stopped, by PID.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
LAB=$ROOT/samples/lab.sh
CAPTURE=${1:-/work/bench/bench.pcap}
PACKETS=${2:-400000}
RATES=${RATES:-"25000 50000 100000 150000 200000 300000 max"}
STEP_S=${STEP_S:-4}
WORKERS=${WORKERS:-"1 2"}
TAG=bench
if [[ ! -f $CAPTURE ]]; then
  mkdir -p "$(dirname "$CAPTURE")"
  "$ROOT/../shared/bench/make-bench-pcap.sh" "$CAPTURE" 1500M
fi
WORK=$(mktemp -d /tmp/f-sample-livebench.XXXXXX)
FATHOM_PID=
cleanup() {
  if [[ -n $FATHOM_PID ]]; then kill "$FATHOM_PID" 2>/dev/null || true; fi
  "$LAB" down $TAG
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
read -r SRV CLI SIF CIF < <("$LAB" names $TAG)
"$LAB" down $TAG
"$LAB" up $TAG
# corpus frames up to 9 kB (jumbo and offloaded segments) fit; larger ones tcpreplay cannot send
ip -n "$CLI" link set "$CIF" mtu 9000
ip -n "$SRV" link set "$SIF" mtu 9000

SLICE=$WORK/slice.pcap
editcap -F pcap -r "$CAPTURE" "$SLICE" "1-$PACKETS"
editcap -F pcap -r "$CAPTURE" "$WORK/tiny.pcap" 1-1000
(cd "$ROOT" && ./fathom analyze -q "$WORK/tiny.pcap" >/dev/null)   # builds the jar if needed

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, clock ticks
HZ=$(getconf CLK_TCK)

# analyze's CPU per packet: the slice minus a 1,000-packet run (start-up and shutdown)
cpu_of() { /usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; }
declare -A ANALYZE_NS
for w in $WORKERS; do
  t_slice=$(cd "$ROOT" && cpu_of ./fathom analyze -q -w "$w" --subscriber-networks none "$SLICE")
  t_tiny=$(cd "$ROOT" && cpu_of ./fathom analyze -q -w "$w" --subscriber-networks none "$WORK/tiny.pcap")
  ANALYZE_NS[$w]=$(awk -v a="$t_slice" -v b="$t_tiny" -v n="$PACKETS" 'BEGIN{printf "%.0f", (a - b) * 1e9 / (n - 1000)}')
done

# one step: a fresh fathom, a warm-up, RATE x STEP_S packets; prints sent, captured, dropped,
# achieved Mbit/s and packets/s, CPU ns per packet of the measured part
step() {
  local w=$1 rate=$2 n
  ip netns exec "$SRV" "$ROOT/fathom" live -i "$SIF" -w "$w" --subscriber-networks none \
      --audit-log "$WORK/audit.log" >"$WORK/out" 2>"$WORK/err" &
  FATHOM_PID=$!
  for _ in $(seq 1 300); do grep -q 'capturing on' "$WORK/err" && break; sleep 0.1; done
  ip netns exec "$CLI" tcpreplay -q -i "$CIF" --pps=20000 -L 40000 "$SLICE" >"$WORK/warm" 2>&1 || true
  sleep 0.5
  local t0; t0=$(ticks "$FATHOM_PID")
  if [[ $rate == max ]]; then
    n=$PACKETS
    ip netns exec "$CLI" tcpreplay -i "$CIF" --topspeed -L "$n" "$SLICE" >"$WORK/replay" 2>&1 || true
  else
    n=$((rate * STEP_S)); (( n > PACKETS )) && n=$PACKETS
    ip netns exec "$CLI" tcpreplay -i "$CIF" --pps="$rate" -L "$n" "$SLICE" >"$WORK/replay" 2>&1 || true
  fi
  sleep 1   # the engine finishes what the kernel holds
  local t1; t1=$(ticks "$FATHOM_PID")
  kill -TERM "$FATHOM_PID"; wait "$FATHOM_PID" || true
  FATHOM_PID=
  local warm sent captured dropped mbps pps
  warm=$(awk '/Successful packets:/ {print $3}' "$WORK/warm")
  sent=$(awk '/Successful packets:/ {print $3}' "$WORK/replay")
  mbps=$(awk '/Rated:/ {for (i = 1; i <= NF; i++) if ($i ~ /^Mbps/) print $(i-1)}' "$WORK/replay" | tr -d ,)
  pps=$(awk '/Rated:/ {for (i = 1; i <= NF; i++) if ($i ~ /^pps/) print $(i-1)}' "$WORK/replay" | tr -d ,)
  captured=$(sed -n 's/^Captured *\([0-9,]*\) packets; dropped \([0-9,]*\) by the kernel.*/\1/p' "$WORK/out" | tr -d ,)
  dropped=$(sed -n 's/^Captured *\([0-9,]*\) packets; dropped \([0-9,]*\) by the kernel.*/\2/p' "$WORK/out" | tr -d ,)
  awk -v w="$w" -v rate="$rate" -v warm="${warm:-0}" -v sent="${sent:-0}" -v cap="${captured:-0}" -v drop="${dropped:-0}" \
      -v mbps="${mbps:-0}" -v pps="${pps:-0}" -v dt=$((t1 - t0)) -v hz="$HZ" 'BEGIN {
    expected = warm + sent; lost = expected - cap; if (lost < 0) lost = 0
    loss = expected > 0 ? 100 * lost / expected : 100
    printf "%-3s %-8s %9d %9d %8d %7.3f%% %9.1f %10.0f %8.0f\n", w, rate, sent, cap - warm, drop, loss, mbps, pps,
        (sent > 0 ? dt / hz * 1e9 / sent : 0)
  }'
}

echo "fathom live benchmark: $(basename "$CAPTURE"), first $PACKETS packets; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-3s %-8s %9s %9s %8s %8s %9s %10s %8s\n' w rate sent captured dropped lost Mbit/s packets/s ns/pkt
for w in $WORKERS; do
  for rate in $RATES; do
    step "$w" "$rate" > "$WORK/line"   # not in $(...): the trap must know fathom's PID
    line=$(cat "$WORK/line")
    echo "$line"
    loss=$(echo "$line" | awk '{print $6}' | tr -d %)
    awk -v l="$loss" 'BEGIN {exit !(l >= 0.1)}' && break
  done
  echo "analyze -w $w: ${ANALYZE_NS[$w]} ns CPU per packet (same slice, start-up subtracted)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
