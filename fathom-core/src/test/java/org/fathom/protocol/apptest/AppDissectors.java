package org.fathom.protocol.apptest;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.ProtocolRegistry;

/** Every registered dissector, in probe order (the registry, not a hand-kept list). */
public final class AppDissectors {
    private AppDissectors() {}

    public static List<Dissector> all() {
        return ProtocolRegistry.defaults().dissectors();
    }
}
