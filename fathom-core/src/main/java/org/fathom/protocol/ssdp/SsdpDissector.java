package org.fathom.protocol.ssdp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.http.HttpHead;

/**
 * SSDP, the discovery of UPnP (UPnP Device Architecture 2.0 section 1): HTTP-formatted datagrams
 * on UDP, {@code M-SEARCH * HTTP/1.1} and {@code NOTIFY * HTTP/1.1} (anywhere), and the unicast
 * search answer {@code HTTP/1.1 200 OK} when one side is port 1900 or the head carries an
 * {@code ST} and a {@code USN} field. Metadata: {@code ssdp.method}, {@code ssdp.target} (ST or NT),
 * {@code ssdp.user_agent} / {@code ssdp.server}.
 */
public final class SsdpDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("SSDP", "System", 1900).withProbeDepth(2);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        boolean request = HttpHead.startsWith(b, off, len, "M-SEARCH * HTTP/1.") || HttpHead.startsWith(b, off, len, "NOTIFY * HTTP/1.");
        boolean response = !request && HttpHead.startsWith(b, off, len, "HTTP/1.1 200");
        if (!request && !response) {
            return NO;
        }
        HttpHead h = HttpHead.parse(b, off, len);
        if (h == null) {
            return NO;
        }
        if (response) {
            boolean onPort = ctx.serverPort() == 1900 || ctx.clientPort() == 1900;
            if (!onPort && (h.field("st") == null || h.field("usn") == null)) {
                return NO;
            }
            if (ctx.payloadPackets(true) + ctx.payloadPackets(false) == 1 && fromClient) {
                ctx.swapClient(); // the answer came first: its sender is the server
            }
            ctx.put(Registration.SSDP_TARGET.key(), h.field("st"));
            ctx.put(Registration.SSDP_SERVER.key(), h.field("server"));
            return DONE;
        }
        ctx.put(Registration.SSDP_METHOD.key(), h.first());
        ctx.put(Registration.SSDP_TARGET.key(), h.field("st", "nt"));
        ctx.put(Registration.SSDP_USER_AGENT.key(), h.field("user-agent"));
        ctx.put(Registration.SSDP_SERVER.key(), h.field("server"));
        return DONE;
    }
}
