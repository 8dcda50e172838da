#!/usr/bin/env python3
"""Records the golden captures of JSON-RPC, ClickHouse and Lustre on loopback (see README.md).

Real TCP connections between a Python server and client on 127.0.0.1, captured by tcpdump; the
messages are built from the specifications (no ClickHouse or Lustre server is packaged for Debian).
Run as root from this directory: ./record.py
"""
import http.client
import http.server
import json
import os
import socket
import struct
import subprocess
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def capture(name, bpf, exchange):
    out = os.path.join(HERE, name)
    dump = subprocess.Popen(["tcpdump", "-i", "lo", "-U", "-s", "0", "-w", out, bpf],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        exchange()
        time.sleep(1.0)
    finally:
        dump.terminate()
        dump.wait(10)


def post_once(port, body, content_type, answer):
    """One HTTP/1.1 POST of body to a server on port that answers 200 with answer(request body) -> (headers, body)."""
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            headers, reply = answer(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *a):
            pass
    httpd = http.server.HTTPServer(("127.0.0.1", port), Handler)
    th = threading.Thread(target=httpd.handle_request)
    th.start()
    h = http.client.HTTPConnection("127.0.0.1", port)
    h.request("POST", "/", body=body, headers={"Content-Type": content_type})
    h.getresponse().read()
    h.close()
    th.join()
    httpd.server_close()


def serve_once(port, handler, bind="127.0.0.1"):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((bind, port))
    srv.listen(1)

    def run():
        conn, _ = srv.accept()
        with conn:
            handler(conn)
        srv.close()
    t = threading.Thread(target=run)
    t.start()
    return t


def recv_exactly(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


def varint(v):
    out = b""
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def string(s):
    s = s.encode()
    return varint(len(s)) + s


# ---- JSON-RPC 2.0 over TCP (newline-delimited) and over HTTP

def jsonrpc_tcp():
    def server(conn):
        f = conn.makefile("rb")
        for line in f:
            req = json.loads(line)
            conn.sendall(json.dumps({"jsonrpc": "2.0", "result": req["params"][0] - req["params"][1], "id": req["id"]}).encode() + b"\n")
    t = serve_once(4711, server)
    time.sleep(0.2)
    c = socket.create_connection(("127.0.0.1", 4711))
    for i, (a, b) in enumerate([(42, 23), (23, 42)], 1):
        c.sendall(json.dumps({"jsonrpc": "2.0", "method": "subtract", "params": [a, b], "id": i}).encode() + b"\n")
        c.recv(4096)
        time.sleep(0.1)
    c.close()
    t.join()

    def answer(request):
        req = json.loads(request)
        return [("Content-Type", "application/json")], \
            json.dumps({"jsonrpc": "2.0", "result": sum(req["params"]), "id": req["id"]}).encode()
    post_once(8545, json.dumps({"jsonrpc": "2.0", "method": "sum", "params": [1, 2, 4], "id": "1"}), "application/json", answer)


# ---- ClickHouse native protocol (port 9000) and HTTP interface (port 8123)

def clickhouse():
    revision = 54468

    def server(conn):
        hello = conn.recv(4096)
        assert hello[0] == 0
        conn.sendall(b"\x00" + string("ClickHouse") + varint(24) + varint(8) + varint(revision)
                     + string("UTC") + string("node1") + varint(3))
        conn.recv(4096)  # the addendum (quota key) the client sends after the server's Hello
    t = serve_once(9000, server)
    time.sleep(0.2)
    c = socket.create_connection(("127.0.0.1", 9000))
    c.sendall(b"\x00" + string("ClickHouse client") + varint(24) + varint(8) + varint(revision)
              + string("default") + string("default") + string("secret"))
    c.recv(4096)
    c.sendall(string(""))
    time.sleep(0.1)
    c.close()
    t.join()

    def answer(request):
        return [("Content-Type", "text/tab-separated-values; charset=UTF-8"),
                ("X-ClickHouse-Server-Display-Name", "node1"),
                ("X-ClickHouse-Query-Id", "5f3c1c4e-8a4b-4a55-9b1e-0a7c3e2f1d00"),
                ("X-ClickHouse-Format", "TabSeparated"),
                ("X-ClickHouse-Timezone", "UTC"),
                ("X-ClickHouse-Summary", '{"read_rows":"1","read_bytes":"1","written_rows":"0","written_bytes":"0","total_rows_to_read":"0"}')], \
            b"1\n"
    post_once(8123, "SELECT 1", "text/plain", answer)


# ---- Lustre LNet over TCP (port 988): acceptor request, then the socket LND's V3 hellos

LOOPBACK = 0x7F000001
SOCKLND_NET = 2 << 16


def nid(addr):
    return struct.pack("<II", addr, SOCKLND_NET)


def ksock_hello(src, dst, incarnation, peer_incarnation):
    return struct.pack("<II", 0x45726963, 3) + nid(src) + nid(dst) + struct.pack("<IIQQII", 12345, 12345, incarnation,
                                                                                    peer_incarnation, 1, 0)


def lustre():
    def server(conn):
        req = recv_exactly(conn, 16)
        assert struct.unpack("<I", req[:4])[0] == 0xacce7100
        recv_exactly(conn, 56)
        conn.sendall(ksock_hello(LOOPBACK, LOOPBACK, 0x17AB00CD0123, 0x17AB00CD00EF))
        recv_exactly(conn, 96)
        time.sleep(0.2)
    t = serve_once(988, server)
    time.sleep(0.2)
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind(("127.0.0.1", 1023))  # the acceptor takes privileged source ports only by default
    c.connect(("127.0.0.1", 988))
    c.sendall(struct.pack("<II", 0xacce7100, 1) + nid(LOOPBACK))
    c.sendall(ksock_hello(LOOPBACK, LOOPBACK, 0x17AB00CD00EF, 0))
    recv_exactly(c, 56)
    # one LNet message (KSOCK_MSG_LNET 0xc1, no checksum, no zero-copy cookies): an LNET_MSG_GET header
    c.sendall(struct.pack("<IIQQ", 0xC1, 0, 0, 0) + nid(LOOPBACK) + nid(LOOPBACK) + struct.pack("<IIII", 12345, 12345, 2, 0)
              + struct.pack("<QQQIII", 0, 0, 0x1000, 4, 0, 1024) + bytes(4))
    time.sleep(0.1)
    c.close()
    t.join()


if __name__ == "__main__":
    capture("jsonrpc.pcap", "tcp port 4711 or tcp port 8545", jsonrpc_tcp)
    capture("clickhouse.pcap", "tcp port 9000 or tcp port 8123", clickhouse)
    capture("lustre.pcap", "tcp port 988", lustre)
    # the same connection as a capture that starts after the handshake: from the LNet message on
    subprocess.run(["editcap", "-r", os.path.join(HERE, "lustre.pcap"), os.path.join(HERE, "lustre-midstream.pcap"), "10-15"], check=True)
