package org.fathom.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigInteger;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.fathom.capture.PcapWriter.Magic;
import org.fathom.capture.PcapngWriter.IfOption;

/**
 * Damaged input never breaks a reader: reading to the end never throws (only opening may refuse
 * a file with a {@link CaptureException}), never loops (the number of records is bounded by the
 * file size, and every call returns), and every frame has a length within {@link Packet#MAX_FRAME}.
 * The checks themselves are in {@link ReadBack#drain}.
 */
class CaptureReaderPropertiesTest {
    private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
    private static final ByteOrder[] ORDERS = {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN};
    /** Lengths at the limits and block types, the values damage has to hit to matter. */
    private static final List<Long> INTERESTING_WORDS = List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 8L, 12L, 13L, 16L,
            20L, 28L, 32L, 0xFFL, 0xFFFFL, (long) Packet.MAX_FRAME, Packet.MAX_FRAME + 1L, 64L << 20, (64L << 20) + 4,
            0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0xFFFF_FFFCL, 0x0A0D_0D0AL, 0x1A2B_3C4DL, 0x4D3C_2B1AL,
            0xA1B2_C3D4L);

    @Property(tries = 300)
    void randomBytesAfterAValidPcapHeader(@ForAll Magic magic, @ForAll @IntRange(max = 1) int order,
                                          @ForAll @Size(max = 4000) byte[] tail) {
        byte[] header = new PcapWriter(magic, ORDERS[order], LinkType.ETHERNET).toBytes();
        byte[] file = Arrays.copyOf(header, header.length + tail.length);
        System.arraycopy(tail, 0, file, header.length, tail.length);
        readToTheEnd(file, "tail.pcap");
    }

    // edge cases off: the mutation lists alone have more of them than there are tries
    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void mutatedPcapFiles(@ForAll("pcapFiles") byte[] file, @ForAll("mutations") List<Mutation> mutations)
            {
        readToTheEnd(Mutation.applyAll(file, mutations), "mutated.pcap");
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void mutatedPcapngFiles(@ForAll("pcapngFiles") byte[] file, @ForAll("mutations") List<Mutation> mutations)
            {
        readToTheEnd(Mutation.applyAll(file, mutations), "mutated.pcapng");
    }

    /** Timestamps are exact for every resolution: floor(count * 10^9 / units per second). */
    @Property(tries = 300)
    void pcapngTimestampsAreExactForEveryResolution(@ForAll("timestamps") Tuple2<Integer, BigInteger> sample)
            throws Exception {
        int tsresol = sample.get1();
        BigInteger count = sample.get2();
        long expected = count.multiply(NANOS).divide(unitsPerSecond(tsresol)).longValueExact();

        byte[] file = new PcapngWriter().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(LinkType.RAW, 0, IfOption.tsresol(tsresol))
                .enhanced(0, count.longValue(), new byte[20]).toBytes();
        assertThat(ReadBack.read(file, "ts.pcapng").frames()).singleElement()
                .extracting(ReadBack.Frame::timestampNanos).isEqualTo(expected);
    }

    /** Every if_tsresol the reader supports, with a 64-bit count whose time fits a long of nanoseconds. */
    @Provide
    Arbitrary<Tuple2<Integer, BigInteger>> timestamps() {
        Arbitrary<Integer> tsresol = Arbitraries.oneOf(Arbitraries.integers().between(0, 18),
                Arbitraries.integers().between(0x80, 0x80 + 62));
        return tsresol.flatMap(r -> {
            BigInteger max = BigInteger.valueOf(Long.MAX_VALUE).multiply(unitsPerSecond(r)).divide(NANOS)
                    .min(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
            return Arbitraries.bigIntegers().between(BigInteger.ZERO, max).map(c -> Tuple.of(r, c));
        });
    }

    private static BigInteger unitsPerSecond(int tsresol) {
        return (tsresol & 0x80) != 0 ? BigInteger.ONE.shiftLeft(tsresol & 0x7F) : BigInteger.TEN.pow(tsresol);
    }

    /** Reads from memory: the file system would be the slowest part by far. */
    private static void readToTheEnd(byte[] bytes, String name) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            CaptureReader reader;
            try {
                reader = ReadBack.open(bytes, name);
            } catch (CaptureException e) {
                assertThat(e.getMessage()).startsWith(name + ": ");
                return;
            }
            try (reader) {
                ReadBack.drain(reader);
            }
        });
    }

    @Provide
    Arbitrary<byte[]> pcapFiles() {
        Arbitrary<List<Integer>> lengths = Arbitraries.integers().between(0, 200).list().ofMaxSize(12);
        return Combinators.combine(Arbitraries.of(Magic.class), Arbitraries.of(ORDERS), lengths, Arbitraries.integers())
                .as((magic, order, frames, seed) -> {
                    PcapWriter w = new PcapWriter(magic, order, LinkType.ETHERNET, 65_535);
                    for (int i = 0; i < frames.size(); i++) {
                        w.record(1_700_000_000L + i, i * 1000L, ReadBack.frame(frames.get(i), seed + i));
                    }
                    return w.toBytes();
                });
    }

    @Provide
    Arbitrary<byte[]> pcapngFiles() {
        Arbitrary<List<Integer>> blocks = Arbitraries.integers().between(0, 1000).list().ofMaxSize(12);
        return Combinators.combine(Arbitraries.of(ORDERS), Arbitraries.of(ORDERS), blocks, Arbitraries.integers())
                .as((first, second, kinds, seed) -> {
                    PcapngWriter w = new PcapngWriter().section(first)
                            .interfaceBlock(LinkType.ETHERNET, 0, IfOption.tsresol(9))
                            .interfaceBlock(LinkType.RAW, 100, IfOption.tsresol(0x8A), IfOption.tsoffset(-5));
                    for (int i = 0; i < kinds.size(); i++) {
                        int k = kinds.get(i);
                        byte[] data = ReadBack.frame(k % 150, seed + i);
                        switch (k % 7) {
                            case 0, 1 -> w.enhanced(k & 1, 1_700_000_000_000_000_000L + i, data);
                            case 2 -> w.simple(data.length, data);
                            case 3 -> w.obsolete(0, i, data);
                            case 4 -> w.block(PcapngWriter.ISB, data);
                            case 5 -> w.section(second).interfaceBlock(LinkType.IPV6, 0);
                            default -> w.block(PcapngWriter.CUSTOM, data);
                        }
                    }
                    return w.toBytes();
                });
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Integer> where = Arbitraries.integers().greaterOrEqual(0);
        Arbitrary<Mutation> flip = Combinators.combine(where, Arbitraries.integers().between(1, 255))
                .as(Mutation.Flip::new);
        Arbitrary<Mutation> word = Combinators.combine(where, Arbitraries.oneOf(Arbitraries.of(INTERESTING_WORDS),
                        Arbitraries.longs().between(0, 0xFFFF_FFFFL)), Arbitraries.of(ORDERS))
                .as(Mutation.Word::new);
        Arbitrary<Mutation> truncate = where.map(Mutation.Truncate::new);
        Arbitrary<Mutation> insert = Combinators.combine(where, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40))
                .as(Mutation.Insert::new);
        Arbitrary<Mutation> delete = Combinators.combine(where, Arbitraries.integers().between(1, 40))
                .as(Mutation.Delete::new);
        return Arbitraries.frequencyOf(
                        Tuple.of(4, flip), Tuple.of(4, word), Tuple.of(1, truncate),
                        Tuple.of(1, insert), Tuple.of(1, delete))
                .list().ofMinSize(1).ofMaxSize(6);
    }

    /** One change to a file; positions wrap around the current length. */
    sealed interface Mutation {
        byte[] apply(byte[] file);

        static byte[] applyAll(byte[] file, List<Mutation> mutations) {
            byte[] f = file;
            for (Mutation m : mutations) {
                f = m.apply(f);
            }
            return f;
        }

        record Flip(int at, int mask) implements Mutation {
            @Override
            public byte[] apply(byte[] file) {
                byte[] f = file.clone();
                if (f.length > 0) {
                    f[at % f.length] ^= (byte) mask;
                }
                return f;
            }
        }

        record Word(int at, long value, ByteOrder order) implements Mutation {
            @Override
            public byte[] apply(byte[] file) {
                if (file.length < 4) {
                    return file;
                }
                ByteSink s = new ByteSink().bytes(file);
                s.putU32(at % (file.length - 3), value, order);
                return s.toArray();
            }
        }

        record Truncate(int at) implements Mutation {
            @Override
            public byte[] apply(byte[] file) {
                return Arrays.copyOf(file, file.length == 0 ? 0 : at % file.length);
            }
        }

        record Insert(int at, byte[] bytes) implements Mutation {
            @Override
            public byte[] apply(byte[] file) {
                int p = at % (file.length + 1);
                List<byte[]> parts = new ArrayList<>(List.of(Arrays.copyOf(file, p), bytes,
                        Arrays.copyOfRange(file, p, file.length)));
                ByteSink s = new ByteSink();
                parts.forEach(s::bytes);
                return s.toArray();
            }

            @Override
            public String toString() {
                return "Insert[at=" + at + ", bytes=" + Arrays.toString(bytes) + "]";
            }
        }

        record Delete(int at, int length) implements Mutation {
            @Override
            public byte[] apply(byte[] file) {
                if (file.length == 0) {
                    return file;
                }
                int p = at % file.length;
                int end = Math.min(file.length, p + length);
                byte[] f = new byte[file.length - (end - p)];
                System.arraycopy(file, 0, f, 0, p);
                System.arraycopy(file, end, f, p, file.length - end);
                return f;
            }
        }
    }
}
