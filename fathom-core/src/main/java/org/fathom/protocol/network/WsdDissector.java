package org.fathom.protocol.network;

import static org.fathom.wire.Bytes.indexOf;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * WS-Discovery (OASIS WS-DD 1.1, and the 2005/04 draft used by Windows) as SOAP-over-UDP on port
 * 3702: an XML document (optionally after a byte order mark and whitespace) whose first 4 KiB
 * declare a SOAP envelope and a WS-Discovery namespace.
 */
public final class WsdDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("WSD", "Network", 3702).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        int i = 0;
        if (len >= 3 && (b[off] & 0xFF) == 0xEF && (b[off + 1] & 0xFF) == 0xBB && (b[off + 2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < len && (b[off + i] == ' ' || b[off + i] == '\r' || b[off + i] == '\n' || b[off + i] == '\t')) {
            i++;
        }
        if (i >= len || b[off + i] != '<') {
            return NO;
        }
        int limit = Math.min(len, 4096);
        if (indexOf(b, off, limit, "Envelope", limit) < 0) {
            return NO;
        }
        if (indexOf(b, off, limit, "schemas.xmlsoap.org/ws/2005/04/discovery", limit) < 0
                && indexOf(b, off, limit, "docs.oasis-open.org/ws-dd/ns/discovery/2009/01", limit) < 0) {
            return NO;
        }
        return DONE;
    }
}
