package org.fathom.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.fathom.protocol.testing.TestFlow;

/** Robustness drills shared by the dissector tests: junk and mutations must never throw. */
public final class DissectorChecks {
    private DissectorChecks() { }

    /** Feeds random and mutated versions of {@code samples} over UDP and TCP on {@code port}; returns calls made. */
    public static int neverThrows(Dissector d, int port, long seed, byte[]... samples) {
        Random r = new Random(seed);
        int calls = 0;
        for (int round = 0; round < 400; round++) {
            byte[] m;
            if (round % 4 == 0 || samples.length == 0) {
                m = new byte[r.nextInt(200)];
                r.nextBytes(m);
            } else {
                byte[] s = samples[r.nextInt(samples.length)];
                m = s.clone();
                int flips = 1 + r.nextInt(6);
                for (int i = 0; i < flips && m.length > 0; i++) {
                    m[r.nextInt(m.length)] = (byte) r.nextInt(256);
                }
                if (r.nextBoolean() && m.length > 0) {
                    m = java.util.Arrays.copyOf(m, r.nextInt(m.length));
                }
            }
            for (int l4 : new int[] {6, 17}) {
                TestFlow c = l4 == 6 ? TestFlow.tcp(port) : TestFlow.udp(port);
                c.feed(d, true, m);
                c.feed(d, false, m);
                c.feed(d, true, m);
                calls += 3;
            }
        }
        return calls;
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
