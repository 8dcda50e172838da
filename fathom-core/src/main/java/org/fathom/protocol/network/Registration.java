package org.fathom.protocol.network;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Routing, switching, tunnelling and network infrastructure: PPTP, BJNP, DLEP, Teredo, WSD,
 * CAPWAP, OpenFlow, PTPv2, BFD, HSRP, NAT-PMP, KCP. The package declares itself here: dissectors
 * with their probe placement and the metadata fields they write (see docs/CLASSIFICATION.md,
 * "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField BFD_STATE = MetaField.keep("bfd.state");
    public static final MetaField CAPWAP_MESSAGE_TYPE = MetaField.keep("capwap.message_type");
    public static final MetaField HSRP_VERSION = MetaField.keep("hsrp.version");
    public static final MetaField NAT_PMP_OPCODE = MetaField.keep("nat_pmp.opcode");
    public static final MetaField OPENFLOW_VERSION = MetaField.keep("openflow.version");
    public static final MetaField PTP_MESSAGE_TYPE = MetaField.keep("ptp.message_type");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new PptpDissector(), ProbeClass.MAGIC),
                Probe.of(new BjnpDissector(), ProbeClass.MAGIC),
                Probe.of(new DlepDissector(), ProbeClass.STRUCTURE),
                Probe.of(new TeredoDissector(), ProbeClass.STRUCTURE),
                Probe.of(new WsdDissector(), ProbeClass.MAGIC),
                Probe.of(new CapwapDissector(), ProbeClass.STRUCTURE),
                Probe.of(new OpenFlowDissector(), ProbeClass.STRUCTURE),
                Probe.of(new PtpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new BfdDissector(), ProbeClass.STRUCTURE),
                Probe.of(new HsrpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new NatPmpDissector(), ProbeClass.LOOSE),
                Probe.of(new KcpDissector(), ProbeClass.LOOSE));
    }
}
