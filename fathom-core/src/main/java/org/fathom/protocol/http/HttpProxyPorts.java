package org.fathom.protocol.http;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Names the proxy ports (8080, 3128) for the port fallback only, as nDPI does with
 * {@code HTTP_Proxy}: it never claims payload itself ({@link HttpDissector} recognises proxy
 * requests by their absolute-form target on any port).
 */
public final class HttpProxyPorts implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("HTTP_Proxy", "Web", 8080, 3128).withProbeDepth(1);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        return NO;
    }
}
