package org.fathom.voip;

import java.util.ArrayList;
import java.util.List;

/**
 * One direction of a TCP connection carrying SIP: segments in sequence order are appended and
 * cut into messages by Content-Length (several per segment, or one over many). A retransmitted
 * start is trimmed; a gap (lost or out-of-order segment) drops what is buffered and waits for a
 * segment that starts a message. Buffering is bounded by the parser's head and body caps.
 */
final class TcpStream {
    private static final int MAX_BUFFER = SipParser.MAX_HEAD + SipParser.MAX_BODY + 4;
    private byte[] buf = new byte[2048];
    private int n;
    private int nextSeq;
    private boolean synced;

    List<SipMessage> onSegment(int seq, byte[] b, int off, int len) {
        List<SipMessage> out = new ArrayList<>(1);
        if (synced) {
            int diff = seq - nextSeq;
            if (diff > 0) {
                synced = false;   // a gap: what we hold can no longer be completed
                n = 0;
            } else if (diff < 0) {
                int dup = -diff;
                if (dup >= len) {
                    return out;   // pure retransmission
                }
                off += dup;
                len -= dup;
                seq += dup;
            }
        }
        if (!synced) {
            int skip = SipParser.skipBlank(b, off, len);
            if (skip == len || !SipParser.couldStartSip(b, off + skip, len - skip)) {
                return out;
            }
            off += skip;
            len -= skip;
            seq += skip;
            synced = true;
            n = 0;
        }
        if (n + len > MAX_BUFFER) {
            synced = false;
            n = 0;
            return out;
        }
        if (n + len > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.min(MAX_BUFFER, Math.max(buf.length * 2, n + len)));
        }
        System.arraycopy(b, off, buf, n, len);
        n += len;
        nextSeq = seq + len;
        int pos = 0;
        while (pos < n) {
            pos += SipParser.skipBlank(buf, pos, n - pos);
            if (pos >= n) {
                break;
            }
            int f = SipParser.frame(buf, pos, n - pos);
            if (f == SipParser.NEED_MORE) {
                break;
            }
            if (f == SipParser.NOT_SIP) {
                synced = false;
                pos = n;
                break;
            }
            SipMessage m = SipParser.parse(buf, pos, f);
            if (m != null) {
                out.add(m);
            }
            pos += f;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, n - pos);
            n -= pos;
        }
        return out;
    }
}
