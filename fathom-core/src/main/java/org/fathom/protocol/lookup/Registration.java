package org.fathom.protocol.lookup;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The lookup package declares itself: Z3950, Whois-DAS: dissectors with their probe placement and
 * the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new Z3950Dissector(), ProbeClass.STRUCTURE),
                Probe.of(new WhoisDissector(), ProbeClass.LOOSE));
    }
}
