package org.fathom.protocol.agora;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Agora SD-RTN (SD-RTN): the 4-byte SNI tag and an agora.io edge name in the opening datagram. The
 * package declares itself here: dissectors with their probe placement and the metadata fields they
 * write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new SdRtnDissector(), ProbeClass.MAGIC));
    }
}
