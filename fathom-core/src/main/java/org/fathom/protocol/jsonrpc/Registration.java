package org.fathom.protocol.jsonrpc;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The jsonrpc package declares itself: JSON-RPC 2.0 over TCP (see docs/CLASSIFICATION.md,
 * "Adding a protocol"; over HTTP it is named by the http package). It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new JsonRpcDissector(), ProbeClass.STRUCTURE));
    }
}
