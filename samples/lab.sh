#!/usr/bin/env bash
# A small lab of real clients and servers in two network namespaces of its own, joined by one veth
# pair, with no route out of them. make-sample.sh records samples/demo.pcap with it, and the
# live-capture tests of fathom-cli (LiveEqualsAnalyzeTest) drive the same traffic while
# `fathom live` and tcpdump capture it. Needs root, iproute2, python3, curl, openssl, dnsmasq,
# dig (bind9-dnsutils), sipp (sip-tester), hping3.
#
#   lab.sh up TAG              namespaces f-sample-TAG-srv / f-sample-TAG-cli, veth f-sampleTAGs / f-sampleTAGc
#   lab.sh servers TAG         web (HTTP, 192.0.2.80), TLS (192.0.2.43), DNS (dnsmasq, 192.0.2.53)
#   lab.sh traffic TAG [quick] DNS, HTTP, TLS, SIP calls (completed, emergency, busy, rejected, failed,
#                              dropped), a spoofed SYN flood; quick: the dropped call's
#                              silence lasts 6 s instead of 35 s (use --media-timeout 3)
#   lab.sh down TAG            stops the servers it started (by PID) and deletes both namespaces
#   lab.sh names TAG           prints: server-namespace client-namespace server-veth client-veth
#
# TAG: up to 5 letters or digits (interface names are at most 15 characters). The subscriber side
# (client namespace) is 10.77.0.2/24, the server side 192.0.2.0/24 (TEST-NET-1, RFC 5737): by
# Fathom's default subscriber networks the clients are subscribers (pseudonymised), the servers
# are not. State (PIDs, certificate, web root, logs) lives in /tmp/f-sample-TAG.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SIPP_DIR=$HERE/../fathom-core/src/test/resources/sipp

cmd=${1:?usage: lab.sh up|servers|traffic|down|names TAG [quick]}
TAG=${2:?usage: lab.sh $cmd TAG}
[[ $TAG =~ ^[a-z0-9]{1,5}$ ]] || { echo "lab.sh: TAG must be 1-5 lower-case letters or digits: $TAG" >&2; exit 2; }
SRV=f-sample-$TAG-srv
CLI=f-sample-$TAG-cli
SIF=f-sample${TAG}s
CIF=f-sample${TAG}c
STATE=/tmp/f-sample-$TAG
CLIENT=10.77.0.2
WEB=192.0.2.80
TLS=192.0.2.43
DNS=192.0.2.53
PBX=192.0.2.5

in_srv() { ip netns exec "$SRV" "$@"; }
in_cli() { ip netns exec "$CLI" "$@"; }

# Starts a long-running server in the server namespace; its PID goes to the state folder.
daemon() {
  local name=$1; shift
  setsid ip netns exec "$SRV" "$@" >"$STATE/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE/$name.pid"
}

up() {
  mkdir -p "$STATE"
  ip netns add "$SRV"
  ip netns add "$CLI"
  ip link add "$SIF" netns "$SRV" type veth peer name "$CIF" netns "$CLI"
  for ns in "$SRV" "$CLI"; do
    ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$ns" link set lo up
  done
  ip -n "$CLI" addr add $CLIENT/24 dev "$CIF"
  ip -n "$CLI" link set "$CIF" up
  ip -n "$CLI" route add 192.0.2.0/24 dev "$CIF"
  for a in $WEB $TLS $DNS $PBX; do ip -n "$SRV" addr add $a/32 dev "$SIF"; done
  ip -n "$SRV" link set "$SIF" up
  ip -n "$SRV" route add 10.77.0.0/24 dev "$SIF"
  # the clients resolve names through the lab's DNS server (ip netns exec bind-mounts this file)
  mkdir -p "/etc/netns/$CLI"
  echo "nameserver $DNS" > "/etc/netns/$CLI/resolv.conf"
}

servers() {
  mkdir -p "$STATE/www/news"
  printf '<!doctype html><title>Fathom lab</title><h1>It works</h1>\n' > "$STATE/www/index.html"
  printf '<!doctype html><title>News</title><p>%s</p>\n' "$(printf 'Nothing happened today. %.0s' $(seq 1 200))" > "$STATE/www/news/today.html"
  head -c 200000 /dev/zero | tr '\0' 'a' > "$STATE/www/download.bin"
  daemon http python3 -m http.server 80 --bind $WEB --directory "$STATE/www"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=secure.fathom.example \
    -addext subjectAltName=DNS:secure.fathom.example,DNS:mail.fathom.example \
    -keyout "$STATE/tls.key" -out "$STATE/tls.crt" 2>/dev/null
  daemon tls openssl s_server -accept $TLS:443 -cert "$STATE/tls.crt" -key "$STATE/tls.key" -www -quiet
  daemon dns dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts --no-dhcp-interface="$SIF" --user=root \
    --bind-interfaces --listen-address=$DNS --port=53 --pid-file= --local=/fathom.example/ \
    --host-record=www.fathom.example,$WEB --host-record=secure.fathom.example,$TLS \
    --host-record=mail.fathom.example,$TLS --host-record=sip.fathom.example,$PBX \
    --txt-record=fathom.example,"v=spf1 -all"
  # wait until each one answers
  local i
  for i in $(seq 1 100); do
    if in_cli curl -s -o /dev/null --max-time 1 http://$WEB/ && in_cli dig +time=1 +tries=1 @$DNS www.fathom.example >/dev/null 2>&1 \
        && in_cli timeout 1 bash -c "exec 3<>/dev/tcp/$TLS/443" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "lab.sh: servers did not start; logs in $STATE" >&2
  return 1
}

