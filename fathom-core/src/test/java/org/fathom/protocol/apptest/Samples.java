package org.fathom.protocol.apptest;

import static org.fathom.protocol.apptest.Bytes.ascii;
import static org.fathom.protocol.apptest.Bytes.hex;

import java.util.LinkedHashMap;
import java.util.Map;

/** First payloads of common protocols (built from their specifications), for negative tests. */
public final class Samples {
    private Samples() {}

    public static Map<String, byte[]> tcp() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("HTTP", ascii("GET /index.html HTTP/1.1\r\nHost: example.org\r\nUser-Agent: test\r\n\r\n"));
        m.put("HTTP-response", ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        m.put("TLS", hex("16030100a5010000a10303" + "00".repeat(32) + "000004130113020100007400000010000e00000b6578616d706c652e6f7267"));
        m.put("SSH", ascii("SSH-2.0-OpenSSH_9.2\r\n"));
        m.put("DNS-TCP", hex("001d" + "1234010000010000000000000765786d706c6503636f6d0000010001"));
        m.put("SMTP-greeting", ascii("220 mail.example.org ESMTP ready\r\n"));
        m.put("FTP-greeting", ascii("220 ProFTPD Server ready\r\n"));
        m.put("POP3-greeting", ascii("+OK POP3 server ready\r\n"));
        m.put("IMAP-greeting", ascii("* OK IMAP4rev1 ready\r\n"));
        m.put("RTSP", ascii("OPTIONS rtsp://cam.example.org/stream RTSP/1.0\r\nCSeq: 1\r\n\r\n"));
        m.put("SIP-TCP", ascii("INVITE sip:bob@example.org SIP/2.0\r\nVia: SIP/2.0/TCP host\r\n\r\n"));
        m.put("BitTorrent", Bytes.cat(new byte[] {19}, ascii("BitTorrent protocol"), new byte[48]));
        m.put("zeros", new byte[64]);
        m.put("ones", Bytes.repeat(0xFF, 64));
        m.put("text", ascii("hello world, this is just some text\n"));
        return m;
    }

    public static Map<String, byte[]> udp() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("DNS", hex("1234010000010000000000000765786d706c6503636f6d0000010001"));
        m.put("NTP", hex("1b" + "00".repeat(47)));
        m.put("SSDP", ascii("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n\r\n"));
        m.put("STUN", hex("000100002112a442" + "0102030405060708090a0b0c"));
        m.put("QUIC", Bytes.cat(hex("c300000001088394c8f03e5157080000449e"), new byte[1200]));
        m.put("RTP", hex("8000000100000001123456780102030405060708090a0b0c0d0e0f10"));
        m.put("SIP", ascii("OPTIONS sip:bob@example.org SIP/2.0\r\nVia: SIP/2.0/UDP host\r\n\r\n"));
        m.put("zeros", new byte[64]);
        m.put("ones", Bytes.repeat(0xFF, 64));
        m.put("text", ascii("hello world, this is just some text\n"));
        return m;
    }
}
