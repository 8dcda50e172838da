package org.fathom.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.capture.PcapReaderTest.assertFrame;
import static org.fathom.capture.ReadBack.frame;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.fathom.capture.PcapngWriter.IfOption;
import org.fathom.capture.ReadBack.Capture;
import org.fathom.capture.ReadBack.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PcapngReaderTest {
    private static final long T0 = 1_700_000_000L;
    private static final long NS = 1_000_000_000L;

    @TempDir
    Path dir;

    enum Order {
        LITTLE(ByteOrder.LITTLE_ENDIAN), BIG(ByteOrder.BIG_ENDIAN);

        final ByteOrder order;

        Order(ByteOrder order) {
            this.order = order;
        }
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void readsBackEveryPacketBlockType(Order o) throws Exception {
        PcapngWriter w = new PcapngWriter().section(o.order)
                .interfaceBlock(LinkType.ETHERNET, 0)                        // block 1
                .enhanced(0, T0 * 1_000_000 + 123_456, frame(60, 1))          // 2
                .enhanced(0, T0 * 1_000_000 + 999_999, 33, 1500, frame(33, 2)) // 3: snapped
                .enhanced(0, 0, frame(0, 3))                                  // 4: empty frame at the epoch
                .simple(70, frame(70, 4))                                     // 5
                .obsolete(0, (T0 + 5) * 1_000_000 + 7, frame(61, 5));        // 6
        Capture c = ReadBack.read(w.writeTo(dir.resolve("all.pcapng")));

        assertThat(c.warnings()).isEmpty();
        assertThat(c.format()).isEqualTo("pcapng (1 section, 1 interfaces)");
        assertThat(c.frames()).hasSize(5);
        assertFrame(c.frames().get(0), frame(60, 1), 60, T0 * NS + 123_456_000, LinkType.ETHERNET, w.offsetOf(2));
        assertFrame(c.frames().get(1), frame(33, 2), 1500, T0 * NS + 999_999_000, LinkType.ETHERNET, w.offsetOf(3));
        assertFrame(c.frames().get(2), frame(0, 3), 0, 0, LinkType.ETHERNET, w.offsetOf(4));
        // a simple packet block has no timestamp
        assertFrame(c.frames().get(3), frame(70, 4), 70, 0, LinkType.ETHERNET, w.offsetOf(5));
        assertFrame(c.frames().get(4), frame(61, 5), 61, (T0 + 5) * NS + 7_000, LinkType.ETHERNET, w.offsetOf(6));
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void honoursTsresolAndTsoffsetExactly(Order o) throws Exception {
        PcapngWriter w = new PcapngWriter().section(o.order)
                .interfaceBlock(LinkType.RAW, 0, IfOption.tsresol(9))                       // 0: 10^-9
                .interfaceBlock(LinkType.RAW, 0, IfOption.tsresol(3))                       // 1: 10^-3
                .interfaceBlock(LinkType.RAW, 0, IfOption.tsresol(0x80 | 10))               // 2: 2^-10
                .interfaceBlock(LinkType.RAW, 0, IfOption.name("eth0"), IfOption.tsoffset(1_000_000_000L)) // 3: µs, offset
                .interfaceBlock(LinkType.RAW, 0, IfOption.tsresol(0x80 | 10), IfOption.tsoffset(-86_400)) // 4
                .interfaceBlock(LinkType.RAW, 0, IfOption.tsresol(0))                       // 5: whole seconds
                .interfaceBlock(LinkType.RAW, 0, IfOption.tsresol(0x80 | 20))               // 6: 2^-20
                .enhanced(0, T0 * NS + 123_456_789, frame(20, 0))
                .enhanced(1, T0 * 1000 + 999, frame(20, 1))
                .enhanced(2, T0 * 1024 + 512, frame(20, 2))
                .enhanced(2, T0 * 1024 + 1, frame(20, 3))
                .enhanced(3, 700_000_000L * 1_000_000 + 5, frame(20, 4))
                .enhanced(4, T0 * 1024 + 1023, frame(20, 5))
                .enhanced(5, T0, frame(20, 6))
                .enhanced(6, (T0 << 20) + 3, frame(20, 7))
                .enhanced(0, 9_000_000_000L * NS + 1, frame(20, 8));   // above 2^63 as an unsigned count
        Capture c = ReadBack.read(w.writeTo(dir.resolve("ts.pcapng")));

        assertThat(c.warnings()).isEmpty();
        assertThat(c.frames()).extracting(Frame::timestampNanos).containsExactly(
                T0 * NS + 123_456_789,
                T0 * NS + 999_000_000,
                T0 * NS + 500_000_000,
                T0 * NS + 976_562,                     // 1/1024 s = 976,562.5 ns, rounded down
                1_700_000_000L * NS + 5_000,           // 700,000,000 s + 10^9 s offset
                (T0 - 86_400) * NS + 999_023_437,      // 1023/1024 s = 999,023,437.5 ns
                T0 * NS,
                T0 * NS + 2_861,                       // 3/2^20 s = 2,861.02 ns
                9_000_000_000L * NS + 1);
    }

    @Test
    void severalInterfacesWithTheirOwnLinkTypesInOneSection() throws Exception {
        PcapngWriter w = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 65_535)
                .interfaceBlock(LinkType.LINUX_SLL, 65_535, IfOption.tsresol(9))
                .enhanced(1, T0 * NS, frame(44, 1))
                .interfaceBlock(LinkType.RAW, 65_535)    // interfaces may be declared late
                .enhanced(0, T0 * 1_000_000, frame(54, 2))
                .enhanced(2, T0 * 1_000_000 + 1, frame(40, 3))
                .enhanced(1, T0 * NS + 2, frame(45, 4));
        Capture c = ReadBack.read(w.writeTo(dir.resolve("ifaces.pcapng")));

        assertThat(c.warnings()).isEmpty();
        assertThat(c.frames()).extracting(Frame::linkType)
                .containsExactly(LinkType.LINUX_SLL, LinkType.ETHERNET, LinkType.RAW, LinkType.LINUX_SLL);
        assertThat(c.frames()).extracting(Frame::timestampNanos)
                .containsExactly(T0 * NS, T0 * NS, T0 * NS + 1_000, T0 * NS + 2);
        assertThat(c.format()).isEqualTo("pcapng (1 section, 3 interfaces)");
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void aSecondSectionSwitchesByteOrderAndResetsInterfaces(Order first) throws Exception {
        ByteOrder other = first == Order.LITTLE ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        PcapngWriter w = new PcapngWriter().section(first.order)
                .interfaceBlock(LinkType.ETHERNET, 0)
                .interfaceBlock(LinkType.RAW, 0, IfOption.tsresol(9))
                .enhanced(1, T0 * NS, frame(40, 1))
                .section(other)                                            // block 4
                .interfaceBlock(LinkType.IPV6, 0, IfOption.tsresol(3))     // 5
                .enhanced(0, T0 * 1000 + 1, frame(40, 2))                  // 6
                .enhanced(1, T0 * 1000 + 2, frame(40, 3))                  // 7: interface 1 is gone
                .simple(40, frame(40, 4));                                 // 8
        Capture c = ReadBack.read(w.writeTo(dir.resolve("sections.pcapng")));

        assertThat(c.frames()).hasSize(3);
        assertFrame(c.frames().get(0), frame(40, 1), 40, T0 * NS, LinkType.RAW, w.offsetOf(3));
        assertFrame(c.frames().get(1), frame(40, 2), 40, T0 * NS + 1_000_000, LinkType.IPV6, w.offsetOf(6));
        assertFrame(c.frames().get(2), frame(40, 4), 40, 0, LinkType.IPV6, w.offsetOf(8));
        assertThat(c.offsets()).containsExactly(w.offsetOf(7));
        assertThat(c.messages()).singleElement().asString().contains("undeclared interface 1");
        assertThat(c.format()).isEqualTo("pcapng (2 sections, 1 interfaces)");
    }

    @Test
    void unknownAndNonPacketBlocksAreSkipped() throws Exception {
        PcapngWriter w = new PcapngWriter().section(ByteOrder.BIG_ENDIAN)
                .block(0x0000_7777, frame(33, 9))              // unknown type before any interface
                .interfaceBlock(LinkType.ETHERNET, 0)
                .block(PcapngWriter.NRB, new byte[4])          // name resolution: only nrb_record_end
                .enhanced(0, 1, frame(60, 1))
                .block(PcapngWriter.ISB, new byte[12])         // interface statistics
                .block(PcapngWriter.CUSTOM, frame(21, 2))      // custom block (PEN + data)
                .block(0x8000_0001, frame(100, 3))             // local use
                .block(0x0000_000A, frame(8, 4))               // decryption secrets
                .enhanced(0, 2, frame(61, 2));
        Capture c = ReadBack.read(w.writeTo(dir.resolve("unknown.pcapng")));

        assertThat(c.warnings()).isEmpty();
        assertThat(c.frames()).extracting(Frame::data).containsExactly(frame(60, 1), frame(61, 2));
    }

    @Test
    void blocksBeforeAnyReadableSectionHeaderAreWarnedAbout() throws Exception {
        // the file starts with a section header whose byte-order magic is broken
        PcapngWriter w = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 0)
                .enhanced(0, 1, frame(60, 1))
                .section(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(LinkType.RAW, 0)
                .enhanced(0, 2, frame(60, 2));
        byte[] bytes = w.toBytes();
        bytes[8] = 0x77;
        Path f = dir.resolve("nosection.pcapng");
        Files.write(f, bytes);

        Capture c = ReadBack.read(f);

        assertThat(c.frames()).singleElement().satisfies(fr -> {
            assertThat(fr.data()).isEqualTo(frame(60, 2));
            assertThat(fr.linkType()).isEqualTo(LinkType.RAW);
        });
        assertThat(c.messages()).anySatisfy(m -> assertThat(m).contains("unknown byte-order magic"));
        assertThat(c.warnings()).anySatisfy(wn -> {
            assertThat(wn.offset()).isEqualTo(w.offsetOf(1));
            assertThat(wn.message()).contains("before any section header");
        });
    }

    @Test
    void aSectionOfAnUnsupportedVersionIsSkipped() throws Exception {
        PcapngWriter w = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN, 2)
                .interfaceBlock(LinkType.ETHERNET, 0)
                .enhanced(0, 1, frame(60, 1))
                .enhanced(0, 1, frame(60, 1))
                .section(ByteOrder.BIG_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 0)
                .enhanced(0, 2, frame(60, 2));
        Capture c = ReadBack.read(w.writeTo(dir.resolve("v2.pcapng")));

        assertThat(c.frames()).extracting(Frame::data).containsExactly(frame(60, 2));
        assertThat(c.warnings()).first().satisfies(wn -> {
            assertThat(wn.offset()).isZero();
            assertThat(wn.message()).contains("unsupported pcapng version 2");
        });
    }

    @Test
    void truncatedLastBlockKeepsEarlierPacketsAndNamesFileAndOffset() throws Exception {
        PcapngWriter w = threePackets(ByteOrder.LITTLE_ENDIAN);
        Path f = dir.resolve("cut.pcapng");
        Files.write(f, Arrays.copyOf(w.toBytes(), w.size() - 6));

        Capture c = ReadBack.read(f);

        assertThat(c.frameOffsets()).containsExactly(w.offsetOf(2), w.offsetOf(3));
        assertThat(c.warnings()).singleElement().satisfies(wn -> {
            assertThat(wn.offset()).isEqualTo(w.lastOffset());
            assertThat(wn.message()).contains("truncated block");
            assertThat(wn.toString()).contains(f.toString()).contains("at byte " + w.lastOffset());
        });
    }

    @Test
    void truncatedBlockHeaderIsReported() throws Exception {
        PcapngWriter w = threePackets(ByteOrder.BIG_ENDIAN);
        Path f = dir.resolve("hdr.pcapng");
        Files.write(f, Arrays.copyOf(w.toBytes(), (int) w.lastOffset() + 8));

        Capture c = ReadBack.read(f);

        assertThat(c.frames()).hasSize(2);
        assertThat(c.offsets()).containsExactly(w.lastOffset());
        assertThat(c.messages()).singleElement().asString().contains("truncated block (8 bytes)");
    }

    @ParameterizedTest(name = "{0} garbage bytes")
    @ValueSource(ints = {4, 7, 13, 64})
    void garbageBetweenBlocksIsSkipped(int garbage) throws Exception {
        byte[] junk = new byte[garbage];
        Arrays.fill(junk, (byte) 0xEE);
        PcapngWriter w = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 0)
                .enhanced(0, 1, frame(60, 1))
                .raw(junk)
                .enhanced(0, 2, frame(61, 2))
                .enhanced(0, 3, frame(62, 3));
        Capture c = ReadBack.read(w.writeTo(dir.resolve("garbage.pcapng")));

        assertThat(c.frames()).extracting(Frame::data).containsExactly(frame(60, 1), frame(61, 2), frame(62, 3));
        assertThat(c.frameOffsets()).containsExactly(w.offsetOf(2), w.offsetOf(3), w.offsetOf(4));
        assertThat(c.offsets()).containsExactly(w.offsetOf(3) - garbage, w.offsetOf(3));
        assertThat(c.messages().get(1)).contains("resynchronised after skipping " + garbage + " damaged bytes");
    }

    @Test
    void trailerLengthMismatchIsReportedAndTheNextBlockFound() throws Exception {
        PcapngWriter w = new PcapngWriter().section(ByteOrder.BIG_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 0)
                .enhanced(0, 1, frame(60, 1));
        byte[] body = new byte[20 + 64];
        w.block(PcapngWriter.EPB, 12 + body.length, body, 999)       // block 3: trailer says 999
                .enhanced(0, 3, frame(62, 3));
        Capture c = ReadBack.read(w.writeTo(dir.resolve("trailer.pcapng")));

        assertThat(c.frameOffsets()).containsExactly(w.offsetOf(2), w.offsetOf(4));
        assertThat(c.offsets()).containsExactly(w.offsetOf(3), w.offsetOf(4));
        assertThat(c.messages().get(0)).contains("trailer length does not match header length 96");
    }

    @ParameterizedTest(name = "header length {0}")
    @ValueSource(longs = {0, 8, 13, 0xFFFF_FFF0L})
    void invalidBlockLengthIsReportedAndTheNextBlockFound(long length) throws Exception {
        PcapngWriter w = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 0)
                .enhanced(0, 1, frame(60, 1))
                .block(PcapngWriter.EPB, length, new byte[40], 52)
                .enhanced(0, 3, frame(62, 3));
        Capture c = ReadBack.read(w.writeTo(dir.resolve("len.pcapng")));

        assertThat(c.frameOffsets()).containsExactly(w.offsetOf(2), w.offsetOf(4));
        assertThat(c.offsets()).containsExactly(w.offsetOf(3), w.offsetOf(4));
        assertThat(c.messages().get(0)).contains("invalid length " + length);
    }

    @Test
    void aBlockLengthRunningPastTheEndInTheMiddleIsDamageNotTruncation() throws Exception {
        PcapngWriter w = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 0)
                .enhanced(0, 1, frame(60, 1))
                .block(PcapngWriter.EPB, 1 << 20, new byte[40], 52)    // 1 MiB: legal, but past the end
                .enhanced(0, 3, frame(62, 3))
                .enhanced(0, 4, frame(63, 4));
        Capture c = ReadBack.read(w.writeTo(dir.resolve("overrun.pcapng")));

        assertThat(c.frameOffsets()).containsExactly(w.offsetOf(2), w.offsetOf(4), w.offsetOf(5));
        assertThat(c.offsets()).containsExactly(w.offsetOf(3), w.offsetOf(4));
        assertThat(c.messages().get(0)).contains("block length 1048576 runs past the end of the file");
        assertThat(c.messages().get(1)).contains("resynchronised");
    }

    @Test
    void packetLengthOverrunningItsBlockIsSkipped() throws Exception {
        PcapngWriter w = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 0)
                .enhanced(0, 1, 500, 500, frame(60, 1))
                .enhanced(0, 2, 0xFFFF_FFFFL, 60, frame(60, 2))
                .enhanced(0, 3, frame(60, 3));
        Capture c = ReadBack.read(w.writeTo(dir.resolve("overrun.pcapng")));

        assertThat(c.frameOffsets()).containsExactly(w.offsetOf(4));
        assertThat(c.offsets()).containsExactly(w.offsetOf(2), w.offsetOf(3));
        assertThat(c.messages()).allSatisfy(m -> assertThat(m).contains("overruns its block"));
    }

    @Test
    void simplePacketBlocksAreCutToTheSnapLengthOfInterfaceZero() throws Exception {
        PcapngWriter w = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 64)
                .simple(100, frame(100, 1))
                .simple(30, frame(32, 2));   // data padded beyond the wire length
        Capture c = ReadBack.read(w.writeTo(dir.resolve("spb.pcapng")));

        assertThat(c.warnings()).isEmpty();
        assertThat(c.frames()).hasSize(2);
        assertFrame(c.frames().get(0), Arrays.copyOf(frame(100, 1), 64), 100, 0, LinkType.ETHERNET, w.offsetOf(2));
        assertFrame(c.frames().get(1), Arrays.copyOf(frame(32, 2), 30), 30, 0, LinkType.ETHERNET, w.offsetOf(3));
    }

    @Test
    void aSimplePacketBlockWithoutRoomForItsLengthFieldIsSkipped() throws Exception {
        PcapngWriter w = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 0)
                .block(PcapngWriter.SPB, new byte[0])    // 12 bytes: type, length, trailer
                .simple(40, frame(40, 1));
        Capture c = ReadBack.read(w.writeTo(dir.resolve("spb12.pcapng")));

        assertThat(c.frames()).extracting(Frame::data).containsExactly(frame(40, 1));
        assertThat(c.offsets()).containsExactly(w.offsetOf(2));
        assertThat(c.messages()).singleElement().asString().contains("simple packet block too short");
    }

    @Test
    void packetsWithoutAnInterfaceAreSkipped() throws Exception {
        PcapngWriter w = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
                .simple(40, frame(40, 1))
                .enhanced(0, 1, frame(40, 2))
                .obsolete(0, 1, frame(40, 3))
                .interfaceBlock(LinkType.ETHERNET, 0)
                .obsolete(0, 1, frame(40, 4));
        Capture c = ReadBack.read(w.writeTo(dir.resolve("noif.pcapng")));

        assertThat(c.frames()).extracting(Frame::data).containsExactly(frame(40, 4));
        assertThat(c.offsets()).containsExactly(w.offsetOf(1), w.offsetOf(2), w.offsetOf(3));
    }

    @Test
    void framesLargerThanMaxFrameAreCutWithAWarning() throws Exception {
        int big = Packet.MAX_FRAME + 4;
        PcapngWriter w = new PcapngWriter().section(ByteOrder.BIG_ENDIAN)
                .interfaceBlock(LinkType.ETHERNET, 0)
                .enhanced(0, 1, frame(big, 1))
                .enhanced(0, 2, frame(50, 2));
        Capture c = ReadBack.read(w.writeTo(dir.resolve("big.pcapng")));

        assertThat(c.frames()).hasSize(2);
        assertThat(c.frames().getFirst().data()).isEqualTo(Arrays.copyOf(frame(big, 1), Packet.MAX_FRAME));
        assertThat(c.frames().getFirst().wireLength()).isEqualTo(big);
        assertThat(c.offsets()).containsExactly(w.offsetOf(2));
        assertThat(c.messages()).singleElement().asString().contains("cut to " + Packet.MAX_FRAME);
    }

    private static PcapngWriter threePackets(ByteOrder order) {
        return new PcapngWriter().section(order)
                .interfaceBlock(LinkType.ETHERNET, 0)
                .enhanced(0, 1, frame(60, 1))
                .enhanced(0, 2, frame(70, 2))
                .enhanced(0, 3, frame(80, 3));
    }
}
