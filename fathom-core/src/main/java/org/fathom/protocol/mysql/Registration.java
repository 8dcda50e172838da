package org.fathom.protocol.mysql;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The mysql package declares itself: MySQL: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField MYSQL_SERVER_VERSION = MetaField.keep("mysql.server_version");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new MySqlDissector(), ProbeClass.STRUCTURE));
    }
}
