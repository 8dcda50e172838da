package org.fathom.protocol.samples;

import java.util.List;
import org.fathom.protocol.testing.TestFlow;

/** A spec-built example flow of one protocol, with the name the engine should give it. */
public record Sample(String label, String expect, int l4, int clientPort, int serverPort, List<Msg> msgs) {
    public TestFlow flow() {
        return new TestFlow(l4, clientPort, serverPort);
    }

    public TestFlow flowOn(int port) {
        return new TestFlow(l4, clientPort, port);
    }

    @Override
    public String toString() {
        return label;
    }
}
