package org.fathom.protocol.syslog;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The syslog package declares itself: Syslog: dissectors with their probe placement and the
 * metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField SYSLOG_FACILITY = MetaField.keep("syslog.facility");
    public static final MetaField SYSLOG_SEVERITY = MetaField.keep("syslog.severity");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new SyslogDissector(), ProbeClass.LOOSE));
    }
}
