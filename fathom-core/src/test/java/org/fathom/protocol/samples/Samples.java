package org.fathom.protocol.samples;

import static org.fathom.protocol.samples.Hex.ascii;
import static org.fathom.protocol.samples.Hex.cat;
import static org.fathom.protocol.samples.Hex.fill;
import static org.fathom.protocol.samples.Hex.hex;
import static org.fathom.protocol.samples.Hex.u16;
import static org.fathom.protocol.samples.Hex.u16le;
import static org.fathom.protocol.samples.Hex.u24;
import static org.fathom.protocol.samples.Hex.u32;
import static org.fathom.protocol.samples.Hex.u32le;
import static org.fathom.protocol.samples.Hex.u64le;
import static org.fathom.protocol.samples.Hex.u8;
import static org.fathom.protocol.samples.Hex.zeros;
import static org.fathom.protocol.samples.Msg.c;
import static org.fathom.protocol.samples.Msg.s;

import java.util.ArrayList;
import java.util.List;

/**
 * Example flows of every long-tail protocol, built by hand from the protocol specifications (the
 * field layouts cited in each dissector), plus first messages of other protocols that none of them
 * may claim.
 */
public final class Samples {
    private Samples() {}

    static final int TCP = 6;
    static final int UDP = 17;

    private static Sample tcp(String label, String expect, int sport, Msg... m) {
        return new Sample(label, expect, TCP, 50432, sport, List.of(m));
    }

    private static Sample udp(String label, String expect, int sport, Msg... m) {
        return new Sample(label, expect, UDP, 50433, sport, List.of(m));
    }

