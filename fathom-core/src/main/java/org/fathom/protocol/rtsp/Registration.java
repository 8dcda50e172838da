package org.fathom.protocol.rtsp;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The rtsp package declares itself: RTSP: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField RTSP_STATUS = MetaField.keep("rtsp.status");
    // server names a client asked for (like http.host)
    public static final MetaField RTSP_HOST = MetaField.scrub("rtsp.host");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new RtspDissector(), ProbeClass.MAGIC));
    }
}
