#!/usr/bin/env bash
# Re-records the VoIP test capture: every sipp UAS/UAC pair of runs.txt runs at once on loopback
# (127.0.0.1) while tcpdump captures lo. Writes ../captures/voip/sipp-calls.pcap.gz and the sipp
# statistics of every UAC run (../captures/voip/stats/<name>.csv, sipp -trace_stat -stf).
# Needs root (tcpdump, and sipp's play_pcap_audio uses a raw socket). Only the PIDs started here
# are ever killed.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$HERE/../captures/voip
WORK=$(mktemp -d)
mkdir -p "$OUT/stats"
cd "$HERE"
python3 make_rtp_pcap.py rtp-pcma.pcap
python3 gen_scenarios.py
tcpdump -i lo -s 0 -U -w "$WORK/raw.pcap" \
  'host 127.0.0.1 and (portrange 5060-5099 or portrange 6060-6099 or portrange 20000-20399 or portrange 30000-30399)' \
  2>"$WORK/tcpdump.log" &
TCPDUMP=$!
sleep 1
i=0
UAS_PIDS=()
UAC_PIDS=()
# runs.txt: name uac.xml uas.xml calls transport(u1|t1) service outcome emergency max-concurrent-calls
# (completed_rtp: one call at a time, since every call of a run shares the media ports)
while read -r name uac uas calls transport service outcome emergency limit; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  sport=$((5060 + i)); cport=$((6060 + i)); smp=$((20000 + 10 * i)); cmp=$((30000 + 10 * i))
  sipp -sf "$uas" -i 127.0.0.1 -p $sport -t "$transport" -mp $smp -rtp_echo -m "$calls" -timeout 60s -default_behaviors none \
       -nostdin -trace_err -error_file "$WORK/$name.uas.err" >"$WORK/$name.uas.out" 2>&1 &
  UAS_PIDS+=($!)
  i=$((i + 1))
done < runs.txt
sleep 1
i=0
while read -r name uac uas calls transport service outcome emergency limit; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  sport=$((5060 + i)); cport=$((6060 + i)); smp=$((20000 + 10 * i)); cmp=$((30000 + 10 * i))
  sipp 127.0.0.1:$sport -sf "$uac" -i 127.0.0.1 -p $cport -t "$transport" -mp $cmp -s "$service" \
       -m "$calls" -r 10 -l "$limit" -timeout 60s -default_behaviors none -nostdin -trace_stat -stf "$OUT/stats/$name.csv" -fd 60 \
       -trace_err -error_file "$WORK/$name.uac.err" >"$WORK/$name.uac.out" 2>&1 &
  UAC_PIDS+=($!)
  i=$((i + 1))
done < runs.txt
status=0
for p in "${UAC_PIDS[@]}"; do wait "$p" || status=1; done
for p in "${UAS_PIDS[@]}"; do wait "$p" || status=1; done
sleep 1
kill "$TCPDUMP"; wait "$TCPDUMP" || true
gzip -9 -c "$WORK/raw.pcap" > "$OUT/sipp-calls.pcap.gz"
cp runs.txt "$OUT/stats/runs.txt"
{ sipp -v 2>&1 | grep SIPp || true; tcpdump --version 2>&1 | grep -i tcpdump || true; } > "$OUT/stats/sipp-version.txt"
echo "work files in $WORK; sipp exit status ok=$((1 - status))"
exit $status