    /** CRC-16/DNP (poly 0x3D65 reflected, init 0, xorout 0xFFFF), little-endian on the wire. */
    public static byte[] dnpCrc(byte[] b) {
        int crc = 0;
        for (byte x : b) {
            crc ^= x & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA6BC : crc >>> 1;
            }
        }
        return u16le(~crc & 0xFFFF);
    }

    /** CRC-16/X.25 as HDLC sends it (least significant byte first). */
    public static byte[] x25(byte[] b) {
        int crc = 0xFFFF;
        for (byte x : b) {
            crc ^= x & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
            }
        }
        return u16le(~crc & 0xFFFF);
    }

    private static byte[] mqttString(String s) {
        return cat(u16(s.length()), ascii(s));
    }

    private static byte[] ajpString(String s) {
        return cat(u16(s.length()), ascii(s), u8(0));
    }

    public static List<Sample> all() {
        List<Sample> l = new ArrayList<>();
        // ---- industrial
        l.add(tcp("modbus read holding registers", "Modbus", 502,
                c(hex("0001 0000 0006 01 03 0000 000A")), s(cat(hex("0001 0000 0017 01 03 14"), zeros(20)))));
        l.add(tcp("modbus umas", "Modbus", 502, c(hex("0002 0000 0004 00 5A 00 02"))));
        byte[] dnpHdr = hex("05 64 05 C9 01 00 00 04");
        l.add(tcp("dnp3 link status", "DNP3", 20000, c(cat(dnpHdr, dnpCrc(dnpHdr)))));
        l.add(udp("dnp3 over udp elsewhere", "DNP3", 40000, c(cat(dnpHdr, dnpCrc(dnpHdr)))));
        l.add(tcp("iec104 startdt", "IEC60870", 2404, c(hex("68 04 07 00 00 00")), s(hex("68 04 0B 00 00 00"))));
        l.add(tcp("iec104 interrogation", "IEC60870", 2404, c(hex("68 0E 00 00 00 00 64 01 06 00 01 00 00 00 00 14"))));
        l.add(tcp("iec104 off port", "IEC60870", 12404, c(hex("68 04 07 00 00 00 68 04 43 00 00 00"))));
        l.add(udp("bacnet who-is", "BACnet", 47808, c(hex("81 0B 00 0C 01 20 FF FF 00 FF 10 08"))));
        byte[] cr = hex("03 00 00 16 11 E0 00 00 00 01 00 C0 01 0A C1 02 01 00 C2 02 01 02");
        byte[] cc = hex("03 00 00 16 11 D0 00 01 00 01 00 C0 01 0A C1 02 01 00 C2 02 01 02");
        l.add(tcp("s7comm setup", "S7Comm", 102, c(cr), s(cc),
                c(hex("03 00 00 19 02 F0 80 32 01 00 00 00 00 00 08 00 00 F0 00 00 01 00 01 01 E0"))));
        l.add(tcp("s7comm-plus", "S7CommPlus", 102, c(cr), s(cc), c(cat(hex("03 00 00 1F 02 F0 80 72 01 00 10"), zeros(20)))));
        byte[] mmsBody = cat(hex("0D 20 05 06 13 01 00 16 01 02 14 02 00 02 33 02 00 01 34 02 00 01 C1 0A 31 08 A0 06 06 05 28 CA 22 02 01"));
        l.add(tcp("iso mms connect", "ISO9506-1-MMS", 102, c(cr), s(cc),
                c(cat(hex("03 00"), u16(7 + mmsBody.length), hex("02 F0 80"), mmsBody))));
        l.add(tcp("enip register session", "EthernetIP", 44818,
                c(cat(hex("65 00 04 00"), zeros(4), zeros(4), zeros(8), zeros(4), hex("01 00 00 00")))));
        l.add(udp("enip list identity", "EthernetIP", 44818, c(cat(hex("63 00 00 00"), zeros(20)))));
        l.add(tcp("hart-ip session initiate", "HART-IP", 5094, c(hex("01 00 00 00 00 01 00 0D 01 00 00 EA 60"))));
        l.add(udp("hart-ip udp keep alive", "HART-IP", 20004, c(hex("01 00 02 00 00 07 00 08"))));
        l.add(udp("knxnet/ip search", "KNXnet_IP", 3671, c(hex("06 10 02 01 00 0E 08 01 C0 A8 00 0A 0E 57"))));
        byte[] aarq = hex("60 0B A1 09 06 07 60 85 74 05 08 01 01");
        l.add(udp("dlms wrapper aarq", "IEC62056", 4059, c(cat(hex("00 01 00 10 00 01"), u16(aarq.length), aarq))));
        l.add(tcp("dlms wrapper tcp", "IEC62056", 4059, c(cat(hex("00 01 00 10 00 01"), u16(aarq.length), aarq))));
        byte[] snrm = hex("A0 07 03 21 93");
        l.add(tcp("dlms hdlc snrm", "IEC62056", 4061, c(cat(hex("7E"), snrm, x25(snrm), hex("7E")))));
        String url = "opc.tcp://plc.example:4840/ua";
        l.add(tcp("opc-ua hello", "OPC-UA", 4840, c(cat(ascii("HELF"), u32le(32 + url.length()), u32le(0), u32le(65536),
                u32le(65536), u32le(0), u32le(0), u32le(url.length()), ascii(url)))));
        l.add(tcp("beckhoff ads read device info", "BeckhoffADS", 48898, c(cat(hex("00 00"), u32le(32),
                hex("C0 A8 00 0A 01 01"), u16le(851), hex("C0 A8 00 14 01 01"), u16le(32905), u16le(1), u16le(4), u32le(0),
                u32le(0), u32le(1)))));
        l.add(tcp("hislip initialize", "HiSLIP", 4880, c(cat(ascii("HS"), hex("00 00"), hex("01 00"), ascii("XY"),
                zeros(4), u32(7), ascii("hislip0")))));
        // ---- messaging
        byte[] connectBody = cat(mqttString("MQTT"), hex("04 C2 00 3C"), mqttString("cid"), mqttString("user"), mqttString("pass"));
        l.add(tcp("mqtt 3.1.1 connect", "MQTT", 1883, c(cat(hex("10"), u8(connectBody.length), connectBody)), s(hex("20 02 00 00"))));
        byte[] v5 = cat(mqttString("MQTT"), hex("05 02 00 3C 00"), mqttString("cid"));
        l.add(tcp("mqtt 5 connect", "MQTT", 1883, c(cat(hex("10"), u8(v5.length), v5)), s(hex("20 03 00 00 00"))));
        byte[] v3 = cat(mqttString("MQIsdp"), hex("03 02 00 3C"), mqttString("cid"));
        l.add(tcp("mqtt 3.1 connect", "MQTT", 41883, c(cat(hex("10"), u8(v3.length), v3))));
        l.add(tcp("mqtt mid-session ping", "MQTT", 17501, c(hex("C0 00")), s(hex("D0 00"))));
        byte[] pub = cat(mqttString("sensors/temp"), ascii("21.5"));
        l.add(tcp("mqtt mid-session publish", "MQTT", 1883, c(cat(hex("30"), u8(pub.length), pub)), s(hex("D0 00"))));
        l.add(tcp("amqp 0-9-1 header", "AMQP", 5672, c(ascii("AMQP\0\0\u0009\u0001"))));
        l.add(tcp("amqp 1.0 sasl header", "AMQP", 5672, c(ascii("AMQP\u0003\u0001\0\0"))));
        l.add(tcp("amqp mid-stream publish", "AMQP", 5672,
                c(cat(hex("01 0001 0000000E 003C 0028 0000 00 05"), ascii("hello"), hex("00 CE")))));
        l.add(tcp("stomp connect", "STOMP", 61613, c(ascii("CONNECT\naccept-version:1.2\nhost:broker.example\n\n\0")),
                s(ascii("CONNECTED\nversion:1.2\nserver:ActiveMQ/5.18\n\n\0"))));
        l.add(tcp("nats info", "Nats", 4222, s(ascii("INFO {\"server_id\":\"NABC\",\"version\":\"2.10.1\",\"go\":\"go1.21\",\"port\":4222}\r\n")),
                c(ascii("CONNECT {\"verbose\":false,\"pedantic\":false,\"lang\":\"go\",\"protocol\":1}\r\n"))));
        l.add(tcp("memcached text set", "Memcached", 11211, c(ascii("set k 0 0 5\r\nhello\r\n")), s(ascii("STORED\r\n"))));
        l.add(tcp("memcached binary get", "Memcached", 11211,
                c(cat(hex("80 00 0001 00 00 0000"), u32(1), u32(0), zeros(8), ascii("k")))));
        l.add(udp("memcached udp get", "Memcached", 11211, c(cat(hex("0001 0000 0001 0000"), ascii("get k\r\n")))));
        l.add(tcp("cassandra options", "Cassandra", 9042, c(hex("04 00 0000 05 00000000"))));
        byte[] startup = cat(u16(1), u16(11), ascii("CQL_VERSION"), u16(5), ascii("3.0.0"));
        l.add(tcp("cassandra startup", "Cassandra", 19042, c(cat(hex("04 00 0001 01"), u32(startup.length), startup))));
        l.add(tcp("elasticsearch handshake", "Elasticsearch", 9300,
                c(cat(ascii("ES"), u32(30), u32(0), u32(1), hex("08"), u32(7170099), zeros(13)))));
        l.add(tcp("gearman submit job", "Gearman", 4730, c(cat(ascii("\0REQ"), u32(7), u32(13), ascii("reverse\0\0test")))));
        l.add(tcp("thrift binary call", "Thrift", 9090, c(cat(hex("80 01 00 01"), u32(4), ascii("ping"), u32(1), hex("00")))));
        l.add(tcp("thrift framed call", "Thrift", 9090, c(cat(u32(17), hex("80 01 00 01"), u32(4), ascii("ping"), u32(1), hex("00")))));
        l.add(udp("thrift compact emitBatch", "Thrift", 6831, c(cat(hex("82 21 01 09"), ascii("emitBatch"), hex("1C 00")))));
        byte[] params = cat(hex("09 0B"), ascii("HTTP_HOST"), ascii("example.org"));
        l.add(tcp("fastcgi begin request", "FastCGI", 9000, c(cat(hex("01 01 0001 0008 00 00 0001 00 0000000000"),
                hex("01 04 0001"), u16(params.length), hex("00 00"), params))));
        byte[] fwd = cat(hex("02 02"), ajpString("HTTP/1.1"), ajpString("/index.jsp"), ajpString("192.0.2.1"),
                ajpString("client"), ajpString("www.example.org"), u16(80), hex("00 0000 FF"));
        l.add(tcp("ajp forward request", "AJP", 8009, c(cat(hex("12 34"), u16(fwd.length), fwd))));
        l.add(tcp("ajp cping", "AJP", 8009, c(hex("12 34 00 01 0A"))));
        byte[] bind = cat(ascii("sysid\0secret\0cp\0"), hex("34 00 00 00"));
        l.add(tcp("smpp bind transceiver", "SMPP", 2775, c(cat(u32(16 + bind.length), u32(9), u32(0), u32(1), bind))));
        l.add(tcp("fix logon", "FIX", 4000, c(ascii("8=FIX.4.4\u00019=65\u000135=A\u000134=1\u000149=CLIENT\u000156=SERVER\u000198=0\u0001108=30\u000110=123\u0001"))));
        byte[] avp = cat(u32(264), hex("40"), u24(15), ascii("hss.ex1"), zeros(1));
        l.add(tcp("diameter cer", "Diameter", 3868, c(cat(hex("01"), u24(20 + avp.length), hex("80"), u24(257), u32(0), u32(1), u32(2), avp))));
        // ---- chat
        l.add(tcp("xmpp client stream", "Jabber", 5222,
                c(ascii("<?xml version='1.0'?><stream:stream to='jabber.example.org' xmlns='jabber:client' "
                        + "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")),
                s(ascii("<?xml version='1.0'?><stream:stream from='jabber.example.org' id='x1' xmlns='jabber:client' "
                        + "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"))));
        l.add(tcp("irc registration", "IRC", 6667, c(ascii("NICK alice\r\nUSER alice 0 * :Alice\r\n")),
                s(ascii(":irc.example.net NOTICE * :*** Looking up your hostname\r\n"))));
        l.add(tcp("irc server first", "IRC", 8000, s(ascii(":irc.example.net NOTICE * :*** Looking up your hostname\r\n"))));
        l.add(tcp("irc with pass", "IRC", 6667, c(ascii("PASS secret\r\nNICK alice\r\n"))));
        l.add(tcp("whatsapp noise with routing", "WhatsApp", 5222, c(hex("45 44 00 01")), c(cat(u24(4), hex("08 09 08 02"))),
                c(hex("57 41 06 03")), c(cat(u24(48), hex("12 2E"), fill(46, 0x41)))));
        l.add(tcp("whatsapp noise", "WhatsApp", 443, c(cat(hex("57 41 05 02"), u24(36), hex("12 22"), fill(34, 0x42)))));
        l.add(udp("discord ip discovery", "Discord", 50004, c(cat(hex("0001 0046 0000ACE3"), zeros(64), zeros(2))),
                s(cat(hex("0002 0046 0000ACE3"), ascii("203.0.113.7"), zeros(64 - 11), u16(50432)))));
        // ---- network operations
        l.add(udp("netflow v5", "NetFlow", 2055, c(cat(u16(5), u16(1), u32(1000), u32(1700000000), u32(0), u32(1), zeros(4),
                fill(48, 0x11)))));
        l.add(udp("netflow v9 template", "NetFlow", 2055, c(cat(u16(9), u16(1), u32(1000), u32(1700000000), u32(1), u32(0),
                u16(0), u16(12), u16(256), u16(1), u16(8), u16(4)))));
        l.add(udp("ipfix template", "NetFlow", 4739, c(cat(u16(10), u16(28), u32(1700000000), u32(1), u32(0),
                u16(2), u16(12), u16(256), u16(1), u16(8), u16(4)))));
        l.add(udp("sflow v5 counters", "sFlow", 6343, c(cat(u32(5), u32(1), hex("C0000201"), u32(0), u32(1), u32(1000), u32(1),
                u32(2), u32(8), zeros(8)))));
        l.add(udp("collectd values", "collectd", 25826, c(cat(u16(0), u16(9), ascii("host\0"), u16(1), u16(12), zeros(8),
                u16(2), u16(8), ascii("cpu\0")))));
        l.add(udp("someip sd", "SOMEIP", 30490, c(cat(hex("FFFF 8100"), u32(20), hex("0000 0001 01 01 02 00"), hex("C0 000000"),
                u32(0), u32(0)))));
        l.add(udp("ptp sync", "PTPv2", 319, c(cat(hex("00 02 002C 00 00 0200"), zeros(8), zeros(4), fill(10, 0x11), hex("0001 00 00"),
                zeros(10)))));
        l.add(udp("bjnp discover", "BJNP", 8612, c(cat(ascii("BJNP"), hex("01 01 0000 0001 0000 00000000")))));
        l.add(udp("wsd probe", "WSD", 3702, c(ascii("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope "
                + "xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:wsd=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\">"
                + "<soap:Body><wsd:Probe/></soap:Body></soap:Envelope>"))));
        l.add(udp("nat-pmp address", "NAT-PMP", 5351, c(hex("00 00")), s(hex("00 80 0000 00001234 C0A80101"))));
        byte[] rs = hex("85 00 7B 3F 00 00 00 00");
        byte[] ip6 = cat(hex("60 00 00 00"), u16(rs.length), hex("3A FF"), hex("FE80 0000 0000 0000 8000 FFFF FFFF FFFD"),
                hex("FF02 0000 0000 0000 0000 0000 0000 0002"), rs);
        l.add(udp("teredo router solicitation", "Teredo", 3544, c(cat(hex("00 01 00 00"), fill(8, 0x5A), hex("00"), ip6))));
        l.add(udp("bfd control", "BFD", 3784, c(hex("20 40 03 18 00000001 00000000 000F4240 000F4240 00000000"))));
        l.add(udp("hsrp v1 hello", "HSRP", 1985, c(cat(hex("00 00 10 03 0A 64 01 00"), ascii("cisco\0\0\0"), hex("C0 A8 01 0A")))));
        l.add(udp("hsrp v2 ipv6", "HSRP", 2029, c(cat(hex("01 28 02 00 06 06 0001"), hex("00 00 0C 9F F0 01"), u32(100), u32(3000),
                u32(10000), hex("FE80 0000 0000 0000 0000 0CFF FE9F F001")))));
        l.add(tcp("openflow hello", "OpenFlow", 6653, c(hex("04 00 0010 00000001 0001 0008 00000010")), s(hex("04 00 0008 00000002"))));
        l.add(tcp("munin banner", "Munin", 4949, s(ascii("# munin node at node1.example\n"))));
        l.add(tcp("checkmk agent", "CHECKMK", 6556, s(ascii("<<<check_mk>>>\nVersion: 2.2.0\n"))));
        l.add(tcp("ceph msgr2", "Ceph", 3300, c(ascii("ceph v2\n")), s(ascii("ceph v2\n"))));
        l.add(udp("rx fileserver call", "RX", 7000, c(cat(u32(0x5F000001L), u32(0x1234), u32(1), u32(1), u32(1), hex("01 01 00 00 0000 0001"),
                u32(130)))));
        l.add(udp("kcp push", "KCP", 4000, c(cat(u32le(0x01020304), hex("51 00"), u16le(128), u32le(10), u32le(0), u32le(0), u32le(5),
                ascii("hello")))));
        byte[] ts = cat(hex("47 40 00 10"), fill(184, 0xFF));
        l.add(udp("mpeg-ts", "MPEG_TS", 1234, c(cat(ts, ts))));
        l.add(tcp("pptp start control", "PPTP", 1723, c(cat(u16(156), u16(1), u32(0x1A2B3C4DL), u16(1), u16(0), u16(0x0100), zeros(142)))));
        l.add(udp("bfcp floor request", "BFCP", 5070, c(hex("20 01 0001 00000001 0002 0003 04 04 0001"))));
        // Protocol Buffers in bare datagrams (encoding documentation): Timestamp{seconds, nanos}, a message
        // {1: "sensor", 2: 21.5 (double)}, {1: 7, 3: {1: 1}}, {1: 0.75f (float), 2: 3}
        l.add(udp("protobuf datagrams", "Protobuf", 1120, c(hex("08 C0EFC4BA06 10 95 9A EF 3A")), s(cat(hex("0A 06"), ascii("sensor"),
                hex("11 0000000000803540"))), c(hex("08 07 1A 02 08 01")), s(hex("0D 0000403F 10 03"))));
        l.add(udp("zug consensus datagram", "ZUG", 19000, c(cat(u16(122), hex("5547 10"), fill(117, 0xAE)))));
        // netcode.io (STANDARD.md): the 1.02 connection request in clear, 1078 bytes
        l.add(udp("yojimbo connection request", "Yojimbo", 40000, c(org.fathom.protocol.yojimbo.Netcode.request(true))));
        // netcode.io mid-flow: response (client, type 3) and keep-alive (server, type 4), encrypted
        l.add(udp("yojimbo response and keep-alive", "Yojimbo", 40000, c(org.fathom.protocol.yojimbo.Netcode.packet(3, 7, 308)),
                s(org.fathom.protocol.yojimbo.Netcode.packet(4, 1, 8)), c(org.fathom.protocol.yojimbo.Netcode.packet(5, 8, 40))));
        // Armagetron Advanced (packet-armagetronad.c): descriptor, message id, length in words, data; sender id last
        l.add(udp("armagetron login2 and accept", "Armagetron", 4534, c(hex("000b 0000 0004 0008 0000 2000 0000 0000")),
                s(hex("0005 0001 0004 0001 0000 0014 0000 0001 0000 0001 0000"))));
        l.add(udp("armagetron server browser", "Armagetron", 4534, c(hex("0034 0000 0000 0000")),
                s(hex("0032 0000 0008 11b6 0000 000a 3031 2e32 2e33 2e34 0000 0000"))));
        // NOE in UA/UDP (packet-uaudp.c, packet-ua.c, packet-noe.c): connect with parameters, data carrying NOE both ways
        l.add(udp("noe uaudp connect", "NOE", 32000, c(hex("00 000101 010108 020205dc 05011e")), s(hex("01 000101 010108"))));
        l.add(udp("noe uaudp data", "NOE", 42000, c(hex("07 0000 0001 0500 15 03 00 01 02")), s(hex("07 0002 0001 0300 15 83 00"))));
        // canonical/raft over TCP (uv_tcp_connect.c, uv_encoding.c): handshake then RequestVote; one-way connection
        l.add(tcp("raft handshake and request vote", "Raft", 9001, c(org.fathom.protocol.raft.RaftWire.handshake(2, "10.0.0.2:9001")),
                c(org.fathom.protocol.raft.RaftWire.requestVote(5))));
        l.add(tcp("raft messages mid-flow", "Raft", 9001, c(cat(org.fathom.protocol.raft.RaftWire.appendEntriesResult(7),
                org.fathom.protocol.raft.RaftWire.appendEntriesResult(7)))));
        l.add(udp("ripe atlas reachability probe", "RipeAtlas", 38409, c(ascii("MGLNDD_192.0.2.7_38409"))));
        // HP_VIRTGRP's framing (type, 16-bit length with header): 0x16 opening, 0x17 answer, 0x30 records
        l.add(tcp("hp_virtgrp opening", "HP_VIRTGRP", 5223, c(cat(hex("16 0084 00"), fill(128, 0x5A))),
                s(cat(hex("17 0034 00"), fill(48, 0xA5))), c(cat(hex("30 0023"), fill(32, 0x3C)))));
        // WebSocket frames without their handshake (the corpus capture websocket.pcap): the server
        // unmasked, the client masked, two frames each way
        l.add(tcp("websocket frames mid-flow", "WebSocket", 12345, s(hex("8117 57656c636f6d652c203139322e3136382e34332e312021")),
                c(hex("818c e17e8eb9 951bfdcdc113ebca921fe9dc")), s(hex("8103 616263")), c(hex("818f b7cefd57 dfab913bd8ee8a32d5bd9234dcab89"))));
        // bare headers answered by an echo of their ids (the corpus capture bfcp.pcapng)
        l.add(tcp("bfcp bare query and status", "BFCP", 5070, c(hex("20 03 0001 00000001 0002 0504")), s(hex("20 04 0001 00000001 0002 0504"))));
        l.add(udp("bfcp bare query and status", "BFCP", 5070, c(hex("20 03 0001 00000001 0002 0504")), s(hex("20 04 0001 00000001 0002 0504"))));
        l.add(udp("dlep peer discovery", "DLEP", 854, c(cat(ascii("DLEP"), u16(1), u16(0)))));
        l.add(udp("caneth two frames", "Controller_Area_Network", 11898, c(cat(ascii("ISO11898"), hex("01 02"),
                u32le(0x123), fill(8, 0x11), hex("08 00 00"), u32le(0x124), fill(8, 0x22), hex("08 00 00")))));
        l.add(udp("capwap discovery request", "CAPWAP", 5246, c(cat(hex("00 10 02 00 00 00 00 00"), u32(1), hex("00"), u16(8),
                hex("00"), u16(20), u16(1), hex("00")))));
        l.add(udp("capwap dtls", "CAPWAP", 5246, c(cat(hex("01 00 00 00 16 FE FD 00 00"), fill(40, 0x01)))));
        byte[] pnioIface = hex("0100A0DE 976C D111 8271 00A02442DF7D");
        l.add(udp("dcerpc profinet io", "DCERPC", 34964, c(cat(hex("04 00 20 00 10 00 00 00"), zeros(16), pnioIface, fill(16, 0x33),
                u32le(1), u32le(1), u32le(0), u16le(0), u16le(0xFFFF), u16le(0xFFFF), u16le(20), u16le(0), hex("00 00"), fill(20, 0x01)))));
        byte[] epm = hex("0883AFE1 1F5D C911 91A4 08002B14A0FA");
        byte[] ndr = hex("045D888A EB1C C911 9FE8 08002B104860");
        l.add(tcp("dcerpc bind", "DCERPC", 135, c(cat(hex("05 00 0B 03 10 00 00 00"), u16le(72), u16le(0), u32le(1), u16le(4280),
                u16le(4280), u32le(0), hex("01 00 00 00"), u16le(0), hex("01 00"), epm, u32le(3), ndr, u32le(2)))));
        l.add(udp("egd production data", "EthernetGlobalData", 18246, c(cat(hex("0D 01 0001"), hex("C0A8084D"), u32le(123), u32le(1700000000),
                u32le(0), u32le(0), u32le(0), u32le(0), fill(16, 0x01)))));
        l.add(udp("ether-s-bus read", "Ether-S-Bus", 5050, c(cat(u32(13), hex("01 00 0001 00 0A 20 53 18")))));
        l.add(udp("cnp-ip data packet", "CNP-IP", 1628, c(cat(u16(32), hex("01 01 00 00 0000"), u32(0x6B8B4567L), u32(0), u32(0),
                fill(12, 0x09)))));
        l.add(udp("cip class 1 io", "CIP", 2222, c(cat(u16le(2), u16le(0x8002), u16le(8), u32le(0x3A7B78), u32le(1), u16le(0x00B1),
                u16le(12), fill(12, 0x05)))));
        byte[] acse = cat(hex("A2 0F 06 0D 60 7C 86 F7 54 01 16 00 01 01 40 CE 11"), hex("A6 0E 06 0C 60 7C 86 F7 54 01 16 00 01 01 40 21"));
        l.add(udp("c12.22 association", "ANSI_C1222", 1153, c(cat(hex("60"), u8(acse.length), acse))));
        l.add(tcp("veeder-root inventory", "ATG", 10001, c(cat(hex("01"), ascii("I20100\r\n")))));
        l.add(tcp("afp dsi get status", "AFP", 548, c(cat(hex("00 03 0001"), u32(0), u32(0), u32(0)))));
        l.add(tcp("rsh command", "RSH", 514, c(ascii("1022\0")), c(ascii("alice\0alice\0uptime\0"))));
        l.add(tcp("java rmi", "JRMI", 1099, c(cat(ascii("JRMI"), hex("0002 4B")))));
        byte[] greeting = cat(hex("FF 0000000000000001 7F 03 00"), ascii("NULL"), zeros(16), hex("00"), zeros(31));
        l.add(tcp("zmtp 3.0 greeting", "ZeroMQ", 5555, c(greeting), s(greeting)));
        // ---- telephony
        l.add(udp("mgcp rqnt", "MGCP", 2427, c(ascii("RQNT 1201 aaln/1@rgw-2567.whatever.net MGCP 1.0\r\nN: ca@ca1.whatever.net:5678\r\n"
                + "X: 0123456789AC\r\nR: l/hd(N)\r\n")), s(ascii("200 1201 OK\r\n"))));
        l.add(udp("megaco service change", "Megaco", 2944, c(ascii("MEGACO/1 [123.123.123.4]:55555\nTransaction = 9998 {\n"
                + "  Context = - {\n   ServiceChange = ROOT {Services {Method=Restart, ServiceChangeAddress=55555, Profile=ResGW/1}}}}\n"))));
        l.add(tcp("skinny register", "CiscoSkinny", 2000, c(cat(u32le(40), u32le(0), u32le(1), ascii("SEP001122334455\0"), zeros(20)))));
        // ---- games
        l.add(udp("source engine a2s_info", "Source_Engine", 27015, c(cat(hex("FFFFFFFF 54"), ascii("Source Engine Query\0"))),
                s(cat(hex("FFFFFFFF 41"), hex("0A0B0C0D")))));
        l.add(udp("raknet unconnected ping", "RakNet", 19132, c(cat(hex("01"), zeros(8), hex("00FFFF00FEFEFEFEFDFDFDFD12345678"),
                fill(8, 0x22)))));
        l.add(udp("teamspeak init", "TeamSpeak", 9987, c(cat(ascii("TS3INIT1"), hex("0065 0000 88 01"), fill(20, 0x33)))));
        l.add(udp("steam discovery", "Steam", 27036, c(cat(hex("FFFFFFFF 214C5FA0"), u32le(8), fill(8, 0x08), u32le(4), fill(4, 0x10)))));
        l.add(udp("source engine connect challenge", "HalfLife2", 27015, c(cat(hex("FFFFFFFF 71 0BAD1DEA"), ascii("0000000000\0"))),
                s(cat(hex("FFFFFFFF 41"), u32le(0x5A4F4933L), u32le(0x1234567L), hex("0BAD1DEA"), u32le(3), zeros(10), hex("01"),
                        ascii("000000\0")))));
        l.add(udp("cryengine network opening", "CryNetwork", 25383, c(cat(u8(60), hex("0000 08ED"), zeros(11), u32le(1), u32le(7),
                hex("0307"), zeros(3), hex("04"), zeros(7), hex("04"), fill(32, 0x47)))));
        l.add(udp("wild rift probe", "LoLWildRift", 18001, c(cat(hex("0102C841 00000001 0001 000000 1E 0004 0004"), ascii("A0B1")))));
        l.add(udp("wild rift handshake", "LoLWildRift", 15007, c(cat(hex("04000000"), fill(65, 0x3A))), s(cat(hex("10000000"), fill(355, 0x5B)))));
        l.add(udp("heroes of the storm datagrams", "Heroes_of_the_Storm", 3724, c(cat(hex("E65D3400"), fill(10, 0x97), hex("4000"), fill(8, 0x1A))),
                c(cat(hex("E65D3400"), fill(10, 0x2F), hex("4000"), fill(4, 0x1B)))));
        l.add(udp("imo call", "IMO", 57604, c(hex("07")), s(hex("76")), s(cat(hex("6A 0D 0000"), fill(103, 0x9A))),
                c(hex("0902 DC9A020000000000"))));
        byte[] wow = cat(ascii("WoW\0"), hex("01 0C 01 F316"), ascii("68x\0niW\0SUne"), zeros(4), hex("7F000001"), hex("04"), ascii("ACCT"));
        l.add(tcp("wow logon challenge", "WorldOfWarcraft", 3724, c(cat(hex("00 08"), u16le(wow.length), wow))));
        // ---- peer to peer
        l.add(tcp("edonkey hello", "eDonkey", 4662, c(cat(hex("E3"), u32le(28), hex("01 10"), fill(16, 0x77), hex("7F000001"), u16le(4662),
                u32le(0)))));
        l.add(tcp("monero handshake", "Monero", 18080, c(cat(hex("0121010101010101"), u64le(10), hex("01"), u32le(1001), u32le(0),
                u32le(1), u32le(1), fill(10, 0x01)))));
        l.add(tcp("bitcoin version", "BITCOIN", 8333, c(cat(hex("F9BEB4D9"), ascii("version\0\0\0\0\0"), u32le(100), hex("01020304"),
                fill(100, 0x01)))));
        l.add(tcp("stratum subscribe", "Mining", 3333, c(ascii("{\"id\": 1, \"method\": \"mining.subscribe\", \"params\": [\"cgminer/4.10\"]}\n"))));
        l.add(udp("dropbox lan sync", "Dropbox", 17500, c(ascii("{\"host_int\": 123456789, \"version\": [2, 0], \"displayname\": \"\", "
                + "\"port\": 17500, \"namespaces\": [1, 2]}"))));
        l.add(udp("spotify lan", "Spotify", 57621, c(cat(ascii("SpotUdp0"), fill(32, 0x30)))));
        l.add(udp("syncthing local discovery", "Syncthing", 21027, c(cat(hex("2EA7D90B"), hex("0A 20"), fill(32, 0x44)))));
        // JSON-RPC 2.0 (jsonrpc.org/specification, section 7's examples): newline-delimited over TCP,
        // a batch, and the Language Server Protocol's Content-Length framing
        l.add(tcp("json-rpc call and result", "JSON-RPC", 4711,
                c(ascii("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}\n")),
                s(ascii("{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 1}\n"))));
        l.add(tcp("json-rpc batch", "JSON-RPC", 4711, c(ascii("[{\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},"
                + "{\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]}]"))));
        l.add(tcp("json-rpc lsp framing", "JSON-RPC", 2087, c(ascii("Content-Length: 62\r\n\r\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}"))));
        // ClickHouse native protocol (docs "Native client packets"/"Native server packets"): both Hellos,
        // revision 54468 as the varint C4 A9 03
        l.add(tcp("clickhouse hellos", "ClickHouse", 9000, c(cat(hex("00 11"), ascii("ClickHouse client"), hex("18 08 C4A903 07"),
                ascii("default"), hex("07"), ascii("default"), hex("00"))),
                s(cat(hex("00 0A"), ascii("ClickHouse"), hex("18 08 C4A903 03"), ascii("UTC"), hex("05"), ascii("node1"), hex("03")))));
        // LNet over TCP (lnet-idl.h): the acceptor's request for 10.0.0.2@tcp then the V3 hello, little-endian;
        // the server's hello back; and a big-endian acceptor request
        byte[] clientNid = cat(u32le(0x0A000001L), u32le(0x00020000L));
        byte[] serverNid = cat(u32le(0x0A000002L), u32le(0x00020000L));
        l.add(tcp("lustre acceptor and hellos", "Lustre", 988,
                c(cat(u32le(0xacce7100L), u32le(1), serverNid, u32le(0x45726963L), u32le(3), clientNid, serverNid, u32le(12345),
                        u32le(12345), u64le(0x17AB00CD00EFL), u64le(0), u32le(1), u32le(0))),
                s(cat(u32le(0x45726963L), u32le(3), serverNid, clientNid, u32le(12345), u32le(12345), u64le(0x17AB00CD0123L),
                        u64le(0x17AB00CD00EFL), u32le(1), u32le(0)))));
        l.add(tcp("lustre acceptor big-endian", "Lustre", 988, c(cat(u32(0xacce7100L), u32(1), u32(0x00020000L), u32(0x0A000002L)))));
        return l;
    }

    /** First messages of protocols outside this section; none of the long-tail dissectors may claim them. */
    /** The protocols a {@link #foreign} sample belongs to (whose dissectors rightly take it). */
    public static java.util.Set<String> owners(Sample s) {
        return switch (s.label()) {
            case "http get", "http connect" -> java.util.Set.of("HTTP", "HTTP_Proxy");
            case "tls client hello" -> java.util.Set.of("TLS", "IMAPS", "POPS", "SMTPS");
            case "ssh banner" -> java.util.Set.of("SSH");
            case "smtp" -> java.util.Set.of("SMTP");
            case "ftp user" -> java.util.Set.of("FTP_CONTROL");
            case "pop3 user mid-stream" -> java.util.Set.of("POP3");
            case "ldap bind" -> java.util.Set.of("LDAP");
            case "rdp cookie" -> java.util.Set.of("RDP");
            case "redis ping" -> java.util.Set.of("RESP");
            case "postgres startup" -> java.util.Set.of("PostgreSQL");
            case "bittorrent handshake" -> java.util.Set.of("BitTorrent");
            case "dns query" -> java.util.Set.of("DNS", "MDNS", "LLMNR");
            case "sip options" -> java.util.Set.of("SIP");
            case "rtp" -> java.util.Set.of("RTP");
            case "stun binding" -> java.util.Set.of("STUN");
            case "ntp" -> java.util.Set.of("NTP");
            case "quic initial" -> java.util.Set.of("QUIC");
            default -> java.util.Set.of();
        };
    }

    public static List<Sample> foreign() {
        List<Sample> l = new ArrayList<>();
        l.add(udp("bfcp-like bare headers, ids not echoed", null, 5070, c(hex("20 03 0001 00000001 0002 0504")), s(hex("20 04 0001 00000001 0003 0504"))));
        l.add(udp("bfcp-like bare headers, same primitive", null, 5070, c(hex("20 03 0001 00000001 0002 0504")), s(hex("20 03 0001 00000001 0002 0504"))));
        l.add(tcp("http get", null, 80, c(ascii("GET / HTTP/1.1\r\nHost: example.org\r\nUser-Agent: x\r\n\r\n"))));
        l.add(tcp("http connect", null, 8080, c(ascii("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org\r\n\r\n"))));
        l.add(tcp("tls client hello", null, 443, c(cat(hex("16 03 01 00 F0 01 00 00 EC 03 03"), fill(32, 0x11), hex("00"), fill(200, 0x01)))));
        l.add(tcp("ssh banner", null, 22, c(ascii("SSH-2.0-OpenSSH_9.6\r\n")), s(ascii("SSH-2.0-OpenSSH_9.2p1\r\n"))));
        l.add(tcp("smtp", null, 25, s(ascii("220 mail.example.org ESMTP Postfix\r\n")), c(ascii("EHLO client.example\r\n"))));
        l.add(tcp("ftp user", null, 21, s(ascii("220 FTP ready\r\n")), c(ascii("USER anonymous\r\n"))));
        l.add(tcp("pop3 user mid-stream", null, 110, c(ascii("USER alice\r\n"))));
        l.add(tcp("ldap bind", null, 389, c(hex("30 0C 02 01 01 60 07 02 01 03 04 00 80 00")), s(hex("30 0C 02 01 01 61 07 0A 01 00 04 00 04 00"))));
        l.add(tcp("rdp cookie", null, 3389, c(cat(hex("03 00 00 2B 26 E0 00 00 00 00 00"), ascii("Cookie: mstshash=user\r\n"), hex("01 00 08 00 03 00 00 00")))));
        l.add(tcp("redis ping", null, 6379, c(ascii("*1\r\n$4\r\nPING\r\n")), s(ascii("+PONG\r\n"))));
        l.add(tcp("postgres startup", null, 5432, c(cat(u32(41), u32(196608), ascii("user\0alice\0database\0db\0\0"), zeros(6)))));
        l.add(tcp("bittorrent handshake", null, 6881, c(cat(hex("13"), ascii("BitTorrent protocol"), zeros(8), fill(40, 0x55)))));
        l.add(tcp("zeros", null, 502, c(zeros(64))));
        l.add(tcp("text line", null, 6667, c(ascii("hello world, how are you today?\r\n"))));
        l.add(udp("dns query", null, 53, c(cat(hex("1234 0100 0001 0000 0000 0000"), ascii("\u0007example\u0003org\0"), hex("0001 0001")))));
        l.add(udp("sip options", null, 5060, c(ascii("OPTIONS sip:example.org SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1\r\nCall-ID: 1@x\r\n\r\n"))));
        l.add(udp("rtp", null, 16384, c(cat(hex("80 00 0001 000000A0 12345678"), fill(160, 0xD5)))));
        l.add(udp("stun binding", null, 3478, c(cat(hex("0001 0000 2112A442"), fill(12, 0x01)))));
        l.add(udp("ntp", null, 123, c(cat(hex("E3 00 06 EC"), zeros(44)))));
        l.add(udp("udp zeros", null, 47808, c(zeros(48))));
        l.add(udp("quic initial", null, 443, c(cat(hex("C3 00000001 08"), fill(8, 0x12), hex("00 00 44 D0"), fill(1200, 0x5A)))));
        return l;
    }
}