# sip_call NAME UAS_SCENARIO UAC_SCENARIO SERVICE PORT [extra UAC options]: one call between a sipp
# UAS on the PBX address and a sipp UAC on the client, one pair of processes per call; their PIDs
# in SIP_PIDS
sip_call() {
  local name=$1 uas=$2 uac=$3 service=$4 port=$5; shift 5
  (cd "$STATE" && in_srv sipp -sf "$uas" -i $PBX -p "$port" -t u1 -mp $((20000 + port - 5060)) -rtp_echo -m 1 \
      -timeout 60s -default_behaviors none -nostdin >"$STATE/$name.uas.log" 2>&1) &
  local uas_pid=$!
  sleep 0.3
  (cd "$STATE" && in_cli sipp $PBX:"$port" -sf "$uac" -i $CLIENT -p $((port + 1000)) -t u1 -mp $((30000 + port - 5060)) \
      -s "$service" -m 1 -timeout 60s -default_behaviors none -nostdin "$@" >"$STATE/$name.uac.log" 2>&1) &
  SIP_PIDS="$uas_pid $!"
}

traffic() {
  local quick=${1:-} silence=35000
  [[ $quick == quick ]] && silence=6000
  cp "$SIPP_DIR/rtp-pcma.pcap" "$STATE/rtp-pcma.pcap"   # sipp plays it from its working folder
  # DNS: names of the lab, a reverse lookup, a TXT record, a name that does not exist (NXDOMAIN), one over TCP
  in_cli dig +short www.fathom.example A >/dev/null
  in_cli dig +short -x $WEB >/dev/null
  in_cli dig +short fathom.example TXT >/dev/null
  in_cli dig nosuch.fathom.example A >/dev/null
  in_cli dig +tcp +short sip.fathom.example A >/dev/null
  # web: pages, a larger download, a page that is not there (404)
  in_cli curl -s -o /dev/null http://www.fathom.example/
  in_cli curl -s -o /dev/null http://www.fathom.example/news/today.html
  in_cli curl -s -o /dev/null http://www.fathom.example/download.bin
  in_cli curl -s -o /dev/null http://www.fathom.example/missing.html
  # TLS with SNI: curl (TLS 1.3), openssl s_client with another name, and TLS 1.2
  in_cli curl -sk -o /dev/null https://secure.fathom.example/
  in_cli openssl s_client -connect $TLS:443 -servername mail.fathom.example </dev/null >/dev/null 2>&1 || true
  in_cli openssl s_client -connect $TLS:443 -servername secure.fathom.example -tls1_2 </dev/null >/dev/null 2>&1 || true
  # SIP: a call whose media stops with no BYE first (Fathom calls it dropped once the media has been
  # silent for the media timeout and the dialog too), in the background; then the others in turn
  local dropped
  sip_call dropped "$SIPP_DIR/uas_media_timeout.xml" "$HERE/sipp/uac_dropped.xml" 2001 5100 -d "$silence"
  dropped=$SIP_PIDS
  sleep 0.5
  sip_call completed "$SIPP_DIR/uas_answer.xml" "$SIPP_DIR/uac_call_rtp.xml" 2001 5060; wait $SIP_PIDS
  sip_call emergency "$SIPP_DIR/uas_answer.xml" "$SIPP_DIR/uac_call_rtp.xml" 112 5062; wait $SIP_PIDS
  sip_call busy "$SIPP_DIR/uas_final_486.xml" "$SIPP_DIR/uac_final_486.xml" 2002 5064; wait $SIP_PIDS
  sip_call rejected "$SIPP_DIR/uas_final_403.xml" "$SIPP_DIR/uac_final_403.xml" 2003 5066; wait $SIP_PIDS
  sip_call failed "$SIPP_DIR/uas_final_503.xml" "$SIPP_DIR/uac_final_503.xml" 2004 5068; wait $SIP_PIDS
  # an attack: a SYN flood with spoofed sources at the TLS server, 2,000 packets at most 20,000/s: well
  # within a second even on a loaded machine, so the detector's 500/s is passed whatever the load
  # (the answers go nowhere: there is no route to the spoofed addresses)
  in_cli timeout 10 hping3 -q -S -p 443 -i u50 -c 2000 --rand-source $TLS >/dev/null 2>&1 || true
  # ordinary traffic goes on while the dropped call stays silent
  local end=$((SECONDS + silence / 1000 + 2))
  while [[ $SECONDS -lt $end ]]; do
    in_cli curl -s -o /dev/null http://www.fathom.example/ || true
    in_cli dig +short www.fathom.example >/dev/null || true
    sleep 2
  done
  wait $dropped
  in_cli curl -s -o /dev/null http://www.fathom.example/news/today.html
  in_cli dig +short www.fathom.example >/dev/null
}

down() {
  local f
  for f in "$STATE"/*.pid; do
    [[ -e $f ]] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  ip netns del "$SRV" 2>/dev/null || true
  ip netns del "$CLI" 2>/dev/null || true
  rm -rf "/etc/netns/$CLI" "$STATE"
}

case $cmd in
  up) up ;;
  servers) servers ;;
  traffic) traffic "${3:-}" ;;
  down) down ;;
  names) echo "$SRV $CLI $SIF $CIF" ;;
  *) echo "lab.sh: unknown command $cmd" >&2; exit 2 ;;
esac
