package org.fathom.protocol.kerberos;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The kerberos package declares itself: Kerberos: dissectors with their probe placement and the
 * metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField KERBEROS_ERROR_CODE = MetaField.keep("kerberos.error_code");
    public static final MetaField KERBEROS_REPLY = MetaField.keep("kerberos.reply");
    public static final MetaField KERBEROS_REQUEST = MetaField.keep("kerberos.request");
    // authentication and directories: realms are organisations, not people
    public static final MetaField KERBEROS_REALM = MetaField.scrub("kerberos.realm");
    public static final MetaField KERBEROS_MSG_TYPE = MetaField.keep("kerberos.msg_type");
    // events only: the service principal names a service (host names scrubbed), the client
    // principal is a user name (never written outside identified mode)
    public static final MetaField KERBEROS_SNAME = MetaField.scrub("kerberos.sname");
    public static final MetaField KERBEROS_CNAME = MetaField.drop("kerberos.cname");
    public static final MetaField KERBEROS_ETYPES = MetaField.keep("kerberos.etypes");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new KerberosDissector(), ProbeClass.STRUCTURE));
    }
}
