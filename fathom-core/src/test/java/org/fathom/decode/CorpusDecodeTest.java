package org.fathom.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fathom.capture.CaptureException;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.Packet;
import org.fathom.reassembly.IpReassembler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decodes every packet of every capture of the nDPI corpus, when it is there: no exception may hide
 * behind the decoder's catch, every decode passes the usual invariants, and every fragment is
 * accounted for. Found through {@code -Dfathom.corpus=DIR} or by looking upwards from the module
 * for {@code shared/corpus/ndpi/pcap} (the main checkout sits two levels below it, worktrees three).
 */
class CorpusDecodeTest {
    private static Path corpus;
    private static List<Path> captures;

    @BeforeAll
    static void findCorpus() throws IOException {
        corpus = locate();
        assumeTrue(corpus != null, "nDPI corpus not found (set -Dfathom.corpus=DIR); skipped");
        try (Stream<Path> s = Files.list(corpus)) {
            captures = s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static Path locate() {
        String property = System.getProperty("fathom.corpus");
        if (property != null) {
            Path p = Path.of(property);
            return Files.isDirectory(p) ? p : null;
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 5 && dir != null; up++, dir = dir.getParent()) {
            Path p = dir.resolve("shared/corpus/ndpi/pcap");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /** Totals over the corpus for one reassembler configuration. */
    record Totals(DecodeStats stats, long fragments, long reassembled, long reassembledFragments, long dropped, long pending,
                  long tooManyFragments, long files) {}

    private static Totals decodeAll(List<Path> files, int maxFragments) {
        DecodeStats total = new DecodeStats();
        long fragments = 0, reassembled = 0, reassembledFragments = 0, dropped = 0, pending = 0, tooMany = 0, read = 0;
        Packet p = new Packet();
        DecodedPacket d = new DecodedPacket();
        for (Path file : files) {
            // one decoder per capture, as CaptureAnalyzer does
            IpReassembler r = new IpReassembler(IpReassembler.DEFAULT_MAX_DATAGRAMS, maxFragments, IpReassembler.DEFAULT_TIMEOUT_NANOS);
            PacketDecoder decoder = new PacketDecoder(r);
            try (CaptureReader reader = CaptureFiles.open(file)) {
                read++;
                while (reader.next(p)) {
                    int code = decoder.decode(p, d);
                    try {
                        DecoderHarness.checkInvariants(decoder, d, p, code);
                    } catch (AssertionError e) {
                        throw new AssertionError(file.getFileName() + " at byte " + p.fileOffset + ": " + e.getMessage(), e.getCause());
                    }
                }
            } catch (CaptureException e) {
                continue; // not a capture: the reader's own tests cover that
            }
            total.add(decoder.stats());
            fragments += r.fragments;
            reassembled += r.reassembled;
            reassembledFragments += r.reassembledFragments;
            dropped += r.droppedFragments;
            pending += r.pendingFragments();
            tooMany += r.tooManyFragments;
        }
        return new Totals(total, fragments, reassembled, reassembledFragments, dropped, pending, tooMany, read);
    }

    @Test
    void everyPacketDecodesWithoutHiddenExceptions() {
        Totals t = decodeAll(captures, IpReassembler.DEFAULT_MAX_FRAGMENTS);
        DecodeStats s = t.stats();
        System.out.printf("corpus: %d captures, %d frames: %d IP, %d not IP, %d malformed, %d unsupported link; "
                        + "%d fragments, %d datagrams reassembled, %d fragments dropped (%d datagrams over the fragment cap)%n",
                t.files(), s.frames, s.ipPackets, s.nonIp, s.malformed, s.unsupportedLinkFrames, t.fragments(), t.reassembled(),
                t.dropped(), t.tooManyFragments());
        assertThat(t.files()).isPositive();
        assertThat(s.swallowedExceptions).isZero();
        assertThat(s.frames).isPositive();
        assertThat(s.ipPackets).isGreaterThan(s.frames / 2);
        assertThat(t.fragments()).isEqualTo(t.reassembledFragments() + t.dropped() + t.pending());
    }

    /**
     * The corpus holds no fragmented datagram that completes within the default caps: its complete
     * ones (ip_fragmented_garbage.pcap, four datagrams of 313 16-byte fragments) exceed the 64
     * fragments per datagram, the rest are lone fuzzed fragments and first fragments cut by the
     * snaplen. With the fragment cap raised, reassembly must complete some; with the default, those
     * datagrams must be dropped and counted, not lost silently.
     */
    @Test
    void reassemblyCompletesDatagramsOfTheCorpus() {
        List<Path> withFragments = new ArrayList<>();
        for (Path file : captures) {
            if (decodeAll(List.of(file), IpReassembler.DEFAULT_MAX_FRAGMENTS).fragments() > 0) {
                withFragments.add(file);
            }
        }
        assumeTrue(!withFragments.isEmpty(), "no fragments in this corpus");
        Totals raised = decodeAll(withFragments, 1024);
        assertThat(raised.reassembled()).as("datagrams reassembled with 1024 fragments allowed").isPositive();
        assertThat(raised.fragments()).isEqualTo(raised.reassembledFragments() + raised.dropped() + raised.pending());
        Totals capped = decodeAll(withFragments, IpReassembler.DEFAULT_MAX_FRAGMENTS);
        assertThat(capped.tooManyFragments()).as("datagrams over the default fragment cap").isPositive();
        assertThat(capped.reassembled() + capped.tooManyFragments()).isGreaterThanOrEqualTo(raised.reassembled());
    }

    @Test
    void ciscoHdlcFramingUnderThePppLinkType() {
        Path file = corpus.resolve("BGP_Cisco_hdlc_slarp.pcap");
        assumeTrue(Files.exists(file), "BGP_Cisco_hdlc_slarp.pcap not in this corpus");
        // 14 BGP segments, as nDPI and tshark see them
        assertThat(decodeAll(List.of(file), IpReassembler.DEFAULT_MAX_FRAGMENTS).stats().ipPackets).isEqualTo(14);
    }

    @Test
    void theGarbageFragmentsCaptureCountsEachDatagramOnce() {
        Path file = corpus.resolve("ip_fragmented_garbage.pcap");
        assumeTrue(Files.exists(file), "ip_fragmented_garbage.pcap not in this corpus");
        Totals capped = decodeAll(List.of(file), IpReassembler.DEFAULT_MAX_FRAGMENTS);
        assertThat(capped.fragments()).isEqualTo(1252);
        assertThat(capped.tooManyFragments()).isEqualTo(4);
        assertThat(capped.dropped()).isEqualTo(1252);
        assertThat(capped.pending()).isZero();
        Totals raised = decodeAll(List.of(file), 1024);
        assertThat(raised.reassembled()).isEqualTo(4);
        assertThat(raised.reassembledFragments()).isEqualTo(1252);
        assertThat(raised.stats().ipPackets).isEqualTo(4);
    }
}
