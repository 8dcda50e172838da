package org.fathom.protocol.finance;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Financial trading: FIX. The package declares itself here: dissectors with their probe placement
 * and the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    public static final MetaField FIX_VERSION = MetaField.keep("fix.version");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new FixDissector(), ProbeClass.MAGIC));
    }
}
