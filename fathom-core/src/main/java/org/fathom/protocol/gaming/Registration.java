package org.fathom.protocol.gaming;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The gaming package declares itself: TeamSpeak, RakNet, Source_Engine, Steam, WorldOfWarcraft:
 * dissectors with their probe placement and the metadata fields they write (see
 * docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField RAKNET_MESSAGE = MetaField.keep("raknet.message");
    public static final MetaField SOURCE_ENGINE_QUERY = MetaField.keep("source_engine.query");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new TeamSpeakDissector(), ProbeClass.MAGIC),
                Probe.of(new RakNetDissector(), ProbeClass.MAGIC),
                Probe.of(new SourceEngineDissector(), ProbeClass.MAGIC),
                Probe.of(new SteamDissector(), ProbeClass.MAGIC),
                Probe.of(new WowDissector(), ProbeClass.STRUCTURE));
    }
}
