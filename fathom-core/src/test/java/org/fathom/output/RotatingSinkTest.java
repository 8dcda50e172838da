package org.fathom.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.privacy.SubscriberNetworks;
import org.fathom.record.FlowSink;
import org.fathom.record.RecordKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotated output files on a clock of the test's own: names, periods, sizes, the .part step. */
class RotatingSinkTest {
    @TempDir
    Path dir;

    final AtomicLong clock = new AtomicLong(Instant.parse("2026-12-06T10:00:30Z").toEpochMilli());

    PrivacyGuard guard(FlowSink sink) throws IOException {
        PrivacyPolicy p = PrivacyPolicy.defaults().withSubscribers(SubscriberNetworks.NONE)
                .withAuditLog(dir.resolve("state/audit.log")).withKeyFile(dir.resolve("state/key"));
        Files.createDirectories(dir.resolve("state"));
        return new PrivacyGuard(p, AuditLog.open(p.auditLog()), List.of(sink));
    }

    List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    List<String> lines(String file) throws IOException {
        return Files.readAllLines(dir.resolve(file));
    }

    /** The client ports of the flow records in a file, after checking it starts with the privacy header. */
    List<Integer> ports(String file) throws IOException {
        List<String> l = lines(file);
        assertThat(l.getFirst()).as(file).startsWith("{\"type\":\"privacy\"");
        List<Integer> ports = new ArrayList<>();
        for (String line : l.subList(1, l.size())) {
            assertThat(line).startsWith("{\"type\":\"flow\"");
            int at = line.indexOf("\"src_port\":") + 11;
            ports.add(Integer.parseInt(line.substring(at, line.indexOf(',', at))));
        }
        return ports;
    }

    @Test
    void aPeriodEndsTheFileOnTheClockAndTheFinishedFileAppearsInOneRename() throws Exception {
        Rotation r = new Rotation(60_000, 0, clock::get);
        RotatingSink sink = RotatingSink.forFile(dir.resolve("flows.jsonl"), EnumSet.of(RecordKind.FLOW), r);
        PrivacyGuard g = guard(sink);
        assertThat(files()).as("no file before the first record").isEmpty();
        g.emit(AsyncSinkTest.flow(1));
        clock.set(Instant.parse("2026-12-06T10:00:59.999Z").toEpochMilli());
        g.emit(AsyncSinkTest.flow(2));
        assertThat(files()).containsExactly("flows-20261206T100000Z.jsonl.part");
        r.tick();
        assertThat(files()).as("the period is not over").containsExactly("flows-20261206T100000Z.jsonl.part");

        clock.set(Instant.parse("2026-12-06T10:01:05Z").toEpochMilli());
        g.emit(AsyncSinkTest.flow(3));
        assertThat(files()).containsExactly("flows-20261206T100000Z.jsonl", "flows-20261206T100100Z.jsonl.part");
        assertThat(ports("flows-20261206T100000Z.jsonl")).containsExactly(1, 2);

        // no record comes: the timer's tick finishes the file when its period is over
        clock.set(Instant.parse("2026-12-06T10:02:00Z").toEpochMilli());
        r.tick();
        assertThat(files()).containsExactly("flows-20261206T100000Z.jsonl", "flows-20261206T100100Z.jsonl");
        assertThat(ports("flows-20261206T100100Z.jsonl")).containsExactly(3);
        assertThat(sink.finishedFiles()).isEqualTo(2);

        // a quiet period leaves no file; the next record begins the file of its own period
        clock.set(Instant.parse("2026-12-06T10:05:10Z").toEpochMilli());
        g.emit(AsyncSinkTest.flow(4));
        g.close();
        assertThat(files()).containsExactly("flows-20261206T100000Z.jsonl", "flows-20261206T100100Z.jsonl",
                "flows-20261206T100500Z.jsonl");
        assertThat(ports("flows-20261206T100500Z.jsonl")).containsExactly(4);
    }

    @Test
    void aSizeEndsTheFileAtTheFirstWholeRecordPastItAndNamesStayUnique() throws Exception {
        Rotation r = new Rotation(0, 1024, clock::get);
        RotatingSink sink = RotatingSink.forFile(dir.resolve("flows.jsonl"), EnumSet.of(RecordKind.FLOW), r);
        PrivacyGuard g = guard(sink);
        for (int i = 0; i < 40; i++) {
            g.emit(AsyncSinkTest.flow(i));
        }
        g.close();
        List<String> names = files();
        assertThat(names.size()).isGreaterThan(3);
        assertThat(names).allMatch(n -> n.matches("flows-20261206T100030Z(-\\d+)?\\.jsonl"));
        List<Integer> all = new ArrayList<>();
        for (String n : names.stream().sorted((a, b) -> Integer.compare(seq(a), seq(b))).toList()) {
            all.addAll(ports(n));
            long size = Files.size(dir.resolve(n));
            List<String> l = lines(n);
            if (!n.equals(last(names))) {
                // at or past the size, and the file was still below it before its last record
                assertThat(size).as(n).isGreaterThanOrEqualTo(1024);
                assertThat(size - l.getLast().length() - 1).as(n).isLessThan(1024);
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add(i);
        }
        assertThat(all).as("every record once, in order").isEqualTo(expected);
    }

    static int seq(String name) {
        int dash = name.lastIndexOf('-');
        String tail = name.substring(dash + 1, name.indexOf(".jsonl"));
        return tail.endsWith("Z") ? 1 : Integer.parseInt(tail);
    }

    static String last(List<String> names) {
        return names.stream().max((a, b) -> Integer.compare(seq(a), seq(b))).orElseThrow();
    }

    @Test
    void aTakenNameIsNeverOverwrittenAndOtherKindsOpenNoFile() throws Exception {
        Files.writeString(dir.resolve("calls-20261206T100000Z.jsonl"), "from an earlier run\n");
        Rotation r = new Rotation(3_600_000, 0, clock::get);
        RotatingSink flows = RotatingSink.forFile(dir.resolve("calls.jsonl"), EnumSet.of(RecordKind.CALL), r);
        PrivacyGuard g = guard(flows);
        g.emit(AsyncSinkTest.flow(1));   // not a kind this output takes
        g.close();
        assertThat(files()).containsExactly("calls-20261206T100000Z.jsonl");
        assertThat(lines("calls-20261206T100000Z.jsonl")).containsExactly("from an earlier run");

        RotatingSink again = RotatingSink.forFile(dir.resolve("calls.jsonl"), EnumSet.of(RecordKind.FLOW), r);
        PrivacyGuard g2 = guard(again);
        g2.emit(AsyncSinkTest.flow(7));
        g2.close();
        assertThat(files()).containsExactly("calls-20261206T100000Z-2.jsonl", "calls-20261206T100000Z.jsonl");
        assertThat(ports("calls-20261206T100000Z-2.jsonl")).containsExactly(7);
    }
}
