#!/usr/bin/env bash
# Records the TLS golden captures on loopback (run as root). Usage: record.sh OUTDIR
set -euo pipefail
OUT=${1:?outdir}; D=$(mktemp -d)
openssl req -x509 -newkey rsa:2048 -nodes -keyout $D/key.pem -out $D/cert.pem -days 3650 \
  -subj "/C=US/O=Fathom Test/CN=fathom.test" -addext "subjectAltName=DNS:fathom.test,DNS:www.fathom.test" 2>/dev/null
rec() { # name port server-args client-command
  local name=$1 port=$2 sargs=$3; shift 3
  tcpdump -i lo -U -s 0 -w $OUT/$name.pcap "tcp port $port" >/dev/null 2>&1 & local tp=$!
  sleep 1
  openssl s_server -quiet -accept $port -cert $D/cert.pem -key $D/key.pem $sargs >/dev/null 2>&1 & local sp=$!
  sleep 1
  timeout 10 "$@" >/dev/null 2>&1 || true
  sleep 1; kill $sp 2>/dev/null || true; sleep 0.5; kill $tp; wait $tp 2>/dev/null || true
}
rec tls12-selfsigned 8443 "" sh -c "echo | openssl s_client -connect 127.0.0.1:8443 -servername fathom.test -tls1_2 -alpn h2,http/1.1"
rec tls13 8443 "" sh -c "echo | openssl s_client -connect 127.0.0.1:8443 -servername fathom.test -tls1_3 -alpn h2"
rec curl-http11 8443 "-www" curl -s -k --http1.1 --max-time 5 https://localhost:8443/
rec imaps-nosni 993 "" sh -c "echo | openssl s_client -connect 127.0.0.1:993 -noservername -tls1_2"
rm -rf $D
