package org.fathom.protocol.sip;

import org.fathom.protocol.testing.TestFlow;


/** Drives the SIP dissector over TCP and UDP for property tests elsewhere. */
public final class SipDissectorProbe {
    private static final SipDissector D = new SipDissector();

    private SipDissectorProbe() { }

    public static void feedBothWays(byte[] msg, byte[] tail) {
        TestFlow t = TestFlow.tcp(5060);
        int half = msg.length / 2;
        t.feed(D, true, msg, 0, half);
        t.feed(D, true, msg, half, msg.length - half);
        t.feed(D, true, tail, 0, tail.length);
        TestFlow u = TestFlow.udp(5060);
        u.feed(D, true, msg);
        u.feed(D, false, tail);
    }
}
