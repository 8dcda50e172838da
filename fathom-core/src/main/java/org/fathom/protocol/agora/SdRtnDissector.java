package org.fathom.protocol.agora;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Agora's SD-RTN (Software Defined Real-Time Network) media transport over UDP. Its wire format is
 * not published; what names it is the edge server's DNS name in clear in the client's opening
 * datagram, as {@code tls.sni} names a TLS service: a control datagram (first byte 0) whose tag
 * list starts at byte 12 with the 4-byte tag "SNI\0" (preceded by its length, 4) and a 16-bit
 * little-endian length, followed by a host name under {@code agora.io} (Agora's edge servers are
 * {@code <address>.edge.agora.io}). The name must be a plain DNS name that ends exactly there, so
 * the rule is the service's domain, not a guess on a byte pattern.
 */
public final class SdRtnDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("SD-RTN", "Media").withProbeDepth(2);
    private static final byte[] TAG = {0x04, 'S', 'N', 'I', 0x00};
    private static final byte[] SUFFIX = {'.', 'a', 'g', 'o', 'r', 'a', '.', 'i', 'o'};
    private static final int HOST_AT = 19;

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? Dissector.bytes(0x00) : null;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (!fromClient) {
            return NEED_MORE;
        }
        if (len < HOST_AT + SUFFIX.length + 1 || b[off] != 0) {
            return NO;
        }
        for (int i = 0; i < TAG.length; i++) {
            if (b[off + 12 + i] != TAG[i]) {
                return NO;
            }
        }
        int n = (b[off + 17] & 0xFF) | (b[off + 18] & 0xFF) << 8;
        if (n <= SUFFIX.length || n > 253 || HOST_AT + n > len) {
            return NO;
        }
        int host = off + HOST_AT;
        for (int i = 0; i < n; i++) {
            int c = b[host + i] & 0xFF;
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.';
            if (!ok) {
                return NO;
            }
        }
        int s = host + n - SUFFIX.length;
        for (int i = 0; i < SUFFIX.length; i++) {
            int c = b[s + i] | 0x20;
            if (c != (SUFFIX[i] | 0x20)) {
                return NO;
            }
        }
        return DONE;
    }
}
