package org.fathom.protocol.apptest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;

/**
 * Every-split-point checks for stream dissectors: the outcome of a conversation must not depend
 * on where TCP cut the bytes of any message.
 */
public final class Splits {
    private Splits() {}

    /** Runs the conversation with each message whole; returns the flow. */
    public static TestFlow whole(Supplier<Dissector> d, Function<Dissector, TestFlow> flow, List<Msg> msgs) {
        TestFlow f = flow.apply(d.get());
        for (Msg m : msgs) {
            f.feed(m.fromClient(), m.bytes());
        }
        return f;
    }

    /**
     * Asserts that splitting any one message at any byte (0..k, k..n), and feeding every message one
     * byte at a time, give the same outcome as whole messages. Returns the whole-message flow.
     */
    public static TestFlow check(Supplier<Dissector> d, Function<Dissector, TestFlow> flow, List<Msg> msgs) {
        TestFlow base = whole(d, flow, msgs);
        String expected = base.outcome();
        for (int which = 0; which < msgs.size(); which++) {
            byte[] b = msgs.get(which).bytes();
            for (int k = 1; k < b.length; k++) {
                TestFlow f = flow.apply(d.get());
                for (int i = 0; i < msgs.size(); i++) {
                    Msg m = msgs.get(i);
                    if (i == which) {
                        f.feed(m.fromClient(), m.bytes(), 0, k);
                        f.feed(m.fromClient(), m.bytes(), k, m.bytes().length - k);
                    } else {
                        f.feed(m.fromClient(), m.bytes());
                    }
                }
                assertThat(f.outcome()).as("message %d split at %d", which, k).isEqualTo(expected);
            }
        }
        TestFlow f = flow.apply(d.get());
        for (Msg m : msgs) {
            byte[] b = m.bytes();
            for (int i = 0; i < b.length; i++) {
                // a copy each time, so that a parser keeping a reference to the caller's buffer fails
                f.feed(m.fromClient(), new byte[] {b[i]}, 0, 1);
            }
        }
        assertThat(f.outcome()).as("one byte at a time").isEqualTo(expected);
        return base;
    }
}
