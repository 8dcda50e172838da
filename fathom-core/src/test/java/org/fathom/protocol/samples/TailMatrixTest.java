package org.fathom.protocol.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.Probe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exclusivity of the registrations, on the spec-built samples, over every registered dissector
 * (the registry, so a new package is covered without being listed): each sample is recognised by
 * its protocol's dissector, under the expected name, and by no other one unless the two are
 * declared related (a {@code before}/{@code after} constraint orders them); no dissector claims
 * another protocol's first messages, neither on the sample's port nor on its own well-known port
 * (except one declared {@link Probe#lenientOnItsPort} on its own port: the port is part of its evidence).
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
    void recognisedByItsProtocolAlone(Sample s) {
        List<String> by = new ArrayList<>();
        List<Probe> who = new ArrayList<>();
        for (Probe p : Tail.probes()) {
            Dissector d = p.dissector();
            if (!transportOk(d, s.l4())) {
                continue;
            }
            Drive.Outcome o = Drive.run(d, s.flow(), s.msgs());
            if (o.recognised()) {
                by.add(o.protocol());
                who.add(p);
            }
        }
        assertThat(by).as(s.label()).contains(s.expect());
        Probe own = who.get(by.indexOf(s.expect()));
        List<String> unrelated = new ArrayList<>();
        for (int i = 0; i < who.size(); i++) {
            if (who.get(i) != own && !who.get(i).relatedTo(own)) {
                unrelated.add(by.get(i));
            }
        }
        assertThat(unrelated).as(s.label() + ": also recognised by, without a declared order against " + own.name()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void notClaimedOnOtherWellKnownPorts(Sample s) {
        for (Probe p : Tail.probes()) {
            Dissector d = p.dissector();
            if (!transportOk(d, s.l4()) || p.portLenient()) {
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
        for (Probe p : Tail.probes()) {
            Dissector d = p.dissector();
            if (!transportOk(d, s.l4()) || Samples.owners(s).contains(p.name())) {
                continue;
            }
            assertThat(Drive.run(d, s.flow(), s.msgs()).recognised()).as(s.label() + " by " + d.descriptor().name()).isFalse();
            if (p.portLenient()) {
                continue; // declared lenient on its own port
            }
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
