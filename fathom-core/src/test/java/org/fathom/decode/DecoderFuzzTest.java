package org.fathom.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.fathom.capture.LinkType;

/**
 * Fuzzing the decoder: random bytes under every link type, and well-formed frames with bytes
 * flipped, inserted, deleted or cut. Whatever the input, decode returns a documented code without
 * a bug hidden by its last-resort catch, the payload window lies inside its buffer, and bytes past
 * the captured length never change the outcome (see {@link TwinDecoder}).
 */
class DecoderFuzzTest {
    static final int[] LINK_TYPES = {LinkType.NULL, LinkType.ETHERNET, LinkType.PPP, LinkType.RAW_12, LinkType.RAW_14,
        LinkType.PPP_HDLC, LinkType.RAW, LinkType.C_HDLC, LinkType.IEEE802_11, LinkType.LOOP, LinkType.LINUX_SLL,
        LinkType.IEEE802_11_RADIOTAP, LinkType.PPI, LinkType.IPV4, LinkType.IPV6, LinkType.NFLOG, LinkType.LINUX_SLL2};

    // ---------------------------------------------------------------- (a) random bytes

    @Property(tries = 3000)
    void randomBytesUnderEveryLinkType(@ForAll("linkTypes") int linkType, @ForAll @Size(max = 160) byte[] frame) {
        new TwinDecoder().decode(frame, linkType, 1_000_000_000L);
    }

    /** Random bytes after a valid start, so that the fuzz gets past the first header. */
    @Property(tries = 3000)
    void randomBytesAfterAValidPrefix(@ForAll("prefixes") byte[] prefix, @ForAll @Size(max = 120) byte[] rest) {
        byte[] frame = Arrays.copyOf(prefix, prefix.length + rest.length);
        System.arraycopy(rest, 0, frame, prefix.length, rest.length);
        new TwinDecoder().decode(frame, LinkType.ETHERNET, 0);
    }

    @Provide
    Arbitrary<Integer> linkTypes() {
        return Arbitraries.of(Arrays.stream(LINK_TYPES).boxed().toList());
    }

    @Provide
    Arbitrary<byte[]> prefixes() {
        // cut a well-formed Ethernet seed somewhere in its headers
        return Arbitraries.of(SeedFrames.all().stream().filter(s -> s.linkType() == LinkType.ETHERNET).toList())
                .flatMap(s -> Arbitraries.integers().between(0, Math.min(s.bytes().length, 120))
                        .map(n -> Arrays.copyOf(s.bytes(), n)));
    }

    // ---------------------------------------------------------------- (b) mutated real frames

    /** One edit of a frame; positions are fractions of its length so that they shrink well. */
    record Mutation(int kind, double where, int value, int count) {
        byte[] apply(byte[] f) {
            int at = (int) (where * f.length);
            return switch (kind) {
                case 0 -> { // flip one bit
                    if (f.length == 0) {
                        yield f;
                    }
                    byte[] r = f.clone();
                    r[Math.min(at, f.length - 1)] ^= (byte) (1 << (value & 7));
                    yield r;
                }
                case 1 -> { // overwrite a few bytes with one value (0x00, 0xFF, or anything)
                    byte[] r = f.clone();
                    for (int i = at; i < Math.min(f.length, at + count); i++) {
                        r[i] = (byte) value;
                    }
                    yield r;
                }
                case 2 -> { // insert bytes
                    byte[] r = new byte[f.length + count];
                    System.arraycopy(f, 0, r, 0, at);
                    Arrays.fill(r, at, at + count, (byte) value);
                    System.arraycopy(f, at, r, at + count, f.length - at);
                    yield r;
                }
                case 3 -> { // delete bytes
                    int n = Math.min(count, f.length - at);
                    byte[] r = new byte[f.length - n];
                    System.arraycopy(f, 0, r, 0, at);
                    System.arraycopy(f, at + n, r, at, f.length - at - n);
                    yield r;
                }
                default -> Arrays.copyOf(f, at); // truncate
            };
        }
    }

    @Provide
    Arbitrary<SeedFrames.Seed> seeds() {
        return Arbitraries.of(SeedFrames.all());
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Integer> values = Arbitraries.oneOf(Arbitraries.of(0x00, 0xFF, 0x7F, 0x80, 0x01),
                Arbitraries.integers().between(0, 255));
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.doubles().between(0, 1), values, Arbitraries.integers().between(1, 8)).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 3000)
    void mutatedFramesAreHandled(@ForAll("seeds") SeedFrames.Seed seed, @ForAll("mutations") List<Mutation> mutations) {
        byte[] f = seed.bytes();
        for (Mutation m : mutations) {
            f = m.apply(f);
        }
        new TwinDecoder().decode(f, seed.linkType(), 0);
    }

    /** Several mutated frames through one decoder, so that damaged fragments meet the reassembler. */
    @Property(tries = 1000)
    void mutatedSequencesAreHandled(@ForAll("sequences") List<byte[]> frames) {
        TwinDecoder t = new TwinDecoder();
        long ts = 0;
        for (byte[] f : frames) {
            t.decode(f, LinkType.ETHERNET, ts += 100_000_000L);
        }
    }

    @Provide
    Arbitrary<List<byte[]>> sequences() {
        List<SeedFrames.Seed> fragments = SeedFrames.all().stream().filter(s -> s.name().contains("fragment")).toList();
        Arbitrary<byte[]> frame = Combinators.combine(Arbitraries.of(fragments), mutations().list().ofMaxSize(1))
                .as((s, ms) -> {
                    byte[] f = s.bytes();
                    for (List<Mutation> l : ms) {
                        for (Mutation m : l) {
                            f = m.apply(f);
                        }
                    }
                    return f;
                });
        return frame.list().ofMinSize(1).ofMaxSize(12);
    }

    /** The well-formed seeds themselves decode to something keyed (a sanity check on the seed set). */
    @Property(tries = 200)
    void seedsDecode(@ForAll("seeds") SeedFrames.Seed seed) {
        int r = new TwinDecoder().decode(seed.bytes(), seed.linkType(), 0);
        assertThat(r).isIn(PacketDecoder.OK, PacketDecoder.FRAGMENT);
    }
}
