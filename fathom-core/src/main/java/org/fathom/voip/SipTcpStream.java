package org.fathom.voip;

import org.fathom.protocol.sip.SipFramer;
import org.fathom.protocol.sip.SipParser;
import org.fathom.reassembly.TcpReorderer;

/**
 * One direction of a TCP connection carrying SIP, for call analytics: the bytes in sequence
 * order ({@link TcpReorderer}, retransmitted bytes trimmed) cut into messages ({@link SipFramer},
 * bodies up to {@link SipParser#MAX_BODY}). Nothing is held behind a gap: a message's time is the
 * time of the packet that completes it, so waiting for a lost segment would shift call times. A
 * gap drops the partial message instead, and the framer takes up again at a segment that starts
 * a message. No allocation per segment once the buffer has grown.
 */
final class SipTcpStream implements TcpReorderer.Sink {
    private final TcpReorderer order = new TcpReorderer(0, 0);
    private final SipFramer framer = new SipFramer(SipParser.MAX_BODY);
    private SipFramer.Handler handler;

    /** One segment; each message it completes goes to {@code h}, in order. */
    void segment(int seq, byte[] b, int off, int len, SipFramer.Handler h) {
        handler = h;
        try {
            order.segment(seq, b, off, len, this);
        } finally {
            handler = null;
        }
    }

    @Override
    public void bytes(byte[] b, int off, int len) {
        framer.feed(b, off, len, handler);
    }

    @Override
    public void gap(long missing) {
        framer.gap();
    }
}
