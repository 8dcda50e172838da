package org.fathom.protocol.tftp;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The tftp package declares itself: TFTP: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField TFTP_MODE = MetaField.keep("tftp.mode");
    // user names, device names and requested file names: never written
    public static final MetaField TFTP_REQUEST = MetaField.drop("tftp.request");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new TftpDissector(), ProbeClass.LOOSE));
    }
}
