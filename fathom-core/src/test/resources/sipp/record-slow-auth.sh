#!/usr/bin/env bash
# Records sipp calls whose UAC answers the 401 challenge 40 s later (issue 16 item 7): 3 calls,
# at most 3 at once, on 127.0.0.1 ports 5190 (UAS) / 6190 (UAC), captured by tcpdump on lo.
# Writes ../captures/voip/slow-auth/{sipp-slow-auth.pcap.gz,slow_auth.csv}. Needs root (tcpdump).
# Only the PIDs started here are ever killed.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$HERE/../captures/voip/slow-auth
WORK=$(mktemp -d)
mkdir -p "$OUT"
cd "$HERE"
tcpdump -i lo -s 0 -U -w "$WORK/raw.pcap" 'host 127.0.0.1 and (port 5190 or port 6190)' 2>"$WORK/tcpdump.log" &
TCPDUMP=$!
sleep 1
sipp -sf uas_auth_answer.xml -i 127.0.0.1 -p 5190 -t u1 -m 3 -timeout 90s -default_behaviors none -nostdin \
     -trace_err -error_file "$WORK/uas.err" > "$WORK/uas.out" 2>&1 &
UAS=$!
sleep 1
status=0
sipp 127.0.0.1:5190 -sf uac_call_slow_auth.xml -i 127.0.0.1 -p 6190 -t u1 -s 2005 -m 3 -r 10 -l 3 -timeout 90s \
     -default_behaviors none -nostdin -trace_stat -stf "$OUT/slow_auth.csv" -fd 60 -trace_err -error_file "$WORK/uac.err" \
     > "$WORK/uac.out" 2>&1 || status=1
wait "$UAS" || status=1
sleep 1
kill "$TCPDUMP"; wait "$TCPDUMP" || true
gzip -9 -c "$WORK/raw.pcap" > "$OUT/sipp-slow-auth.pcap.gz"
echo "work files in $WORK; sipp exit status ok=$((1 - status))"
exit $status
