package org.fathom.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/**
 * Every registered dissector's {@link Dissector#firstBytes} agrees with its own verdict: a
 * direction whose first payload starts with a byte outside the set is answered NO, so the
 * classifier may drop the dissector without calling it. Iterates the registry.
 */
class FirstBytesTest {
    @Test
    void declaredFirstBytesAgreeWithTheDissectors() {
        Random r = new Random(15);
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Dissector d : ProtocolRegistry.defaults().dissectors()) {
            for (boolean fromClient : new boolean[] {true, false}) {
                long[] set = d.firstBytes(fromClient);
                if (set == null) {
                    continue;
                }
                Descriptor desc = d.descriptor();
                for (int v = 0; v < 256; v++) {
                    if ((set[v >>> 6] & (1L << (v & 63))) != 0) {
                        continue;
                    }
                    for (boolean tcp : new boolean[] {true, false}) {
                        if ((desc.transports() & (tcp ? Descriptor.TCP : Descriptor.UDP)) == 0) {
                            continue;
                        }
                        int[] ports = tcp ? desc.tcpPorts() : desc.udpPorts();
                        byte[] p = new byte[1 + r.nextInt(400)];
                        r.nextBytes(p);
                        p[0] = (byte) v;
                        TestFlow f = new TestFlow(d, tcp, ports.length > 0 ? ports[0] : 40001);
                        int verdict = f.feed(fromClient, p);
                        checked++;
                        if (verdict != Dissector.NO) {
                            wrong.add(desc.name() + (fromClient ? " client " : " server ") + v + " -> " + verdict);
                        }
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void theRegistryMasksHoldExactlyTheDissectorsThatRuleTheByteOut() {
        ProtocolRegistry reg = ProtocolRegistry.defaults();
        for (int v = 0; v < 256; v++) {
            for (boolean fromClient : new boolean[] {true, false}) {
                long[] mask = reg.excludedByFirstByte(fromClient, v);
                for (int i = 0; i < reg.size(); i++) {
                    long[] set = reg.get(i).firstBytes(fromClient);
                    boolean out = set != null && (set[v >>> 6] & (1L << (v & 63))) == 0;
                    boolean inMask = mask != null && (mask[i >>> 6] & (1L << i)) != 0;
                    assertThat(inMask).as(reg.get(i).descriptor().name() + " byte " + v).isEqualTo(out);
                }
            }
        }
    }
}
