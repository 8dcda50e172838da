package org.fathom.protocol.apptest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.fathom.protocol.samples.Golden;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The protocols of the reference list that the development corpus does not contain (issue 15):
 * JSON-RPC, ClickHouse and Lustre, in captures recorded on loopback by
 * captures/breadth5/record.py (see its README.md), labelled by the whole pipeline; and where tshark
 * decodes the protocol, tshark agreeing with what the capture holds.
 */
class UnseenProtocolsGoldenTest {
    private static Map<Integer, FlowRecord> byServerPort(String resource) throws Exception {
        Map<Integer, FlowRecord> m = new TreeMap<>();
        for (FlowRecord f : Golden.analyze(resource)) {
            m.put(f.dstPort(), f);
        }
        return m;
    }

    @Test
    void jsonRpcOverTcpAndHttp() throws Exception {
        Map<Integer, FlowRecord> flows = byServerPort("/captures/breadth5/jsonrpc.pcap");
        assertThat(flows).containsOnlyKeys(4711, 8545);
        assertThat(flows.get(4711).protocol()).isEqualTo("JSON-RPC");
        assertThat(flows.get(4711).category()).isEqualTo("RPC");
        assertThat(flows.get(4711).confidence()).isEqualTo("DPI");
        assertThat(flows.get(8545).protocol()).isEqualTo("HTTP");
        assertThat(flows.get(8545).application()).isEqualTo("JSON-RPC");
    }

    @Test
    void clickHouseNativeAndHttp() throws Exception {
        Map<Integer, FlowRecord> flows = byServerPort("/captures/breadth5/clickhouse.pcap");
        assertThat(flows).containsOnlyKeys(9000, 8123);
        FlowRecord nativ = flows.get(9000);
        assertThat(nativ.protocol()).isEqualTo("ClickHouse");
        assertThat(nativ.category()).isEqualTo("Database");
        assertThat(nativ.confidence()).isEqualTo("DPI");
        assertThat(nativ.risks()).contains("clear_text_credentials");
        assertThat(nativ.metadata().values().toString()).doesNotContain("secret").doesNotContain("default");
        assertThat(flows.get(8123).protocol()).isEqualTo("HTTP");
        assertThat(flows.get(8123).application()).isEqualTo("ClickHouse");
    }

    @Test
    void lustreAcceptorAndHellos() throws Exception {
        Map<Integer, FlowRecord> flows = byServerPort("/captures/breadth5/lustre.pcap");
        assertThat(flows).containsOnlyKeys(988);
        assertThat(flows.get(988).protocol()).isEqualTo("Lustre");
        assertThat(flows.get(988).category()).isEqualTo("DataTransfer");
        assertThat(flows.get(988).confidence()).isEqualTo("DPI");
    }

    @Test
    void lustreSeenAfterItsHandshake() throws Exception {
        // lustre.pcap from its LNet message on (editcap -r lustre.pcap lustre-midstream.pcap 10-15)
        Map<Integer, FlowRecord> flows = byServerPort("/captures/breadth5/lustre-midstream.pcap");
        assertThat(flows).containsOnlyKeys(988);
        assertThat(flows.get(988).protocol()).isEqualTo("Lustre");
        assertThat(flows.get(988).confidence()).isEqualTo("DPI");
    }

    @Test
    void tsharkAgrees() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tshark")), "tshark is not installed");
        // Wireshark's LNet dissector (port 988) decodes the LNet message that follows the hellos
        assertThat(protocols("/captures/breadth5/lustre.pcap")).anyMatch(p -> p.endsWith(":tcp:lnet"));
        assertThat(protocols("/captures/breadth5/lustre-midstream.pcap")).anyMatch(p -> p.endsWith(":tcp:lnet"));
        // the JSON-RPC body of the HTTP POST is JSON to Wireshark too
        assertThat(protocols("/captures/breadth5/jsonrpc.pcap")).anyMatch(p -> p.endsWith(":http:json"));
    }

    private static List<String> protocols(String resource) throws Exception {
        Path p = Path.of(UnseenProtocolsGoldenTest.class.getResource(resource).toURI());
        Process proc = new ProcessBuilder("/usr/bin/tshark", "-n", "-r", p.toString(), "-T", "fields", "-e", "frame.protocols")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = proc.getInputStream().readAllBytes();
        assertThat(proc.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).isZero();
        return new ArrayList<>(List.of(new String(out, StandardCharsets.UTF_8).split("\n")));
    }
}
