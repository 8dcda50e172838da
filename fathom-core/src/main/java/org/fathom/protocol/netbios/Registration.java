package org.fathom.protocol.netbios;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The netbios package declares itself: NetBIOS: dissectors with their probe placement and the
 * metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // user names, device names and requested file names: never written
    public static final MetaField NETBIOS_NAME = MetaField.drop("netbios.name");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new NetBiosDissector(), ProbeClass.STRUCTURE));
    }
}
