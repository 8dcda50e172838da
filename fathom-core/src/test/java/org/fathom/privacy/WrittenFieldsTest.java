package org.fathom.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.fathom.record.CollectingSink;
import org.fathom.record.EventRecord;
import org.fathom.record.FlowRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What the dissectors really write, on real traffic: every metadata key of every flow and event
 * of the golden captures (and of the nDPI corpus, when present) is declared, by a protocol
 * package's registration or the inventory's base list. An undeclared key fails here instead of
 * being silently dropped by the privacy guard. Records are read in the lab's identified mode,
 * so they arrive exactly as the engine built them.
 */
class WrittenFieldsTest {
    static final Path CORPUS = Files.isDirectory(Path.of("../../shared/corpus/ndpi/pcap")) ? Path.of("../../shared/corpus/ndpi/pcap")
            : Path.of("../../../shared/corpus/ndpi/pcap");

    @Test
    void everyKeyWrittenOnTheGoldenCapturesIsDeclared() throws Exception {
        Path root = Path.of(WrittenFieldsTest.class.getResource("/captures").toURI());
        Map<String, String> undeclared = new TreeMap<>();
        int keys = check(captures(root), undeclared);
        assertThat(keys).as("distinct keys written on the golden captures").isGreaterThan(60);
        assertThat(undeclared).as("keys written but not declared (declare them in the package's Registration)").isEmpty();
    }

    @Test
    void everyKeyWrittenOnTheCorpusIsDeclared() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(CORPUS), "nDPI corpus not present");
        Map<String, String> undeclared = new TreeMap<>();
        int keys = check(captures(CORPUS), undeclared);
        assertThat(keys).isGreaterThan(60);
        assertThat(undeclared).as("keys written but not declared (declare them in the package's Registration)").isEmpty();
    }

    private static List<Path> captures(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted().toList();
        }
    }

    /** Runs each capture, adds undeclared key → first capture writing it; returns the number of distinct keys seen. */
    private static int check(List<Path> captures, Map<String, String> undeclared) {
        PrivacyPolicy policy = Analyze.labPolicy();
        TreeSet<String> seen = new TreeSet<>();
        for (Path p : captures) {
            CollectingSink sink;
            try {
                sink = Analyze.withEvents(p, 1, policy);
            } catch (IllegalArgumentException e) {
                continue; // a capture the reader refuses (the corpus holds a few on purpose)
            }
            for (FlowRecord f : sink.flows()) {
                note(f.metadata().keySet(), p, seen, undeclared);
            }
            for (EventRecord e : sink.events()) {
                note(e.fields().keySet(), p, seen, undeclared);
            }
        }
        return seen.size();
    }

    private static void note(Iterable<String> keys, Path capture, TreeSet<String> seen, Map<String, String> undeclared) {
        for (String k : keys) {
            if (seen.add(k) && !FieldInventory.known(k)) {
                undeclared.putIfAbsent(k, capture.getFileName().toString());
            }
        }
    }
}
