package org.fathom.protocol.sip;

import org.fathom.protocol.http.FakeFlowContext;

/** Drives the SIP dissector over TCP and UDP for property tests elsewhere. */
public final class SipDissectorProbe {
    private static final SipDissector D = new SipDissector();

    private SipDissectorProbe() { }

    public static void feedBothWays(byte[] msg, byte[] tail) {
        FakeFlowContext t = FakeFlowContext.tcp(5060);
        int half = msg.length / 2;
        t.feed(D, true, msg, 0, half);
        t.feed(D, true, msg, half, msg.length - half);
        t.feed(D, true, tail, 0, tail.length);
        FakeFlowContext u = FakeFlowContext.udp(5060);
        u.feed(D, true, msg);
        u.feed(D, false, tail);
    }
}
