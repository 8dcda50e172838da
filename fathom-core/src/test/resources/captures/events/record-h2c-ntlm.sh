#!/usr/bin/env bash
# Records captures/events/h2c-ntlm.pcap on loopback (run as root; needs tcpdump, curl, nghttp from
# Debian's nghttp2-client and Debian's python3-hypercorn). Usage: ./record-h2c-ntlm.sh [OUTDIR]
# (default: this folder). A hypercorn app on 127.0.0.1:18084 asks for NTLM: it answers an NTLM
# NEGOTIATE message with a CHALLENGE (domain FATHOMTEST, server FATHOMSRV, target info) and an
# AUTHENTICATE message with 200.
#   1. curl --http2-prior-knowledge --ntlm -u 'FATHOMTEST\alice:secret': curl sends its NTLM
#      NEGOTIATE on an h2c stream, reads the 401 and, as curl does for NTLM ("Forcing HTTP/1.1 for
#      NTLM"), finishes the handshake on a new HTTP/1.1 connection (NEGOTIATE, CHALLENGE,
#      AUTHENTICATE with user alice, domain FATHOMTEST, workstation: this host's name)
#   2. nghttp (h2c, prior knowledge): the AUTHENTICATE message curl made in an `authorization: NTLM`
#      header (one stream), then on another connection in `authorization: Negotiate` headers (two
#      streams; nghttp opens idle streams for its priority tree first, so the requests are on
#      streams 13 and 15)
# Every client is bounded by timeout; only processes started here are stopped, by their PIDs.
set -euo pipefail
OUT=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
D=$(mktemp -d)
TP=; HP=
cleanup() {
  for p in $HP $TP; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$D"
}
trap cleanup EXIT
cat > "$D/app.py" <<'PY'
import base64, os, struct

def _challenge():
    u = lambda s: s.encode("utf-16-le")
    target = u("FATHOMTEST")
    info = (struct.pack("<HH", 2, len(target)) + target + struct.pack("<HH", 1, len(u("FATHOMSRV"))) + u("FATHOMSRV")
            + struct.pack("<HH", 0, 0))
    flags = 0x00898205   # Unicode, request target, NTLM, always sign, domain, extended session security, target info
    m = b"NTLMSSP\0" + struct.pack("<I", 2) + struct.pack("<HHI", len(target), len(target), 48) + struct.pack("<I", flags)
    m += bytes.fromhex("0123456789abcdef") + bytes(8) + struct.pack("<HHI", len(info), len(info), 48 + len(target))
    return base64.b64encode(m + target + info)

CHALLENGE = _challenge()

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass   # the request read whole: hypercorn keeps the HTTP/1.1 connection for the next request
    auth = dict(scope["headers"]).get(b"authorization", b"")
    kind = 0
    scheme, _, b64 = auth.partition(b" ")
    if scheme.lower() in (b"ntlm", b"negotiate") and b64:
        raw = base64.b64decode(b64)
        kind = raw[8] if len(raw) > 8 and raw[:8] == b"NTLMSSP\0" else 0
    if kind == 3:
        with open(os.path.join(os.path.dirname(__file__), "type3"), "wb") as f:
            f.write(b64)
        status, headers, body = 200, [], b"welcome\n"
    elif kind == 1:
        status, headers, body = 401, [(b"www-authenticate", b"NTLM " + CHALLENGE)], b""
    else:
        status, headers, body = 401, [(b"www-authenticate", b"NTLM")], b""
    headers += [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
PY
tcpdump -i lo -U -s 0 -w "$OUT/h2c-ntlm.pcap" "tcp port 18084" >/dev/null 2>&1 & TP=$!
sleep 1
(cd "$D" && exec /usr/bin/python3 -m hypercorn --bind 127.0.0.1:18084 app:app) >/dev/null 2>&1 & HP=$!
sleep 2
U=http://127.0.0.1:18084
timeout 10 curl -s --http2-prior-knowledge --ntlm -u 'FATHOMTEST\alice:secret' -A fathom-h2c-ntlm -o /dev/null "$U/private" || true
T3=$(cat "$D/type3")
timeout 10 nghttp -n -H "authorization: NTLM $T3" "$U/private" || true
sleep 0.2
timeout 10 nghttp -n -m 1 -H "authorization: Negotiate $T3" "$U/private" "$U/public" || true
sleep 1
kill "$HP"; wait "$HP" 2>/dev/null || true; HP=
sleep 1; kill "$TP"; wait "$TP" 2>/dev/null || true; TP=
