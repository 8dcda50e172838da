package org.fathom.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.capture.ReadBack.frame;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.fathom.capture.PcapWriter.Magic;
import org.fathom.capture.ReadBack.Capture;
import org.fathom.capture.ReadBack.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PcapReaderTest {
    private static final long T0 = 1_700_000_000L;

    @TempDir
    Path dir;

    static Stream<Arguments> variants() {
        return Stream.of(Magic.values()).flatMap(m -> Stream.of(
                Arguments.of(m, ByteOrder.LITTLE_ENDIAN), Arguments.of(m, ByteOrder.BIG_ENDIAN)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("variants")
    void readsBackExactFramesLengthsLinkTypeAndTimestamps(Magic magic, ByteOrder order) throws Exception {
        boolean nanos = magic == Magic.NANOS;
        long fracMax = nanos ? 999_999_999L : 999_999L;
        PcapWriter w = new PcapWriter(magic, order, LinkType.IPV4)
                .record(T0, 0, frame(60, 1))
                .record(T0, 1, frame(0, 2))
                .record(T0 + 1, fracMax, frame(1514, 3))
                .record(T0 + 2, 123_456, 40, 9000, frame(40, 4))   // snapped: 40 of 9000 bytes kept
                .record(0xFFFF_FFFFL, fracMax, frame(1, 5));        // the last second pcap can express

        Capture c = ReadBack.read(w.writeTo(dir.resolve("t.pcap")));

        long unit = nanos ? 1 : 1_000;
        assertThat(c.warnings()).isEmpty();
        assertThat(c.format()).contains(nanos ? "nanoseconds" : "microseconds")
                .contains(order == ByteOrder.BIG_ENDIAN ? "big-endian" : "little-endian")
                .contains("raw IPv4");
        assertThat(c.frames()).hasSize(5);
        assertFrame(c.frames().get(0), frame(60, 1), 60, T0 * 1_000_000_000L, LinkType.IPV4, w.offsetOf(0));
        assertFrame(c.frames().get(1), frame(0, 2), 0, T0 * 1_000_000_000L + unit, LinkType.IPV4, w.offsetOf(1));
        assertFrame(c.frames().get(2), frame(1514, 3), 1514, (T0 + 1) * 1_000_000_000L + fracMax * unit, LinkType.IPV4, w.offsetOf(2));
        assertFrame(c.frames().get(3), frame(40, 4), 9000, (T0 + 2) * 1_000_000_000L + 123_456 * unit, LinkType.IPV4, w.offsetOf(3));
        assertFrame(c.frames().get(4), frame(1, 5), 1, 0xFFFF_FFFFL * 1_000_000_000L + fracMax * unit, LinkType.IPV4, w.offsetOf(4));
    }

    @Test
    void recordHeadersFollowTheFileHeader() {
        PcapWriter w = new PcapWriter(Magic.KUZNETZOV, ByteOrder.LITTLE_ENDIAN, LinkType.ETHERNET)
                .record(T0, 0, frame(10, 1)).record(T0, 0, frame(10, 2));
        assertThat(w.offsetOf(0)).isEqualTo(24);
        assertThat(w.offsetOf(1)).isEqualTo(24 + 24 + 10);
    }

    @ParameterizedTest
    @MethodSource("linkTypes")
    void passesAnyLinkTypeThrough(int linkType) throws Exception {
        Path f = new PcapWriter(Magic.MICROS, ByteOrder.BIG_ENDIAN, linkType).record(T0, 0, frame(20, 1))
                .writeTo(dir.resolve("l.pcap"));
        Capture c = ReadBack.read(f);
        assertThat(c.frames()).singleElement().extracting(Frame::linkType).isEqualTo(linkType);
        assertThat(c.format()).contains(LinkType.name(linkType));
    }

    static Stream<Integer> linkTypes() {
        return Stream.of(LinkType.NULL, LinkType.ETHERNET, LinkType.RAW, LinkType.LINUX_SLL2, 147, 0xFFFF, 0x03FF_FFFF);
    }

    @Test
    void dropsTheFcsAnnouncedInTheLinkTypeField() throws Exception {
        // bit 26: frames end in an FCS; bits 28..31: its length in 16-bit words (2 = 4 bytes)
        long network = LinkType.ETHERNET | 0x0400_0000L | (2L << 28);
        Path f = new PcapWriter(Magic.MICROS, ByteOrder.LITTLE_ENDIAN, network, 65_535)
                .record(T0, 0, frame(64, 1)).writeTo(dir.resolve("fcs.pcap"));
        Frame only = ReadBack.read(f).frames().getFirst();
        assertThat(only.linkType()).isEqualTo(LinkType.ETHERNET);
        assertThat(only.data()).isEqualTo(Arrays.copyOf(frame(64, 1), 60));
        assertThat(only.wireLength()).isEqualTo(64);
    }

    @Test
    void headerOnlyFileHasNoPacketsAndNoWarnings() throws Exception {
        Capture c = ReadBack.read(new PcapWriter(Magic.NANOS, ByteOrder.BIG_ENDIAN, 1).writeTo(dir.resolve("h.pcap")));
        assertThat(c.frames()).isEmpty();
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void truncatedLastRecordKeepsEarlierPacketsAndNamesFileAndOffset() throws Exception {
        PcapWriter w = threeRecords(Magic.MICROS, ByteOrder.LITTLE_ENDIAN);
        Path f = dir.resolve("cut.pcap");
        java.nio.file.Files.write(f, Arrays.copyOf(w.toBytes(), w.size() - 10));

        Capture c = ReadBack.read(f);

        assertThat(c.frameOffsets()).containsExactly(w.offsetOf(0), w.offsetOf(1));
        assertThat(c.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.file()).isEqualTo(f);
            assertThat(warning.offset()).isEqualTo(w.offsetOf(2));
            assertThat(warning.message()).contains("truncated record");
            assertThat(warning.toString()).contains(f.toString()).contains("at byte " + w.offsetOf(2));
        });
    }

    @Test
    void truncatedRecordHeaderIsReported() throws Exception {
        PcapWriter w = threeRecords(Magic.NANOS, ByteOrder.BIG_ENDIAN);
        Path f = dir.resolve("hdr.pcap");
        java.nio.file.Files.write(f, Arrays.copyOf(w.toBytes(), (int) w.offsetOf(2) + 7));

        Capture c = ReadBack.read(f);

        assertThat(c.frames()).hasSize(2);
        assertThat(c.offsets()).containsExactly(w.offsetOf(2));
        assertThat(c.messages()).singleElement().asString().contains("truncated record header").contains("7 of 16 bytes");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("variants")
    void absurdLengthInTheMiddleIsSkippedAndTheFollowingRecordsFound(Magic magic, ByteOrder order) throws Exception {
        PcapWriter w = new PcapWriter(magic, order, LinkType.ETHERNET);
        for (int i = 0; i < 6; i++) {
            if (i == 2) {
                w.record(T0 + i, 0, 0xFFFF_FF00L, 0xFFFF_FF00L, frame(60, i));
            } else {
                w.record(T0 + i, 500 * i, frame(60 + i, i));
            }
        }
        Capture c = ReadBack.read(w.writeTo(dir.resolve("absurd.pcap")));

        assertThat(c.frameOffsets()).containsExactly(w.offsetOf(0), w.offsetOf(1), w.offsetOf(3), w.offsetOf(4), w.offsetOf(5));
        assertThat(c.frames().get(2).data()).isEqualTo(frame(63, 3));
        assertThat(c.offsets()).containsExactly(w.offsetOf(2), w.offsetOf(3));
        assertThat(c.messages().get(0)).contains("record length 4294967040 is absurd");
        assertThat(c.messages().get(1)).contains("resynchronised");
    }

    @Test
    void aLengthRunningPastTheEndInTheMiddleIsDamageNotTruncation() throws Exception {
        // 100,000 bytes is within the reader's limit but more than the rest of the file
        PcapWriter w = new PcapWriter(Magic.MICROS, ByteOrder.LITTLE_ENDIAN, LinkType.ETHERNET, 65_535);
        for (int i = 0; i < 6; i++) {
            if (i == 2) {
                w.record(T0 + i, 0, 100_000, 100_000, frame(60, i));
            } else {
                w.record(T0 + i, 1000 * i, frame(60 + i, i));
            }
        }
        Capture c = ReadBack.read(w.writeTo(dir.resolve("overrun.pcap")));

        assertThat(c.frameOffsets()).containsExactly(w.offsetOf(0), w.offsetOf(1), w.offsetOf(3), w.offsetOf(4), w.offsetOf(5));
        assertThat(c.offsets()).containsExactly(w.offsetOf(2), w.offsetOf(3));
        assertThat(c.messages().get(0)).contains("record length 100000 runs past the end of the file");
        assertThat(c.messages().get(1)).contains("resynchronised");
    }

    @Test
    void garbageBetweenRecordsIsSkipped() throws Exception {
        PcapWriter w = new PcapWriter(Magic.MICROS, ByteOrder.LITTLE_ENDIAN, LinkType.ETHERNET)
                .record(T0, 1, frame(80, 1))
                .raw(new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE,
                        (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE})
                .record(T0, 2, frame(80, 2))
                .record(T0, 3, frame(80, 3));
        Capture c = ReadBack.read(w.writeTo(dir.resolve("garbage.pcap")));

        assertThat(c.frameOffsets()).containsExactly(w.offsetOf(0), w.offsetOf(1), w.offsetOf(2));
        assertThat(c.offsets()).containsExactly(w.offsetOf(1) - 13, w.offsetOf(1));
        assertThat(c.messages().get(1)).contains("after skipping 13 damaged bytes");
    }

    @Test
    void damageWithNothingPlausibleAfterItEndsTheFileWithAWarning() throws Exception {
        PcapWriter w = new PcapWriter(Magic.MICROS, ByteOrder.LITTLE_ENDIAN, LinkType.ETHERNET)
                .record(T0, 1, frame(80, 1))
                .record(T0, 2, 0x7FFF_FFFFL, 10, new byte[100]);
        Capture c = ReadBack.read(w.writeTo(dir.resolve("lost.pcap")));

        assertThat(c.frames()).hasSize(1);
        assertThat(c.messages()).hasSize(2);
        assertThat(c.messages().get(1)).contains("no plausible record found");
        assertThat(c.offsets().get(1)).isEqualTo(w.offsetOf(1));
    }

    @Test
    void framesLargerThanMaxFrameAreCutWithAWarning() throws Exception {
        int big = Packet.MAX_FRAME + 1000;
        PcapWriter w = new PcapWriter(Magic.MICROS, ByteOrder.LITTLE_ENDIAN, LinkType.ETHERNET, big)
                .record(T0, 0, frame(big, 7))
                .record(T0, 1, frame(70, 8));
        Capture c = ReadBack.read(w.writeTo(dir.resolve("big.pcap")));

        assertThat(c.frames()).hasSize(2);
        Frame cut = c.frames().getFirst();
        assertThat(cut.data()).isEqualTo(Arrays.copyOf(frame(big, 7), Packet.MAX_FRAME));
        assertThat(cut.wireLength()).isEqualTo(big);
        assertThat(c.frames().get(1).data()).isEqualTo(frame(70, 8));
        assertThat(c.offsets()).containsExactly(w.offsetOf(0));
        assertThat(c.messages()).singleElement().asString().contains("cut to " + Packet.MAX_FRAME);
    }

    @Test
    void warningsAreBoundedAndTheRestCounted() throws Exception {
        // 60 damaged records make 120 warnings (damage, resynchronised); 50 are listed. Resync
        // wants two plausible records in a row, so each damaged record is followed by two good ones.
        PcapWriter w = new PcapWriter(Magic.MICROS, ByteOrder.LITTLE_ENDIAN, LinkType.ETHERNET);
        for (int i = 0; i < 60; i++) {
            w.record(T0, i, frame(60, i));
            w.record(T0, i, 0xFFFF_FFFFL, 60, frame(60, i));
            w.record(T0, i, frame(61, i));
        }
        Capture c = ReadBack.read(w.writeTo(dir.resolve("many.pcap")));
        assertThat(c.frames()).hasSize(120);
        assertThat(c.warnings()).hasSize(51);
        assertThat(c.messages().getLast()).isEqualTo("70 further warnings not shown");
    }

    private static PcapWriter threeRecords(Magic magic, ByteOrder order) {
        return new PcapWriter(magic, order, LinkType.ETHERNET)
                .record(T0, 10, frame(60, 1))
                .record(T0, 20, frame(70, 2))
                .record(T0, 30, frame(80, 3));
    }

    static void assertFrame(Frame f, byte[] data, int wireLength, long tsNanos, int linkType, long offset) {
        assertThat(f.data()).as("data of %s", f).isEqualTo(data);
        assertThat(List.of(f.wireLength(), f.timestampNanos(), f.linkType(), f.fileOffset()))
                .as("wire length, timestamp, link type, offset of %s", f)
                .containsExactly(wireLength, tsNanos, linkType, offset);
    }
}
