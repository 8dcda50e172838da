package org.fathom.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.fathom.net.Addresses;
import org.fathom.record.AlertRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Test;

/**
 * The nDPI corpus is ordinary traffic except for a few captures that hold real attacks or scans
 * (listed below, with why, in docs/SECURITY.md); no other capture may alert.
 */
class CorpusFalsePositiveTest {
    static final Path CORPUS = Path.of("/work/shared/corpus/ndpi/pcap");
    /** Captures that do contain an attack or scan: capture name -> alert kinds expected. */
    static final Map<String, String> EXPECTED = Map.of(
            "synscan.pcap", "port_scan");   // an nmap SYN scan of scanme.nmap.org (64.13.134.52), ~1,000 ports

    @Test
    void ordinaryCapturesRaiseNoAlert() throws Exception {
        assumeTrue(Files.isDirectory(CORPUS), "corpus absent");
        Map<String, String> seen = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            List<AlertRecord> alerts;
            try {
                alerts = Analyze.alerts(f);
            } catch (IllegalArgumentException e) {
                continue;   // not a capture
            }
            if (!alerts.isEmpty()) {
                seen.put(f.getFileName().toString(), String.join(",", alerts.stream().map(AlertRecord::kind).sorted().toList()));
                for (AlertRecord a : alerts) {
                    System.out.printf("corpus alert %s: %s %s:%d %d packets %d sources %s%n", f.getFileName(), a.kind(),
                            Addresses.format(a.targetHi(), a.targetLo()), a.targetPort(), a.packets(), a.sourceCount(), a.detail());
                }
            }
        }
        System.out.printf("corpus: %d captures, %d with alerts%n", files.size(), seen.size());
        assertEquals(new TreeMap<>(EXPECTED), seen);
    }
}
