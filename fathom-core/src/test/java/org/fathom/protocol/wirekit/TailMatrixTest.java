package org.fathom.protocol.wirekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every spec-built sample is recognised by exactly one dissector of the section, under the
 * expected name; and no dissector of the section claims other protocols' first messages, neither on
 * the sample's port nor on its own well-known port.
 */
class TailMatrixTest {
    static List<Sample> samples() {
        return Samples.all();
    }

    static List<Sample> foreign() {
        return Samples.foreign();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void recognisedByExactlyOne(Sample s) {
        List<String> by = new ArrayList<>();
        for (Dissector d : Tail.dissectors()) {
            if (!transportOk(d, s.l4())) {
                continue;
            }
            Drive.Outcome o = Drive.run(d, s.flow(), s.msgs());
            if (o.recognised()) {
                by.add(o.protocol());
            }
        }
        assertThat(by).as(s.label()).containsExactly(s.expect());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void notClaimedOnOtherWellKnownPorts(Sample s) {
        for (Dissector d : Tail.dissectors()) {
            if (!transportOk(d, s.l4())) {
                continue;
            }
            int port = Tail.firstPort(d, s.l4() == 6);
            Drive.Outcome o = Drive.run(d, s.flowOn(port), s.msgs());
            if (o.recognised()) {
                assertThat(o.protocol()).as(s.label() + " on port " + port + " by " + d.descriptor().name()).isEqualTo(s.expect());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreign")
    void foreignFirstMessagesAreRefused(Sample s) {
        for (Dissector d : Tail.dissectors()) {
            if (!transportOk(d, s.l4())) {
                continue;
            }
            assertThat(Drive.run(d, s.flow(), s.msgs()).recognised()).as(s.label() + " by " + d.descriptor().name()).isFalse();
            int port = Tail.firstPort(d, s.l4() == 6);
            assertThat(Drive.run(d, s.flowOn(port), s.msgs()).recognised())
                    .as(s.label() + " on " + port + " by " + d.descriptor().name()).isFalse();
        }
    }

    static boolean transportOk(Dissector d, int l4) {
        int t = d.descriptor().transports();
        return l4 == 6 ? (t & Descriptor.TCP) != 0 : (t & Descriptor.UDP) != 0;
    }
}
