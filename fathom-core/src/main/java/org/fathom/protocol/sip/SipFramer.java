package org.fathom.protocol.sip;

/**
 * Cuts one direction of a SIP byte stream (TCP, in order) into messages by Content-Length:
 * several messages per chunk, one message over many, CR/LF keep-alives between them. A message is
 * handed over when its head and its body (cut to the body cap; the rest of a longer body is
 * passed over) are in. Bounded: the buffer never holds more than {@link SipParser#MAX_HEAD} plus
 * the body cap. Used by the SIP dissector and by call analytics, each with its own body cap.
 *
 * <p>Bytes that cannot be SIP make {@link #feed} answer {@link #NOT_SIP} (a start that is not
 * SIP's) or {@link #MALFORMED} (a head over the cap, a Content-Length that is not a number), and
 * the framer loses step; so does a {@link #gap}, a hole in the stream. Out of step, a chunk is looked at only where it starts, as a
 * segment may start a new message: once one can, the framer is in step again.
 */
public final class SipFramer {
    /** Receives each message: head and (cut) body in {@code b[off, off+len)}, valid during the call. */
    public interface Handler {
        /** @return false to stop: {@link #feed} returns {@link #STOPPED} at once */
        boolean message(byte[] b, int off, int len);

        /** A message's head, as soon as it is in (before its body). @return false to stop, as above */
        default boolean head(byte[] b, int off, int len) {
            return true;
        }
    }

    public static final int OK = 0;
    /** The bytes do not start a SIP message. */
    public static final int NOT_SIP = -1;
    /** A head over the cap, or a Content-Length that is not a number. */
    public static final int MALFORMED = -2;
    /** The handler said stop. */
    public static final int STOPPED = -3;

    private final int maxBody;
    private byte[] buf = new byte[512];
    private int n;
    /** Bytes the current message needs buffered (head plus kept body); -1 until its head is in. */
    private int want = -1;
    /** Body bytes beyond the cap of the current message, to pass over once it is handed over. */
    private int overCap;
    /** Body bytes beyond the cap of the last message, still to pass over. */
    private long skip;
    private boolean inStep;

    /** @param maxBody bodies are cut to this (at most {@link SipParser#MAX_BODY}) */
    public SipFramer(int maxBody) {
        this.maxBody = Math.clamp(maxBody, 0, SipParser.MAX_BODY);
    }

    /** Bytes are missing before the next ones: the partial message is dropped and the framer loses step. */
    public void gap() {
        n = 0;
        want = -1;
        overCap = 0;
        skip = 0;
        inStep = false;
    }

    /** Whether bytes are held of a message not yet complete. */
    public boolean partial() {
        return n > 0 || skip > 0;
    }

    /** Feeds the next chunk of the stream; returns {@link #OK}, {@link #NOT_SIP}, {@link #MALFORMED} or {@link #STOPPED}. */
    public int feed(byte[] b, int off, int len, Handler h) {
        int end = off + len;
        if (!inStep) {
            int blank = SipParser.skipBlank(b, off, len);
            if (blank == len || !SipParser.couldStart(b, off + blank, len - blank)) {
                return OK; // waits for a chunk that starts a message
            }
            off += blank;
            inStep = true;
        }
        while (off < end) {
            if (skip > 0) {
                int k = (int) Math.min(skip, end - off);
                skip -= k;
                off += k;
                continue;
            }
            if (want < 0) {
                if (n == 0) {
                    off += SipParser.skipBlank(b, off, end - off); // keep-alives between messages
                    if (off == end) {
                        break;
                    }
                }
                int take = Math.min(end - off, SipParser.MAX_HEAD - n);
                int scanFrom = Math.max(0, n - 3);
                append(b, off, take);
                if (n >= 8 && !SipParser.couldStart(buf, 0, n)) { // judged once a start line's first token is in
                    return lost(NOT_SIP);
                }
                int head = SipParser.headEnd(buf, scanFrom, n - scanFrom);
                if (head < 0) {
                    if (n >= SipParser.MAX_HEAD) {
                        return lost(MALFORMED);
                    }
                    off += take;
                    continue;
                }
                head += scanFrom;
                off += take - (n - head); // the bytes after the head go back to the loop
                n = head;
                int cl = SipParser.contentLength(buf, 0, head);
                if (cl == SipParser.INVALID) {
                    return lost(MALFORMED);
                }
                if (!h.head(buf, 0, head)) {
                    gap();
                    return STOPPED;
                }
                int body = Math.max(cl, 0);
                int kept = Math.min(body, maxBody);
                want = head + kept;
                overCap = body - kept;
            }
            if (n < want) {
                int k = Math.min(want - n, end - off);
                append(b, off, k);
                off += k;
                if (n < want) {
                    continue;
                }
            }
            int len0 = n;
            skip = overCap;
            n = 0;
            want = -1;
            overCap = 0;
            if (!h.message(buf, 0, len0)) {
                inStep = false;
                return STOPPED;
            }
        }
        return OK;
    }

    private int lost(int why) {
        gap();
        return why;
    }

    private void append(byte[] b, int off, int k) {
        if (n + k > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.min(SipParser.MAX_HEAD + maxBody, Math.max(n + k, buf.length * 2)));
        }
        System.arraycopy(b, off, buf, n, k);
        n += k;
    }
}
