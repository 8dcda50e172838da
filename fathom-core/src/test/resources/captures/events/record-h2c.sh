#!/usr/bin/env bash
# Records captures/events/h2c.pcap on loopback (run as root; needs tcpdump, curl built with
# nghttp2, nghttpd and nghttp from Debian's nghttp2-server and nghttp2-client, and Debian's
# python3-hypercorn). Usage:
# ./record-h2c.sh [OUTDIR] (default: this folder). Every client is bounded by timeout; only
# processes started here are stopped, by their PIDs.
#   port 18082, nghttpd: curl --http2-prior-knowledge, one GET (curl 7.88 opens no second
#               stream on a prior-knowledge connection it reuses); then nghttp (prior knowledge),
#               four streams on one connection: GET 200, GET 404 (no such file), GET 200 with a
#               query string (it must not leave), POST of 10 bytes
#   port 18083, hypercorn: curl --http2 (HTTP/1.1 Upgrade: h2c, 101, the answer on stream 1),
#               then a second request (stream 3) on the upgraded connection
set -euo pipefail
OUT=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
mkdir -p "$D/www"; printf 'hello from fathom\n' > "$D/www/index.html"; head -c 5000 /dev/zero | tr '\0' 'x' > "$D/www/big.txt"
cat > "$D/app.py" <<'PY'
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b"hello from hypercorn\n" if scope["path"] == "/index.html" else b"not here\n"
    await send({"type": "http.response.start", "status": 200 if scope["path"] == "/index.html" else 404,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
PY
tcpdump -i lo -U -s 0 -w "$OUT/h2c.pcap" "tcp port 18082 or tcp port 18083" >/dev/null 2>&1 & TP=$!
sleep 1
nghttpd --no-tls -d "$D/www" 18082 >/dev/null 2>&1 & SP=$!
(cd "$D" && exec /usr/bin/python3 -m hypercorn --bind 127.0.0.1:18083 app:app) >/dev/null 2>&1 & HP=$!
sleep 2
U=http://127.0.0.1:18082
timeout 10 curl -s --http2-prior-knowledge -A fathom-h2c-test -o /dev/null "$U/index.html" || true
printf 'name=value' > "$D/post.txt"
timeout 10 nghttp -n -H 'user-agent: fathom-nghttp-test' "$U/index.html" "$U/nothing-here" "$U/big.txt?session=42" || true
timeout 10 nghttp -n -d "$D/post.txt" "$U/form" || true
timeout 10 curl -s --http2 -o /dev/null http://127.0.0.1:18083/index.html -o /dev/null http://127.0.0.1:18083/missing || true
sleep 1
kill "$SP" "$HP"; wait "$SP" "$HP" 2>/dev/null || true
sleep 1; kill "$TP"; wait "$TP" 2>/dev/null || true
