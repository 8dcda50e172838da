package org.fathom.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.capture.ReadBack.frame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;
import org.fathom.capture.ReadBack.Capture;
import org.fathom.capture.ReadBack.Frame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture larger than 2 GiB is read with 64-bit offsets. The file is sparse: 32
 * custom blocks of up to 64 MiB (the largest block the reader accepts) carry only their header and
 * trailer, the rest is a hole, so the test writes a few hundred KiB and reads only the pages it
 * needs. Skipped (by assumption) when the temporary folder's file system lacks 3 GiB of free
 * space or is not one known to support sparse files; {@code -DexcludedGroups=large-file} leaves
 * it out altogether.
 */
@Tag("large-file")
class LargeCaptureTest {
    private static final long TWO_GIB = 1L << 31;
    private static final long MAX_BLOCK = 64L << 20;
    private static final long T0 = 1_700_000_000_000_000L;   // microseconds
    /** File systems that keep holes in files instead of writing zeros. */
    private static final Set<String> SPARSE = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "zfs", "f2fs",
            "bcachefs", "reiserfs", "jfs", "ntfs", "apfs", "overlay", "nfs", "nfs4", "ceph");

    @TempDir
    Path dir;

    @Test
    void readsAPcapngLargerThan2GiBWithBlocksOnBothSidesOfTheBoundary() throws IOException, CaptureException {
        assumeSparseRoom(dir);
        Path file = dir.resolve("large.pcapng");
        long straddling = TWO_GIB - 40;   // this packet's header and data cross byte 2^31
        long[] offsets = new long[4];

        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            PcapngWriter head = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
                    .interfaceBlock(LinkType.ETHERNET, 0)
                    .enhanced(0, T0, frame(60, 1));
            offsets[0] = head.lastOffset();
            long pos = write(ch, 0, head.toBytes());
            while (pos < straddling) {
                long len = Math.min(MAX_BLOCK, straddling - pos);
                if (straddling - pos - len > 0 && straddling - pos - len < 16) {
                    len -= 16;   // leave room for a last block of at least 16 bytes
                }
                write(ch, pos, le(PcapngWriter.CUSTOM, (int) len, 32473));   // type, length, PEN (example)
                write(ch, pos + len - 4, le((int) len));
                pos += len;
            }
            PcapngWriter tail = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN);
            int skip = tail.size();
            tail.enhanced(0, T0 + 1, frame(100, 2));
            offsets[1] = pos + tail.lastOffset() - skip;
            tail.enhanced(0, T0 + 2, frame(1514, 3));
            offsets[2] = pos + tail.lastOffset() - skip;
            tail.simple(70, frame(70, 4));
            offsets[3] = pos + tail.lastOffset() - skip;
            byte[] bytes = tail.toBytes();
            write(ch, pos, java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
        }
        long size = Files.size(file);
        assertThat(size).isGreaterThan(TWO_GIB);

        Capture c;
        try (CaptureReader reader = CaptureFiles.open(file)) {
            assertThat(reader.size()).isEqualTo(size);
            c = ReadBack.drain(reader);
            assertThat(reader.position()).isEqualTo(size);
        }

        assertThat(c.warnings()).isEmpty();
        assertThat(c.frames()).extracting(Frame::fileOffset).containsExactly(offsets[0], offsets[1], offsets[2], offsets[3]);
        assertThat(offsets[1]).isLessThan(TWO_GIB);
        assertThat(offsets[2]).isGreaterThan(TWO_GIB);
        assertThat(c.frames()).extracting(Frame::data)
                .containsExactly(frame(60, 1), frame(100, 2), frame(1514, 3), frame(70, 4));
        assertThat(c.frames()).extracting(Frame::timestampNanos)
                .containsExactly(T0 * 1000, (T0 + 1) * 1000, (T0 + 2) * 1000, 0L);
    }

    private static void assumeSparseRoom(Path dir) throws IOException {
        FileStore store = Files.getFileStore(dir);
        String type = store.type().toLowerCase(Locale.ROOT);
        assumeTrue(SPARSE.contains(type), "file system " + type + " of " + dir + " not known to support sparse files");
        assumeTrue(store.getUsableSpace() >= 3L << 30, "less than 3 GiB free under " + dir);
    }

    private static long write(FileChannel ch, long at, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b, at + b.position());
        }
        return at + bytes.length;
    }

    private static byte[] le(int... words) {
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }
}
