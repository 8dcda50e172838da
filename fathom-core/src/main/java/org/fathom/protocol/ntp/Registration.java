package org.fathom.protocol.ntp;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The ntp package declares itself: NTP: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField NTP_MODE = MetaField.keep("ntp.mode");
    public static final MetaField NTP_VERSION = MetaField.keep("ntp.version");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new NtpDissector(), ProbeClass.LOOSE));
    }
}
