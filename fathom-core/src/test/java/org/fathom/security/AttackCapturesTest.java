package org.fathom.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.fathom.net.Addresses;
import org.fathom.record.AlertRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** hping3 floods and nmap scans recorded on loopback (see captures/attacks/README.md). */
class AttackCapturesTest {
    static Path capture(String name) throws Exception {
        return Path.of(AttackCapturesTest.class.getResource("/captures/attacks/" + name + ".pcap").toURI());
    }

    @ParameterizedTest
    @CsvSource({
            "syn-flood, syn_flood, 127.0.0.80, 80",
            "syn-flood-spoofed, syn_flood, 127.0.0.80, 80",
            "udp-flood, udp_flood, 127.0.0.80, 53",
            "udp-flood-spoofed, udp_flood, 127.0.0.80, 53",
            "icmp-flood, icmp_flood, 127.0.0.80, 0",
            "icmp-flood-spoofed, icmp_flood, 127.0.0.80, 0",
            "port-scan, port_scan, 127.0.0.80, 0",
            "host-scan, host_scan, 127.0.1.0, 22",
            "http-flood, http_flood, 127.0.0.80, 80",
            "http-flood-spoofed, http_flood, 127.0.0.80, 80",
    })
    void eachAttackIsReportedOnceWithinTwoSeconds(String file, String kind, String target, int port) throws Exception {
        List<AlertRecord> alerts = Analyze.alerts(capture(file));
        System.out.printf("%s: %s%n", file, alerts.stream().map(a -> a.kind() + " " + Addresses.format(a.targetHi(), a.targetLo())
                + ":" + a.targetPort() + " delay " + a.detectionDelayMs() + " ms, " + a.packets() + " packets, "
                + a.sourceCount() + " sources, peak " + Math.round(a.peakPps()) + " pps" + (a.detail() == null ? "" : ", " + a.detail())).toList());
        assertEquals(1, alerts.size(), alerts.toString());
        AlertRecord a = alerts.getFirst();
        assertEquals(kind, a.kind());
        assertEquals(target, Addresses.format(a.targetHi(), a.targetLo()));
        assertEquals(port, a.targetPort());
        assertTrue(a.detectionDelayMs() <= 2000, "delay " + a.detectionDelayMs());
        assertTrue(a.packets() > 100);
        if (file.endsWith("spoofed")) {
            assertTrue(a.sourceCount() > 500, "sources " + a.sourceCount());
        }
    }

    @Test
    void ordinaryTrafficRaisesNoAlert() throws Exception {
        assertEquals(List.of(), Analyze.alerts(capture("ordinary")));
    }

    /** One client, keep-alive connections, 600 answered requests/s in two bursts (curl --rate): load, not a flood (issue 16 item 4). */
    @Test
    void aBusyWebClientRaisesNoAlert() throws Exception {
        assertEquals(List.of(), Analyze.alerts(capture("http-busy")));
    }
}
