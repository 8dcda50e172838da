#!/usr/bin/env bash
# Records captures/events/h2c.pcap on loopback (run as root; needs tcpdump, curl built with
# nghttp2, and nghttpd from Debian's nghttp2-server). Usage: ./record-h2c.sh [OUTDIR] (default:
# this folder). Every client is bounded by timeout; only processes started here are stopped, by
# their PIDs.
#   connection 1: curl --http2-prior-knowledge, four streams on one connection: GET 200, GET 404
#                 (no such file), GET 200 with a query string (it must not leave), POST 200
#   connection 2: curl --http2 (HTTP/1.1 Upgrade: h2c, 101, then the answer on stream 1) and a
#                 second request on the upgraded connection
set -euo pipefail
OUT=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
PORT=18082
mkdir -p "$D/www"; printf 'hello from fathom\n' > "$D/www/index.html"; head -c 5000 /dev/zero | tr '\0' 'x' > "$D/www/big.txt"
tcpdump -i lo -U -s 0 -w "$OUT/h2c.pcap" "tcp port $PORT" >/dev/null 2>&1 & TP=$!
sleep 1
nghttpd --no-tls -d "$D/www" "$PORT" >/dev/null 2>&1 & SP=$!
sleep 1
U=http://127.0.0.1:$PORT
timeout 10 curl -s --http2-prior-knowledge -A 'fathom-h2c-test' -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
  "$U/index.html" "$U/nothing-here" "$U/big.txt?session=42" -d 'name=value' "$U/index.html" || true
timeout 10 curl -s --http2 -o /dev/null -o /dev/null "$U/index.html" "$U/big.txt" || true
sleep 1
kill "$SP"; wait "$SP" 2>/dev/null || true
sleep 1; kill "$TP"; wait "$TP" 2>/dev/null || true
