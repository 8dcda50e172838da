package org.fathom.protocol.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.hex;

import java.util.List;
import org.fathom.protocol.Risk;
import org.fathom.protocol.database.CassandraDissector;
import org.fathom.protocol.database.MemcachedDissector;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Tail;
import org.junit.jupiter.api.Test;

class QueueDissectorsTest {
    @Test
    void mqttConnectMetadata() {
        Drive.Outcome o = Tail.run("mqtt 3.1.1 connect");
        assertThat(o.meta()).containsEntry("mqtt.version", "3.1.1").containsEntry("mqtt.user", "user")
                .containsEntry("mqtt.keep_alive", 60L).containsEntry("mqtt.connack_code", 0L);
        assertThat(o.risks()).containsExactly(Risk.CLEARTEXT_CREDENTIALS);
        assertThat(o.meta().toString()).doesNotContain("pass").doesNotContain("cid");
        assertThat(Tail.run("mqtt 5 connect").meta()).containsEntry("mqtt.version", "5.0");
        assertThat(Tail.run("mqtt 3.1 connect").meta()).containsEntry("mqtt.version", "3.1");
    }

    @Test
    void mqttMidSessionNeedsBothSides() {
        MqttDissector d = new MqttDissector();
        assertThat(Drive.run(d, TestFlow.tcp(40000, 1883), List.of(Msg.c(hex("C0 00")))).recognised()).isFalse();
        // a PUBLISH whose topic length runs past the packet is not MQTT (this is an LDAP bind)
        assertThat(Drive.run(d, TestFlow.tcp(40000, 1883), List.of(Msg.c(hex("30 0C 02 01 01 60 07 02 01 03 04 00 80 00")),
                Msg.s(hex("D0 00")))).recognised()).isFalse();
        // wrong level for the protocol name
        assertThat(Drive.run(d, TestFlow.tcp(40000, 1883), List.of(Msg.c(hex("10 0C 00 04 4D 51 54 54 03 02 00 3C 00 00")))).recognised())
                .isFalse();
    }

    @Test
    void textProtocolsMetadata() {
        assertThat(Tail.run("stomp connect").meta()).containsEntry("stomp.version", "1.2").containsEntry("stomp.server", "ActiveMQ/5.18");
        assertThat(Tail.run("nats info").meta()).containsEntry("nats.server_version", "2.10.1");
        assertThat(Tail.run("fix logon").meta()).containsEntry("fix.version", "FIX.4.4");
        assertThat(Tail.run("memcached text set").meta()).containsEntry("memcached.command", "set");
        assertThat(Tail.run("amqp 0-9-1 header").meta()).containsEntry("amqp.version", "0-9-1");
        assertThat(Tail.run("amqp 1.0 sasl header").meta()).containsEntry("amqp.version", "1.0");
    }

    @Test
    void hostsFromGatewayProtocols() {
        Drive.Outcome fcgi = Tail.run("fastcgi begin request");
        assertThat(fcgi.host()).isEqualTo("example.org");
        assertThat(fcgi.meta()).containsEntry("fastcgi.host", "example.org");
        Drive.Outcome ajp = Tail.run("ajp forward request");
        assertThat(ajp.host()).isEqualTo("www.example.org");
        assertThat(ajp.meta()).containsEntry("ajp.method", "GET").containsEntry("ajp.server_name", "www.example.org");
        assertThat(ajp.meta().toString()).doesNotContain("192.0.2.1");
    }

    @Test
    void binaryProtocolsMetadata() {
        Drive.Outcome smpp = Tail.run("smpp bind transceiver");
        assertThat(smpp.meta()).containsEntry("smpp.version", "3.4").containsEntry("smpp.user", "sysid");
        assertThat(smpp.risks()).containsExactly(Risk.CLEARTEXT_CREDENTIALS);
        assertThat(smpp.meta().toString()).doesNotContain("secret");
        assertThat(Tail.run("diameter cer").meta()).containsEntry("diameter.command", "capabilities_exchange");
        assertThat(Tail.run("thrift binary call").meta()).containsEntry("thrift.method", "ping");
        assertThat(Tail.run("thrift compact emitBatch").meta()).containsEntry("thrift.method", "emitBatch");
        assertThat(Tail.run("cassandra startup").meta()).containsEntry("cassandra.protocol_version", 4L);
        assertThat(Tail.run("gearman submit job").meta()).containsEntry("gearman.packet_type", 7L);
    }

    @Test
    void weakOpeningsStayOnTheirPorts() {
        byte[] options = hex("04 00 0000 05 00000000");
        assertThat(Drive.run(new CassandraDissector(), TestFlow.tcp(40000, 19042), List.of(Msg.c(options))).recognised()).isFalse();
        byte[] get = "get k\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(Drive.run(new MemcachedDissector(), TestFlow.tcp(40000, 11311), List.of(Msg.c(get))).recognised()).isFalse();
        // FTP's and POP3's one-argument USER is not memcached either
        assertThat(Drive.run(new MemcachedDissector(), TestFlow.tcp(40000, 11211),
                List.of(Msg.c("USER anonymous\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))).recognised()).isFalse();
    }
}
