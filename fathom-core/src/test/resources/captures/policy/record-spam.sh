#!/usr/bin/env bash
# Records spam-run.pcap (see README.md): run as root from this folder. Loopback only, bounded in time.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT="$HERE/spam-run.pcap"
python3 "$HERE/../ftp/miniserv.py" smtp 25 5 &
SERVER=$!
tcpdump -i lo -U -s 0 -w "$OUT.tmp" 'tcp port 25' 2>/dev/null &
DUMP=$!
trap 'kill $DUMP $SERVER 2>/dev/null || true' EXIT
sleep 1
timeout 60 python3 - <<'PY'
import smtplib, time
def mail(src, rcpts):
    s = smtplib.SMTP('127.0.0.1', 25, local_hostname='mx.fathom.test', source_address=(src, 0), timeout=10)
    s.sendmail('news@fathom.test', rcpts, 'Subject: test\r\n\r\nhello\r\n')
    s.quit()
mail('127.0.0.7', ['a@fathom.test', 'b@fathom.test', 'c@fathom.test'])        # ordinary mail
time.sleep(1)
mail('127.0.0.66', ['user%d@fathom.test' % i for i in range(150)])             # the spam run: 150 RCPT
time.sleep(1)
mail('127.0.0.66', ['d@fathom.test', 'e@fathom.test'])                          # the spammer again, 1 s later
mail('127.0.0.7', ['f@fathom.test'])                                            # ordinary mail
time.sleep(7)
mail('127.0.0.66', ['g@fathom.test'])                                           # the spammer, 9 s after the run
PY
sleep 1
kill "$DUMP"
wait "$DUMP" || true
wait "$SERVER" || true
trap - EXIT
mv "$OUT.tmp" "$OUT"
echo "recorded $OUT"
