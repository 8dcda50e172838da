#!/usr/bin/env bash
# Records captures/events/smb2-ntlm.pcap on loopback (run as root; needs tcpdump and Debian's samba
# and smbclient). Usage: ./record-smb.sh [OUTDIR] (default: this folder); with SMB_VERSION=1
# (record-smb1.sh) it records smb1-ntlm.pcap instead, see below. smbd runs from a
# private temporary configuration on port 18445 (loopback only); the Samba user is root, logged
# in as "alice" through a username map. Every client is bounded by timeout; only processes
# started here are stopped, by their PIDs.
#   connection 1: NTLMv2 login of FATHOMTEST\alice from workstation FATHOMCLIENT, tree connect to
#                 \\127.0.0.1\data, ls, put, get
#   connection 2: a wrong password (STATUS_LOGON_FAILURE)
#   connection 3: login, then a tree connect to a share that does not exist (STATUS_BAD_NETWORK_NAME)
# SMB_VERSION=1: both sides held to SMB1 (NT1, "NT LM 0.12") on port 18139 (NetBIOS session
# service framing), connection 1 with extended security (NTLMSSP in SPNEGO), and
#   connection 4: the login without SPNEGO ("client use spnego = no"): the NTLMv2 response, account
#                 name and primary domain in the SESSION_SETUP_ANDX itself
set -euo pipefail
if [ "${SMB_VERSION:-2}" = 1 ]; then
  PORT=18139 NAME=smb1-ntlm.pcap SERVER_MIN=NT1 CLIENT_MIN=NT1 CLIENT_MAX=NT1
else
  PORT=18445 NAME=smb2-ntlm.pcap SERVER_MIN=SMB2_02 CLIENT_MIN=SMB2_02 CLIENT_MAX=SMB3
fi
OUT=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
D=$(mktemp -d)
SP=
cleanup() { if [ -n "$SP" ]; then kill "$SP" 2>/dev/null || true; fi; rm -rf "$D"; }
trap cleanup EXIT
mkdir -p "$D"/{share,private,lock,state,cache,pid,log}
printf 'hello from fathom\n' > "$D/share/hello.txt"
printf 'uploaded\n' > "$D/up.txt"
cat > "$D/smb.conf" <<CONF
[global]
  server role = standalone server
  workgroup = FATHOMTEST
  netbios name = FATHOMSRV
  smb ports = $PORT
  interfaces = lo
  bind interfaces only = yes
  disable netbios = yes
  private dir = $D/private
  lock directory = $D/lock
  state directory = $D/state
  cache directory = $D/cache
  pid directory = $D/pid
  log file = $D/log/%m.log
  passdb backend = tdbsam:$D/private/passdb.tdb
  username map = $D/users.map
  server min protocol = $SERVER_MIN
  load printers = no
  printing = bsd
  printcap name = /dev/null
[data]
  path = $D/share
  read only = no
CONF
echo 'root = alice' > "$D/users.map"
printf 'secret\nsecret\n' | smbpasswd -c "$D/smb.conf" -s -a root >/dev/null
cat > "$D/client.conf" <<CONF
[global]
  workgroup = FATHOMTEST
  netbios name = FATHOMCLIENT
  client min protocol = $CLIENT_MIN
  client max protocol = $CLIENT_MAX
CONF
tcpdump -i lo -U -s 0 -w "$OUT/$NAME" "tcp port $PORT" >/dev/null 2>&1 & TP=$!
sleep 1
# its own session: smbd signals its whole process group as it stops
setsid smbd -s "$D/smb.conf" --foreground --no-process-group >/dev/null 2>&1 & SP=$!
sleep 2
C=(smbclient -s "$D/client.conf" -p "$PORT" --use-kerberos=off)
(cd "$D" && timeout 20 "${C[@]}" //127.0.0.1/data -U 'alice%secret' -c 'ls; put up.txt; get hello.txt got.txt') >/dev/null 2>&1 || true
timeout 20 "${C[@]}" //127.0.0.1/data -U 'alice%wrong' -c 'ls' >/dev/null 2>&1 || true
timeout 20 "${C[@]}" //127.0.0.1/nosuchshare -U 'alice%secret' -c 'ls' >/dev/null 2>&1 || true
if [ "${SMB_VERSION:-2}" = 1 ]; then
  timeout 20 "${C[@]}" --option='client use spnego = no' //127.0.0.1/data -U 'alice%secret' -c 'ls' >/dev/null 2>&1 || true
fi
sleep 1
kill "$SP"; wait "$SP" 2>/dev/null || true; SP=
sleep 1; kill "$TP"; wait "$TP" 2>/dev/null || true
