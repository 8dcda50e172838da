package org.fathom.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fathom.capture.ReadBack.frame;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fathom.capture.PcapWriter.Magic;
import org.fathom.capture.ReadBack.Capture;
import org.fathom.capture.ReadBack.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Opening files: the magic number decides, never the name; what cannot be read says why. */
class CaptureFilesTest {
    @TempDir
    Path dir;

    @Test
    void aPcapngNamedPcapIsReadAsPcapng() throws Exception {
        Path f = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN).interfaceBlock(LinkType.RAW, 0)
                .enhanced(0, 5, frame(30, 1)).writeTo(dir.resolve("really-pcapng.pcap"));
        Capture c = ReadBack.read(f);
        assertThat(c.format()).startsWith("pcapng");
        assertThat(c.frames()).extracting(Frame::data).containsExactly(frame(30, 1));
    }

    @Test
    void aPcapNamedPcapngIsReadAsPcap() throws Exception {
        Path f = new PcapWriter(Magic.NANOS, ByteOrder.BIG_ENDIAN, LinkType.RAW).record(1, 2, frame(30, 1))
                .writeTo(dir.resolve("really-pcap.pcapng"));
        Capture c = ReadBack.read(f);
        assertThat(c.format()).startsWith("pcap (nanoseconds, big-endian");
        assertThat(c.frames()).extracting(Frame::timestampNanos).containsExactly(1_000_000_002L);
    }

    @Test
    void aFileThatShrinksWhileReadEndsWithAWarningAndKeepsWhatWasRead() throws Exception {
        // larger than the read buffer, so the cut falls in bytes not read yet
        PcapWriter w = new PcapWriter(Magic.MICROS, ByteOrder.LITTLE_ENDIAN, LinkType.RAW);
        int frames = 3 * CaptureBytes.CHUNK / 1000;
        for (int i = 0; i < frames; i++) {
            w.record(1, i, frame(1000 - 16, i));
        }
        Path f = w.writeTo(dir.resolve("shrinking.pcap"));
        try (CaptureReader r = CaptureFiles.open(f)) {
            r.readInPlace();
            Packet p = new Packet();
            assertThat(r.read(p)).isEqualTo(PacketSource.PACKET);
            try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(2L * CaptureBytes.CHUNK);
            }
            int read = 1;
            while (r.read(p) == PacketSource.PACKET) {
                read++;
            }
            assertThat(read).isGreaterThan(1).isLessThan(frames);
            assertThat(r.read(p)).isEqualTo(PacketSource.END);
            assertThat(r.warnings()).singleElement().satisfies(warning ->
                    assertThat(warning.toString()).contains("cannot read on").contains("shrank"));
        }
    }

    @Test
    void aCaptureWithoutExtensionIsRead() throws Exception {
        Path f = new PcapWriter(Magic.MICROS, ByteOrder.LITTLE_ENDIAN, LinkType.ETHERNET).record(1, 2, frame(30, 1))
                .writeTo(dir.resolve("capture"));
        assertThat(ReadBack.read(f).frames()).hasSize(1);
    }

    @Test
    void anEmptyFileIsNotACapture() throws Exception {
        Path f = Files.write(dir.resolve("empty.pcap"), new byte[0]);
        assertThatThrownBy(() -> CaptureFiles.open(f)).isInstanceOf(CaptureException.class)
                .hasMessage(f + ": not a capture file (0 bytes)");
    }

    @Test
    void aThreeByteFileIsNotACapture() throws Exception {
        Path f = Files.write(dir.resolve("three.pcap"), new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2});
        assertThatThrownBy(() -> CaptureFiles.open(f)).isInstanceOf(CaptureException.class)
                .hasMessage(f + ": not a capture file (3 bytes)");
    }

    @Test
    void aTextFileIsNotACaptureAndItsMagicIsShownInFileOrder() throws Exception {
        Path f = Files.writeString(dir.resolve("notes.pcap"), "hello, this is text\n", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> CaptureFiles.open(f)).isInstanceOf(CaptureException.class)
                .hasMessage(f + ": not a pcap or pcapng capture (magic number 0x68656c6c)");
    }

    @Test
    void aFolderIsNotACapture() {
        assertThatThrownBy(() -> CaptureFiles.open(dir)).isInstanceOf(CaptureException.class)
                .hasMessage(dir + ": is a folder, not a capture file");
    }

    @Test
    void aMissingFileIsReported() {
        Path f = dir.resolve("missing.pcap");
        assertThatThrownBy(() -> CaptureFiles.open(f)).isInstanceOf(CaptureException.class)
                .hasMessage(f + ": no such file");
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {4, 23})
    void aPcapFileHeaderCutShortIsNotReadable(int length) throws Exception {
        byte[] header = new PcapWriter(Magic.MICROS, ByteOrder.LITTLE_ENDIAN, 1).toBytes();
        Path f = Files.write(dir.resolve("short.pcap"), java.util.Arrays.copyOf(header, length));
        assertThatThrownBy(() -> CaptureFiles.open(f)).isInstanceOf(CaptureException.class)
                .hasMessage(f + ": pcap file header cut short (" + length + " of 24 bytes)");
    }

    @Test
    void aPcapngSectionHeaderCutShortIsNotReadable() throws Exception {
        byte[] shb = new PcapngWriter().section(ByteOrder.BIG_ENDIAN).toBytes();
        Path f = Files.write(dir.resolve("short.pcapng"), java.util.Arrays.copyOf(shb, 20));
        assertThatThrownBy(() -> CaptureFiles.open(f)).isInstanceOf(CaptureException.class)
                .hasMessage(f + ": pcapng section header cut short (20 bytes)");
    }

    @Test
    void readersReportFileSizeAndPosition() throws Exception {
        PcapWriter w = new PcapWriter(Magic.MICROS, ByteOrder.LITTLE_ENDIAN, 1).record(1, 0, frame(100, 1));
        Path f = w.writeTo(dir.resolve("pos.pcap"));
        try (CaptureReader r = CaptureFiles.open(f)) {
            assertThat(r.file()).isEqualTo(f);
            assertThat(r.size()).isEqualTo(w.size());
            assertThat(r.position()).isEqualTo(24);
            assertThat(r.next(new Packet())).isTrue();
            assertThat(r.position()).isEqualTo(w.size());
        }
    }
}
