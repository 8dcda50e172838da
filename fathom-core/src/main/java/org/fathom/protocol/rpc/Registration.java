package org.fathom.protocol.rpc;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Remote procedure calls (ONC RPC, DCE/RPC): DCERPC, NFS. The package declares itself here:
 * dissectors with their probe placement and the metadata fields they write (see
 * docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    public static final MetaField DCERPC_INTERFACE = MetaField.keep("dcerpc.interface");
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField NFS_PROGRAM = MetaField.keep("nfs.program");
    public static final MetaField NFS_VERSION = MetaField.keep("nfs.version");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new DceRpcDissector(), ProbeClass.STRUCTURE),
                Probe.of(new NfsDissector(), ProbeClass.STRUCTURE));
    }
}
