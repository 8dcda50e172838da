package org.fathom.protocol.mumble;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Mumble's UDP server ping (Mumble): a 12-byte request and its 24-byte echoed answer. The package
 * declares itself here: dissectors with their probe placement and the metadata fields they write
 * (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // server figures, not personal
    public static final MetaField MUMBLE_USERS = MetaField.keep("mumble.users");
    public static final MetaField MUMBLE_MAX_USERS = MetaField.keep("mumble.max_users");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new MumbleDissector(), ProbeClass.STRUCTURE));
    }
}
