#!/usr/bin/env bash
# corpus-records.sh OUTDIR [WORKERS] [FATHOM_CHECKOUT]
#
# Every record Fathom makes of the nDPI corpus (../shared/corpus/ndpi/pcap), sorted, for set
# comparison between two builds or two worker counts: OUTDIR/flows/<capture>.jsonl, OUTDIR/calls.sorted,
# OUTDIR/alerts.sorted. Addresses are kept as captured (--subscriber-networks none) and keyed tokens
# use a fixed key file, so two runs differ only where the records do:
#
#   fathom-bench/corpus-records.sh /tmp/before 1 /path/to/old-checkout
#   fathom-bench/corpus-records.sh /tmp/after 3
#   diff -r /tmp/before/flows /tmp/after/flows && cmp /tmp/before/calls.sorted /tmp/after/calls.sorted \
#     && cmp /tmp/before/alerts.sorted /tmp/after/alerts.sorted
set -uo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:?usage: corpus-records.sh OUTDIR [WORKERS] [FATHOM_CHECKOUT]}
W=${2:-1}
FD=${3:-$HERE}
CORPUS=${CORPUS:-$HERE/../shared/corpus/ndpi/pcap}
[ -d "$CORPUS" ] || { echo "corpus-records: no corpus at $CORPUS" >&2; exit 2; }
STATE=$(mktemp -d)
trap 'rm -rf "$STATE"' EXIT
KEY=${KEY_FILE:-/tmp/fathom-corpus-records.key}
rm -rf "$OUT"; mkdir -p "$OUT/flows"
FATHOM_STATE_DIR="$STATE" "$FD/fathom" analyze -q -w "$W" --subscriber-networks none --key-file "$KEY" \
  --audit-log "$STATE/audit.log" --flows-dir "$OUT/flows" --calls "$OUT/calls.raw" --alerts "$OUT/alerts.raw" \
  "$CORPUS" > "$OUT/stdout" 2> "$OUT/stderr"
echo "exit status $?" >> "$OUT/stderr"
for f in "$OUT"/flows/*.jsonl; do
  grep -v '"type":"privacy"' "$f" | LC_ALL=C sort > "$f.sorted"; mv "$f.sorted" "$f"
done
for k in calls alerts; do
  grep -v '"type":"privacy"' "$OUT/$k.raw" | LC_ALL=C sort > "$OUT/$k.sorted"; rm -f "$OUT/$k.raw"
done
echo "$(cat "$OUT"/flows/*.jsonl | wc -l) flows, $(wc -l < "$OUT/calls.sorted") calls, $(wc -l < "$OUT/alerts.sorted") alerts in $OUT"
