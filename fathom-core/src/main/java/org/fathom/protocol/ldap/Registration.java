package org.fathom.protocol.ldap;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The ldap package declares itself: LDAP: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField LDAP_OPERATION = MetaField.keep("ldap.operation");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new LdapDissector(), ProbeClass.STRUCTURE));
    }
}
