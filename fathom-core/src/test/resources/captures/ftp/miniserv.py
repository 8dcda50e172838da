#!/usr/bin/env python3
"""Minimal server sides of FTP, POP3, IMAP and SMTP (RFC 959, 1939, 3501, 5321) for loopback
golden captures: one connection, bounded in time, replies as the RFCs describe."""
import socket, sys, threading

def serve(port, handler, conns=1):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', port)); s.listen(1); s.settimeout(10)
    for _ in range(conns):
        c, _ = s.accept(); c.settimeout(10)
        f = c.makefile('rwb', buffering=0)
        try:
            handler(c, f)
        except (OSError, ValueError):
            pass
        c.close()
    s.close()

def send(f, line):
    f.write(line.encode() + b'\r\n')

def ftp(c, f):
    send(f, '220 Fathom test FTP server ready')
    data = None
    while True:
        line = f.readline()
        if not line:
            return
        cmd, _, arg = line.decode().strip().partition(' ')
        cmd = cmd.upper()
        if cmd == 'USER': send(f, '331 Password required')
        elif cmd == 'PASS': send(f, '230 Logged in')
        elif cmd == 'SYST': send(f, '215 UNIX Type: L8')
        elif cmd == 'TYPE': send(f, '200 Type set')
        elif cmd == 'PWD': send(f, '257 "/" is the current directory')
        elif cmd in ('PASV', 'EPSV'):
            d = socket.socket(); d.bind(('127.0.0.1', 0)); d.listen(1); d.settimeout(10)
            p = d.getsockname()[1]
            if cmd == 'PASV': send(f, '227 Entering Passive Mode (127,0,0,1,%d,%d).' % (p // 256, p % 256))
            else: send(f, '229 Entering Extended Passive Mode (|||%d|)' % p)
            data = ('listen', d)
        elif cmd == 'PORT':
            n = [int(x) for x in arg.split(',')]
            data = ('connect', ('%d.%d.%d.%d' % tuple(n[:4]), n[4] * 256 + n[5])); send(f, '200 PORT command successful')
        elif cmd == 'EPRT':
            parts = arg.split(arg[0]); data = ('connect', (parts[2], int(parts[3]))); send(f, '200 EPRT command successful')
        elif cmd in ('LIST', 'NLST', 'RETR'):
            send(f, '150 Opening data connection')
            if data[0] == 'listen':
                ds, _ = data[1].accept(); data[1].close()
            else:
                ds = socket.create_connection(data[1], timeout=10)
            ds.sendall(b'-rw-r--r-- 1 ftp ftp 5 Jan 01 00:00 hello.txt\r\n' if cmd != 'RETR' else b'hello')
            ds.close(); data = None
            send(f, '226 Transfer complete')
        elif cmd == 'QUIT': send(f, '221 Goodbye'); return
        else: send(f, '502 Command not implemented')

def pop3(c, f):
    send(f, '+OK Fathom test POP3 server ready')
    while True:
        line = f.readline()
        if not line:
            return
        cmd = line.decode().strip().split(' ')[0].upper()
        if cmd == 'CAPA': send(f, '+OK Capability list follows'); send(f, 'USER'); send(f, 'UIDL'); send(f, '.')
        elif cmd in ('USER', 'PASS'): send(f, '+OK')
        elif cmd == 'STAT': send(f, '+OK 1 5')
        elif cmd == 'LIST': send(f, '+OK 1 messages'); send(f, '1 5'); send(f, '.')
        elif cmd == 'RETR': send(f, '+OK 5 octets'); send(f, 'hello'); send(f, '.')
        elif cmd == 'QUIT': send(f, '+OK Bye'); return
        else: send(f, '-ERR unknown command')

def imap(c, f):
    send(f, '* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Fathom test IMAP server ready')
    while True:
        line = f.readline()
        if not line:
            return
        tag, _, rest = line.decode().strip().partition(' ')
        cmd = rest.split(' ')[0].upper()
        if cmd == 'CAPABILITY':
            send(f, '* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED'); send(f, tag + ' OK CAPABILITY completed')
        elif cmd == 'STARTTLS':
            send(f, tag + ' OK Begin TLS negotiation now'); return  # the test ends where TLS would begin
        elif cmd == 'LOGOUT': send(f, '* BYE'); send(f, tag + ' OK LOGOUT completed'); return
        else: send(f, tag + ' BAD unknown command')

def smtp(c, f):
    send(f, '220 fathom.test ESMTP Fathom test server')
    indata = False
    while True:
        line = f.readline()
        if not line:
            return
        s = line.decode().rstrip('\r\n')
        if indata:
            if s == '.':
                indata = False; send(f, '250 OK queued')
            continue
        cmd = s.split(' ')[0].upper()
        if cmd == 'EHLO': send(f, '250-fathom.test'); send(f, '250-AUTH PLAIN LOGIN'); send(f, '250-STARTTLS'); send(f, '250 8BITMIME')
        elif cmd == 'HELO': send(f, '250 fathom.test')
        elif cmd == 'AUTH': send(f, '235 2.7.0 Authentication successful')
        elif cmd in ('MAIL', 'RCPT', 'RSET', 'NOOP'): send(f, '250 OK')
        elif cmd == 'DATA': send(f, '354 End data with <CR><LF>.<CR><LF>'); indata = True
        elif cmd == 'STARTTLS': send(f, '220 Ready to start TLS'); return  # the test ends where TLS would begin
        elif cmd == 'QUIT': send(f, '221 Bye'); return
        else: send(f, '502 unknown command')

if __name__ == '__main__':
    kind, port = sys.argv[1], int(sys.argv[2])
    conns = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    serve(port, {'ftp': ftp, 'pop3': pop3, 'imap': imap, 'smtp': smtp}[kind], conns)
