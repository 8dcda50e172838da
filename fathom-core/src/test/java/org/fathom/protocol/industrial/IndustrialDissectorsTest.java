package org.fathom.protocol.industrial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.ascii;
import static org.fathom.protocol.samples.Hex.hex;

import java.util.List;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Tail;
import org.junit.jupiter.api.Test;

class IndustrialDissectorsTest {
    @Test
    void dnp3CrcMatchesTheCatalogueCheckValue() {
        byte[] check = ascii("123456789");
        assertThat(Dnp3Dissector.crc(check, 0, check.length)).isEqualTo(0xEA82);
    }

    @Test
    void hdlcFcsMatchesTheCatalogueCheckValue() {
        byte[] check = ascii("123456789");
        assertThat(DlmsDissector.crcX25(check, 0, check.length)).isEqualTo(0x906E);
        byte[] badFcs = hex("7E A0 07 03 21 93 00 00 7E");
        assertThat(Drive.run(new DlmsDissector(), TestFlow.tcp(40000, 4061), List.of(Msg.c(badFcs))).recognised()).isFalse();
    }

    @Test
    void dnp3RejectsABadHeaderCrc() {
        Drive.Outcome o = Drive.run(new Dnp3Dissector(), TestFlow.tcp(40000, 20000), List.of(Msg.c(hex("05 64 05 C9 01 00 00 04 00 00"))));
        assertThat(o.recognised()).isFalse();
        assertThat(Tail.run("dnp3 link status").meta()).containsEntry("dnp3.dst_address", 1L).containsEntry("dnp3.src_address", 1024L);
    }

    @Test
    void modbusMetadataAndUmas() {
        Drive.Outcome o = Tail.run("modbus read holding registers");
        assertThat(o.meta()).containsEntry("modbus.unit_id", 1L).containsEntry("modbus.function", "read_holding_registers");
        assertThat(Tail.run("modbus umas").application()).isEqualTo("UMAS");
    }

    @Test
    void modbusNeedsItsPortAndAValidFunction() {
        byte[] req = hex("0001 0000 0006 01 03 0000 000A");
        assertThat(Drive.run(new ModbusDissector(), TestFlow.tcp(40000, 5020), List.of(Msg.c(req))).recognised()).isFalse();
        byte[] badFunction = hex("0001 0000 0006 01 63 0000 000A");
        assertThat(Drive.run(new ModbusDissector(), TestFlow.tcp(40000, 502), List.of(Msg.c(badFunction))).recognised()).isFalse();
        byte[] exceptionResponse = hex("0001 0000 0003 01 83 02");
        Drive.Outcome o = Drive.run(new ModbusDissector(), TestFlow.tcp(40000, 502), List.of(Msg.c(req), Msg.s(exceptionResponse)));
        assertThat(o.meta()).containsEntry("modbus.exception_code", 2L);
    }

    @Test
    void iec104() {
        assertThat(Tail.run("iec104 interrogation").meta()).containsEntry("iec60870.type_id", 100L);
        // away from 2404 one APDU is not enough
        assertThat(Drive.run(new Iec104Dissector(), TestFlow.tcp(40000, 12404), List.of(Msg.c(hex("68 04 07 00 00 00")))).recognised()).isFalse();
        // a U frame with two function bits is not valid
        assertThat(Drive.run(new Iec104Dissector(), TestFlow.tcp(40000, 2404), List.of(Msg.c(hex("68 04 0F 00 00 00")))).recognised()).isFalse();
    }

    @Test
    void isoOnTcpFamilies() {
        assertThat(Tail.run("s7comm setup").protocol()).isEqualTo("S7Comm");
        assertThat(Tail.run("s7comm-plus").protocol()).isEqualTo("S7CommPlus");
        assertThat(Tail.run("iso mms connect").protocol()).isEqualTo("ISO9506-1-MMS");
    }

    @Test
    void metadata() {
        assertThat(Tail.run("opc-ua hello").meta()).containsEntry("opcua.endpoint_url", "opc.tcp://plc.example:4840/ua");
        assertThat(Tail.run("bacnet who-is").meta()).containsEntry("bacnet.bvlc_function", "original_broadcast_npdu");
        assertThat(Tail.run("enip register session").meta()).containsEntry("enip.command", "register_session");
        assertThat(Tail.run("knxnet/ip search").meta()).containsEntry("knxnet_ip.service", "search_request");
        assertThat(Tail.run("beckhoff ads read device info").meta()).containsEntry("ads.command", "read_device_info");
        assertThat(Tail.run("hart-ip session initiate").meta()).containsEntry("hart_ip.message_id", "session_initiate");
    }

    @Test
    void bacnetLengthMustMatchTheDatagram() {
        byte[] whoIs = hex("81 0B 00 0D 01 20 FF FF 00 FF 10 08");
        assertThat(Drive.run(new BacnetDissector(), TestFlow.udp(47808, 47808), List.of(Msg.c(whoIs))).recognised()).isFalse();
    }
}
