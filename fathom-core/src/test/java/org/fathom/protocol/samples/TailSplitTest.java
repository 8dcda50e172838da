package org.fathom.protocol.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stream parsers give the same verdict and metadata wherever TCP splits their messages: at every
 * byte of every message, one byte at a time, and with each direction's messages coalesced.
 */
class TailSplitTest {
    static List<Sample> tcpSamples() {
        return Samples.all().stream().filter(s -> s.l4() == 6).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tcpSamples")
    void sameOutcomeAtEverySplitPoint(Sample s) {
        for (Dissector d : Tail.dissectors()) {
            if (!TailMatrixTest.transportOk(d, 6)) {
                continue;
            }
            Drive.Outcome whole = Drive.run(d, s.flow(), s.msgs());
            if (!whole.recognised()) {
                continue;
            }
            for (Drive.Outcome o : Drive.allSplits(d, s::flow, s.msgs())) {
                assertThat(o).as(s.label()).isEqualTo(whole);
            }
        }
    }
}
