package org.fathom.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.testing.TestFlow;

/** The HPACK decoder and the HTTP/2 frame parser on hostile input: they never throw and stay bounded. */
class Http2Properties {
    @Property(tries = 1000)
    void hpackNeverThrowsAndTheTableStaysCapped(@ForAll @Size(max = 600) List<@Size(max = 300) byte[]> blocks) {
        Hpack h = new Hpack();
        for (byte[] b : blocks) {
            h.decode(b, 0, b.length, (n, v) -> {
                assertThat(n.length()).isLessThanOrEqualTo(Hpack.MAX_STRING);
                assertThat(v.length()).isLessThanOrEqualTo(Hpack.MAX_STRING);
            });
            assertThat(h.dynamicSize()).isLessThanOrEqualTo(Hpack.MAX_TABLE_SIZE);
        }
    }

    @Property(tries = 500)
    void huffmanRoundTrips(@ForAll @Size(max = 200) byte[] raw) {
        byte[] enc = H2Frames.huffman(raw);
        byte[] out = new byte[raw.length];
        assertThat(Hpack.huffman(enc, 0, enc.length, out)).isEqualTo(raw.length);
        assertThat(out).isEqualTo(raw);
    }

    @Property(tries = 300)
    void encodedBlocksDecodeToTheirFields(@ForAll("fields") List<String[]> fields) {
        H2Frames e = new H2Frames();
        for (String[] f : fields) {
            if (f[2].equals("i")) {
                e.incremental(0, f[0], f[1], f[0].length() % 2 == 0);
            } else {
                e.literal(0, f[0], f[1], f[1].length() % 2 == 0);
            }
        }
        byte[] b = e.bytes();
        Hpack h = new Hpack();
        List<String> out = new java.util.ArrayList<>();
        assertThat(h.decode(b, 0, b.length, (n, v) -> out.add(n + "=" + v))).isTrue();
        assertThat(out).containsExactlyElementsOf(fields.stream().map(f -> f[0] + "=" + f[1]).toList());
        // and again, now by reference to the dynamic table where they were indexed
        H2Frames again = new H2Frames();
        int indexed = (int) fields.stream().filter(f -> f[2].equals("i")).count();
        for (int k = indexed - 1; k >= 0 && h.dynamicCount() > k; k--) {
            again.indexed(62 + k);
        }
        byte[] a = again.bytes();
        assertThat(h.decode(a, 0, a.length, (n, v) -> { })).isTrue();
    }

    @Provide
    Arbitrary<List<String[]>> fields() {
        // octets: HPACK strings are bytes (ISO-8859-1 here, one char per octet)
        Arbitrary<String> s = Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(40);
        return Combinators.combine(Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMinLength(1).ofMaxLength(40), s, Arbitraries.of("i", "l")).as((a, b, c) -> new String[] {a, b, c})
                .list().ofMaxSize(30);
    }

    /** Random frames after the preface, fed in random cuts, both directions, events on: no exception, bounded state. */
    @Property(tries = 500)
    void framesNeverThrow(@ForAll("frames") List<byte[]> frames, @ForAll @IntRange(min = 1, max = 64) int cut) {
        TestFlow f = TestFlow.tcp(new HttpDissector(), 80);
        f.transactions = true;
        byte[] pre = H2Frames.preface();
        f.feed(true, pre);
        int i = 0;
        for (byte[] fr : frames) {
            boolean client = i++ % 3 != 1;
            for (int p = 0; p < fr.length; p += cut) {
                byte[] part = java.util.Arrays.copyOfRange(fr, p, Math.min(fr.length, p + cut));
                f.feed(client, part);
            }
        }
        f.end();
        HttpDissector.State st = (HttpDissector.State) f.state();
        if (st != null && st.h2 != null) {
            assertThat(st.h2.streams == null ? 0 : st.h2.streams.size()).isZero();   // all flushed
            assertThat(st.h2.client.blockN).isLessThanOrEqualTo(Http2Connection.MAX_BLOCK);
        }
        assertThat(f.events.size()).isLessThanOrEqualTo(frames.size() * 2 + 1);
    }

    @Provide
    Arbitrary<List<byte[]>> frames() {
        Arbitrary<Integer> type = Arbitraries.of(0, 1, 1, 1, 3, 4, 5, 8, 9, 9, 2, 6, 7, 0x42);
        Arbitrary<Integer> flags = Arbitraries.of(0, 1, 4, 5, 8, 0x20, 0x2D, 0xFF);
        Arbitrary<Integer> stream = Arbitraries.integers().between(0, 9);
        Arbitrary<byte[]> payload = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(80),
                Arbitraries.of(new H2Frames().indexed(2).indexed(6).incremental(4, null, "/x", true).bytes(),
                        new H2Frames().indexed(8).incremental(0, "server", "s", false).bytes(),
                        new H2Frames().indexed(13).indexed(62).bytes(),
                        new H2Frames().sizeUpdate(0).sizeUpdate(100000).bytes()));
        return Combinators.combine(type, flags, stream, payload).as((t, fl, s, p) -> H2Frames.frame(t, fl, s, p)).list().ofMaxSize(40);
    }
}
