package org.fathom.voip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The open-addressing endpoint table against a HashMap under random binds and unbinds. */
class MediaTableTest {
    @Test
    void agreesWithAHashMapUnderChurnAndStaysCapped() {
        SplittableRandom rnd = new SplittableRandom(7);
        int cap = 3_000;
        MediaTable t = new MediaTable(cap);
        Map<List<Long>, RtpStream> ref = new HashMap<>();
        Call[] calls = new Call[50];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = new Call("c" + i, null, null, 0, 0, 0, 0, 0, 0, "UDP", 0, false);
        }
        for (int op = 0; op < 400_000; op++) {
            // few distinct keys, clustered ports: long probe runs, many wrap-arounds
            long hi = rnd.nextInt(2) == 0 ? 0 : 0x20010db800000000L;
            long lo = 0xffff0a000000L | rnd.nextInt(64);
            int port = 10_000 + rnd.nextInt(80);
            List<Long> k = List.of(hi, lo, (long) port);
            Call c = calls[rnd.nextInt(calls.length)];
            if (rnd.nextInt(3) > 0) {
                RtpStream s = rnd.nextBoolean() ? c.callerToCallee : c.calleeToCaller;
                int r = t.put(hi, lo, port, s, true);
                if (r == 0) {
                    assertThat(ref).hasSize(cap).doesNotContainKey(k);
                } else {
                    assertThat(r == 2).isEqualTo(ref.containsKey(k));
                    ref.put(k, s);
                }
            } else {
                RtpStream had = ref.get(k);
                boolean mine = had != null && had.call == c;
                assertThat(t.remove(hi, lo, port, c)).isEqualTo(mine);
                if (mine) {
                    ref.remove(k);
                }
            }
            if (op % 997 == 0) {
                assertThat(t.size()).isEqualTo(ref.size());
                for (var e : ref.entrySet()) {
                    int s = t.find(e.getKey().get(0), e.getKey().get(1), e.getKey().get(2).intValue());
                    assertThat(s).isGreaterThanOrEqualTo(0);
                    assertThat(t.stream(s)).isSameAs(e.getValue());
                }
            }
        }
        assertThat(t.size()).isLessThanOrEqualTo(cap);
    }
}
