#!/usr/bin/env bash
# Records captures/events/dhcp.pcap (run as root; needs iproute2, tcpdump, Debian's dnsmasq,
# isc-dhcp-client and udhcpc). Usage: ./record-dhcp.sh [OUTDIR] (default: this folder).
# Two network namespaces joined by a veth pair (f-e3-srv / f-e3-cli, removed on exit whatever
# happens); dnsmasq serves 10.77.0.100-150 (authoritative, 2-minute leases) and fd77::/64
# (DHCPv6, stateful) on the server side; the capture is taken on the server's veth.
#   1. busybox udhcpc: DISCOVER, OFFER, REQUEST, ACK (host name and vendor class sent), a renewal
#      (SIGUSR1: unicast REQUEST and its ACK, one flow), RELEASE on exit (SIGTERM with -R)
#   2. ISC dhclient with a lease file naming 10.88.0.5, an address dnsmasq does not serve:
#      INIT-REBOOT REQUEST answered by NAK, then DISCOVER ... ACK
#   3. ISC dhclient -6: SOLICIT, ADVERTISE, REQUEST, REPLY, then RELEASE (-r) and its REPLY
# Every client is bounded by timeout; only processes started here are stopped, by their PIDs.
set -euo pipefail
OUT=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
S=f-e3-s; C=f-e3-c
D=$(mktemp -d)
DP=; TP=; UP=
cleanup() {
  for p in $UP $DP; do kill "$p" 2>/dev/null || true; done
  if [ -n "$TP" ]; then kill "$TP" 2>/dev/null || true; wait "$TP" 2>/dev/null || true; fi
  ip netns del $S 2>/dev/null || true; ip netns del $C 2>/dev/null || true
  rm -rf "$D"
}
trap cleanup EXIT
ip netns add $S; ip netns add $C
ip link add f-e3-srv type veth peer name f-e3-cli
ip link set f-e3-srv netns $S; ip link set f-e3-cli netns $C
ip -n $S addr add 10.77.0.1/24 dev f-e3-srv
ip -n $S addr add fd77::1/64 dev f-e3-srv nodad
ip -n $S link set f-e3-srv up; ip -n $S link set lo up
ip -n $C link set f-e3-cli up; ip -n $C link set lo up
sleep 2   # link-local addresses (DHCPv6 needs the client's)
ip netns exec $S tcpdump -i f-e3-srv -U -s 0 -w "$OUT/dhcp.pcap" "udp port 67 or udp port 68 or udp port 546 or udp port 547" >/dev/null 2>&1 & TP=$!
sleep 1
ip netns exec $S dnsmasq --no-daemon --conf-file=/dev/null --port=0 --interface=f-e3-srv --bind-interfaces \
  --dhcp-range=10.77.0.100,10.77.0.150,2m --dhcp-range=fd77::100,fd77::1ff,64,2m --dhcp-authoritative --no-ping \
  --dhcp-leasefile="$D/leases" --pid-file="$D/dnsmasq.pid" --no-resolv --no-hosts >/dev/null 2>&1 & DP=$!
sleep 1
cat > "$D/udhcpc.sh" <<'SH'
#!/bin/sh
case "$1" in bound|renew) ip addr replace "$ip/24" dev "$interface" ;; deconfig) ip addr flush dev "$interface" scope global ;; esac
SH
chmod +x "$D/udhcpc.sh"
ip netns exec $C timeout 30 udhcpc -f -R -p "$D/udhcpc.pid" -i f-e3-cli -s "$D/udhcpc.sh" -x hostname:fathom-client -V fathom-test >/dev/null 2>&1 & UP=$!
for _ in $(seq 50); do ip -n $C -4 addr show dev f-e3-cli | grep -q 10.77.0 && break; sleep 0.2; done
sleep 1
UDP=$(cat "$D/udhcpc.pid")        # udhcpc itself (UP is timeout's PID)
kill -USR1 "$UDP"; sleep 2          # renew: unicast REQUEST, ACK
kill -TERM "$UDP"; wait "$UP" 2>/dev/null || true; UP=   # -R: RELEASE
ip -n $C addr flush dev f-e3-cli scope global
cat > "$D/dhclient.leases" <<LEASE
lease {
  interface "f-e3-cli";
  fixed-address 10.88.0.5;
  option subnet-mask 255.255.255.0;
  option dhcp-server-identifier 10.88.0.1;
  renew 4 2099/01/01 00:00:00;
  rebind 4 2099/01/01 00:00:00;
  expire 4 2099/01/01 00:00:00;
}
LEASE
ip netns exec $C timeout 30 dhclient -1 -lf "$D/dhclient.leases" -pf "$D/dhclient.pid" -sf /bin/true f-e3-cli >/dev/null 2>&1 || true
if [ -s "$D/dhclient.pid" ]; then kill "$(cat "$D/dhclient.pid")" 2>/dev/null || true; fi
ip netns exec $C timeout 30 dhclient -6 -1 -lf "$D/dhclient6.leases" -pf "$D/dhclient6.pid" -sf /bin/true f-e3-cli >/dev/null 2>&1 || true
if [ -s "$D/dhclient6.pid" ]; then kill "$(cat "$D/dhclient6.pid")" 2>/dev/null || true; fi
ip netns exec $C timeout 30 dhclient -6 -r -lf "$D/dhclient6.leases" -pf "$D/dhclient6.pid" -sf /bin/true f-e3-cli >/dev/null 2>&1 || true
sleep 1
