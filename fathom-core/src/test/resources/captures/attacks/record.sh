#!/usr/bin/env bash
# Records the attack test captures on loopback (run as root; needs tcpdump, hping3, nmap, curl,
# python3). hping3 3.0.0-alpha-2 sometimes aborts (SIGABRT) while printing a reply to a
# --rand-source UDP flood; the generator status is printed, re-run the script when that happens.
# Every generator is bounded in packet count and in time; only processes started here
# are stopped, by their PIDs. Output: *.pcap in this folder (snaplen 128).
set -euo pipefail
ONLY=${1:-}   # record only this capture (e.g. ./record.sh udp-flood-spoofed)
OUT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HTTP_PORT=18080
# Attacks and ordinary traffic use their own loopback addresses (127.0.0.80, 127.0.1.0/24) and the
# capture filter keeps only those, so that other programs talking on lo do not end up in the files.
VICTIM=127.0.0.80
FILTER="host $VICTIM or net 127.0.1.0/24"

# Ordinary traffic around each attack: a few HTTP fetches from a local web server and pings.
ordinary() {
    for i in 1 2 3 4 5; do
        timeout 2 curl -s -o /dev/null "http://$VICTIM:$HTTP_PORT/" || true
    done
    timeout 3 hping3 --icmp -c 3 -i u200000 "$VICTIM" >/dev/null 2>&1 || true   # three pings
}

# record NAME COMMAND...: capture lo while running ordinary traffic, the attack, ordinary traffic
record() {
    local name=$1; shift
    if [[ -n $ONLY && $ONLY != "$name" ]]; then return; fi
    tcpdump -i lo -s 128 -U -c 20000 -w "$OUT/$name.pcap" "$FILTER" 2>/dev/null &
    local td=$!
    sleep 1
    ordinary
    "$@" >/dev/null 2>&1 || echo "$name: generator exited with status $?" >&2
    ordinary
    sleep 0.5
    kill "$td"; wait "$td" || true
}

python3 -m http.server "$HTTP_PORT" --bind "$VICTIM" --directory "$OUT" >/dev/null 2>&1 &
HTTPD=$!
# A small keep-alive (HTTP/1.1) web server on a web port for the busy ordinary client
# (http-busy): asyncio, a fixed 1 kB page, fast enough not to be the bottleneck.
python3 -c 'import asyncio, sys
PAGE = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1024\r\n\r\n" + b"x" * 1024
async def serve(r, w):
    try:
        while True:
            head = await r.readuntil(b"\r\n\r\n")
            w.write(PAGE)
            await w.drain()
    except Exception:
        w.close()
async def main():
    s = await asyncio.start_server(serve, sys.argv[1], 8080)
    await s.serve_forever()
asyncio.run(main())' "$VICTIM" >/dev/null 2>&1 &
HTTPD2=$!
trap 'kill $HTTPD $HTTPD2 2>/dev/null || true' EXIT
sleep 1
GET=$(mktemp)
printf 'GET / HTTP/1.1\r\nHost: 127.0.0.80\r\n\r\n' > "$GET"

# One client fetching a page and its assets in bursts: 10 connections at once, 70 requests each
# over keep-alive at 60 per second each (600 requests/s), twice, two seconds apart. Busy, every
# request answered: not a flood.
busy_client() {
    local pids c burst
    for burst in 1 2; do
        pids=()
        for c in $(seq 1 10); do
            timeout 10 curl -s --rate 60/s -o /dev/null "http://$VICTIM:8080/assets/$c/[1-70].png" &
            pids+=($!)
        done
        wait "${pids[@]}"
        sleep 2
    done
}

record syn-flood           timeout 3 hping3 -S -p 80 -i u100 -c 2000 "$VICTIM"
record syn-flood-spoofed   timeout 3 hping3 -S -p 80 -i u100 -c 2000 --rand-source "$VICTIM"
record udp-flood           timeout 3 hping3 --udp -p 53 -i u100 -c 1500 "$VICTIM"
record udp-flood-spoofed   timeout 3 hping3 -q --udp -p 53 -i u100 -c 1500 --rand-source "$VICTIM"
record icmp-flood          timeout 3 hping3 --icmp -i u100 -c 2000 "$VICTIM"
record icmp-flood-spoofed  timeout 3 hping3 --icmp -i u100 -c 2000 --rand-source "$VICTIM"
record port-scan           timeout 20 nmap -n -Pn -sS -T4 -p 1-1000 "$VICTIM"
record host-scan           timeout 20 nmap -n -Pn -sS -T4 -p 22 127.0.1.1-200
record ordinary            sleep 1
record http-flood          timeout 3 hping3 -A -P -p 80 -i u200 -c 2000 -E "$GET" -d 36 "$VICTIM"
record http-flood-spoofed  timeout 3 hping3 -q -A -P -p 80 -i u200 -c 2000 -E "$GET" -d 36 --rand-source "$VICTIM"
record http-busy           busy_client
