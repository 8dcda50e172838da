package org.fathom.protocol.git;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The git package declares itself: Git: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // server names a client asked for (like http.host)
    public static final MetaField GIT_HOST = MetaField.scrub("git.host");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new GitDissector(), ProbeClass.MAGIC));
    }
}
