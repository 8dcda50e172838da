#!/usr/bin/env bash
# Records the per-transaction event captures on loopback (run as root; needs tcpdump, curl,
# openssl, /usr/bin/python3). Usage: ./record.sh [OUTDIR] (default: this folder). Every client is
# bounded by timeout; only processes started here are stopped, by their PIDs.
set -euo pipefail
OUT=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT

# start_capture NAME FILTER; stop_capture
start_capture() { tcpdump -i lo -U -s 0 -w "$OUT/$1.pcap" "$2" >/dev/null 2>&1 & TP=$!; sleep 1; }
stop_capture() { sleep 1; kill "$TP"; wait "$TP" 2>/dev/null || true; }

# 1. HTTP/1.1 keep-alive and pipelining against Python's http.server (HTTP/1.1 mode)
mkdir -p "$D/www"; printf 'hello from fathom\n' > "$D/www/index.html"; head -c 5000 /dev/zero | tr '\0' 'x' > "$D/www/big.txt"
start_capture http-pipelined "tcp port 18081"
(cd "$D/www" && exec /usr/bin/python3 -c "
import http.server, functools
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory='.')
http.server.SimpleHTTPRequestHandler.protocol_version = 'HTTP/1.1'
http.server.ThreadingHTTPServer(('127.0.0.1', 18081), h).serve_forever()") >/dev/null 2>&1 & SP=$!
sleep 1
# keep-alive: three requests on one connection (200, 404, 200), then HEAD, then a POST (501)
timeout 10 curl -s --http1.1 -o /dev/null -o /dev/null -o /dev/null \
  http://127.0.0.1:18081/index.html http://127.0.0.1:18081/nothing-here 'http://127.0.0.1:18081/big.txt?session=42' || true
timeout 10 curl -s --http1.1 -I -o /dev/null http://127.0.0.1:18081/index.html || true
timeout 10 curl -s --http1.1 -o /dev/null -d 'name=value' http://127.0.0.1:18081/form || true
# pipelining (curl no longer pipelines): three requests written at once on one connection
timeout 10 /usr/bin/python3 -c "
import socket, time
s = socket.create_connection(('127.0.0.1', 18081))
s.sendall(b''.join(b'GET /%s HTTP/1.1\r\nHost: 127.0.0.1:18081\r\nUser-Agent: pipeline-test\r\n\r\n' % p for p in (b'index.html', b'missing', b'big.txt')))
time.sleep(1); s.close()" || true
kill "$SP"; wait "$SP" 2>/dev/null || true
stop_capture

# 2. TLS handshake failure: a TLS 1.2-only server, a TLS 1.3-only client (protocol_version alert)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$D/key.pem" -out "$D/cert.pem" -days 3650 \
  -subj "/C=US/O=Fathom Test/CN=fathom.test" 2>/dev/null
start_capture tls-alert "tcp port 18443"
openssl s_server -quiet -accept 18443 -cert "$D/cert.pem" -key "$D/key.pem" -tls1_2 >/dev/null 2>&1 & SP=$!
sleep 1
echo | timeout 10 openssl s_client -connect 127.0.0.1:18443 -servername fathom.test -tls1_3 >/dev/null 2>&1 || true
kill "$SP"; wait "$SP" 2>/dev/null || true
stop_capture
