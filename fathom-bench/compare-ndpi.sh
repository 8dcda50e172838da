#!/usr/bin/env bash
# compare-ndpi.sh [-n RUNS] [CAPTURE]
#
# Whole-process comparison of `./fathom analyze CAPTURE -q` with `ndpiReader -i CAPTURE -q`:
# runs them alternately RUNS times each (default 3), measures wall time, CPU time (user + system)
# and peak RSS with GNU time, and prints each run, the medians and the ratios fathom/nDPI.
# Both tools' output goes to /dev/null; the capture is read once beforehand so that both find it
# in the page cache, and ./fathom is built beforehand so that no run includes the build.
#
# CAPTURE defaults to $FATHOM_BENCH_PCAP, else /tmp/fathom-bench-1500M.pcap; when that file is
# missing it is built with ../shared/bench/make-bench-pcap.sh (relative to the repository; size
# $BENCH_SIZE, default 1500M: several minutes, 1.6 GB). A capture named on the command line is
# never built.
#
# Needs: GNU time at /usr/bin/time (apt-get install time), ndpiReader (apt-get install libndpi-bin),
# and for building the default capture what make-bench-pcap.sh lists.
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SHARED="$REPO/../shared"

RUNS=3
usage() { echo "usage: $0 [-n RUNS] [CAPTURE]" >&2; exit 2; }
while getopts ":n:h" opt; do
  case $opt in
    n) RUNS=$OPTARG ;;
    h) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -le 1 ] || usage
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "compare-ndpi: RUNS must be a positive number, not '$RUNS'" >&2; exit 2; }

TIME=/usr/bin/time
if ! [ -x "$TIME" ] || ! "$TIME" -f %e true >/dev/null 2>&1; then
  echo "compare-ndpi: GNU time is needed at $TIME to measure CPU time and peak memory." >&2
  echo "              Install it (Debian/Ubuntu: apt-get install time) and run this again." >&2
  exit 2
fi
command -v ndpiReader >/dev/null 2>&1 || {
  echo "compare-ndpi: ndpiReader not found; install it (Debian/Ubuntu: apt-get install libndpi-bin)." >&2
  exit 2
}

if [ $# -eq 1 ]; then
  CAPTURE=$1
  [ -f "$CAPTURE" ] || { echo "compare-ndpi: no such capture: $CAPTURE" >&2; exit 2; }
else
  CAPTURE=${FATHOM_BENCH_PCAP:-/tmp/fathom-bench-1500M.pcap}
  if ! [ -f "$CAPTURE" ]; then
    MAKE="$SHARED/bench/make-bench-pcap.sh"
    [ -f "$MAKE" ] || { echo "compare-ndpi: $CAPTURE is missing and $MAKE is not there to build it" >&2; exit 2; }
    echo "compare-ndpi: building $CAPTURE with $(realpath "$MAKE") ${BENCH_SIZE:-1500M} (takes a while)..." >&2
    bash "$MAKE" "$CAPTURE" "${BENCH_SIZE:-1500M}" >&2
  fi
fi

echo "compare-ndpi: building ./fathom if needed..." >&2
"$REPO/fathom" --version >/dev/null
echo "compare-ndpi: reading $CAPTURE into the page cache..." >&2
cat "$CAPTURE" > /dev/null

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# measure NAME COMMAND...: runs COMMAND under GNU time, appends "wall cpu rss_kib" to $WORK/NAME
measure() {
  local name=$1; shift
  local status=0
  "$TIME" -o "$WORK/last" -f '%e %U %S %M' "$@" >/dev/null 2>"$WORK/stderr" || status=$?
  # fathom exits 1 for a partial (damaged) input: the run still counts
  if [ "$status" -ne 0 ] && ! { [ "$name" = fathom ] && [ "$status" -eq 1 ]; }; then
    echo "compare-ndpi: $name failed (exit $status):" >&2
    tail -5 "$WORK/stderr" >&2
    exit 1
  fi
  # GNU time may put "Command exited with non-zero status N" before the figures
  tail -1 "$WORK/last" | awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' >> "$WORK/$name"
}

SIZE=$(stat -c %s "$CAPTURE")
printf 'capture: %s (%s bytes), %d runs each, alternating\n\n' "$CAPTURE" "$SIZE" "$RUNS"
printf '%-4s %-11s %8s %8s %12s\n' run tool 'wall s' 'cpu s' 'peak RSS MiB'
for i in $(seq 1 "$RUNS"); do
  measure fathom "$REPO/fathom" analyze "$CAPTURE" -q
  read -r w c m < <(tail -1 "$WORK/fathom")
  printf '%-4s %-11s %8.2f %8.2f %12.0f\n' "$i" fathom "$w" "$c" "$(awk -v m="$m" 'BEGIN { print m / 1024 }')"
  measure ndpi ndpiReader -i "$CAPTURE" -q
  read -r w c m < <(tail -1 "$WORK/ndpi")
  printf '%-4s %-11s %8.2f %8.2f %12.0f\n' "$i" ndpiReader "$w" "$c" "$(awk -v m="$m" 'BEGIN { print m / 1024 }')"
done

# median of column $2 of file $1
median() {
  awk -v col="$2" '{ print $col }' "$1" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
fw=$(median "$WORK/fathom" 1); fc=$(median "$WORK/fathom" 2); fm=$(median "$WORK/fathom" 3)
nw=$(median "$WORK/ndpi" 1); nc=$(median "$WORK/ndpi" 2); nm=$(median "$WORK/ndpi" 3)
echo
printf '%-16s %8s %8s %12s\n' median 'wall s' 'cpu s' 'peak RSS MiB'
awk -v fw="$fw" -v fc="$fc" -v fm="$fm" -v nw="$nw" -v nc="$nc" -v nm="$nm" 'BEGIN {
  printf "%-16s %8.2f %8.2f %12.0f\n", "fathom", fw, fc, fm / 1024
  printf "%-16s %8.2f %8.2f %12.0f\n", "ndpiReader", nw, nc, nm / 1024
  r = "%-16s %7.2fx %7.2fx %11.2fx\n"
  printf r, "fathom / nDPI", (nw > 0 ? fw / nw : 0), (nc > 0 ? fc / nc : 0), (nm > 0 ? fm / nm : 0)
}'
# the issue's measure: the median of the per-round ratios (each round's fathom run against the
# ndpiReader run that follows it, so that a slow moment of the machine hits both)
paste "$WORK/fathom" "$WORK/ndpi" | awk '{ print ($4 > 0 ? $1 / $4 : 0), ($5 > 0 ? $2 / $5 : 0) }' > "$WORK/ratios"
rw=$(median "$WORK/ratios" 1); rc=$(median "$WORK/ratios" 2)
awk -v rw="$rw" -v rc="$rc" 'BEGIN { printf "%-16s %7.2fx %7.2fx\n", "per-round median", rw, rc }'
