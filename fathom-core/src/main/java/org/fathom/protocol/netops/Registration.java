package org.fathom.protocol.netops;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The netops package declares itself: PPTP, BJNP, DLEP, Teredo, NetFlow, sFlow, collectd, WSD, CAPWAP, DCERPC, Munin, CHECKMK, Ceph, OpenFlow, SOMEIP, PTPv2, BFD, HSRP, NAT-PMP, RX, AFP, RSH, MPEG_TS, BFCP, KCP: dissectors with their probe
 * placement and the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField BFD_STATE = MetaField.keep("bfd.state");
    public static final MetaField CAPWAP_MESSAGE_TYPE = MetaField.keep("capwap.message_type");
    public static final MetaField DCERPC_INTERFACE = MetaField.keep("dcerpc.interface");
    public static final MetaField HSRP_VERSION = MetaField.keep("hsrp.version");
    public static final MetaField NAT_PMP_OPCODE = MetaField.keep("nat_pmp.opcode");
    public static final MetaField NETFLOW_VERSION = MetaField.keep("netflow.version");
    public static final MetaField OPENFLOW_VERSION = MetaField.keep("openflow.version");
    public static final MetaField PTP_MESSAGE_TYPE = MetaField.keep("ptp.message_type");
    public static final MetaField RX_PACKET_TYPE = MetaField.keep("rx.packet_type");
    public static final MetaField SOMEIP_SD = MetaField.keep("someip.sd");
    public static final MetaField SOMEIP_SERVICE_ID = MetaField.keep("someip.service_id");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new PptpDissector(), ProbeClass.MAGIC),
                Probe.of(new BjnpDissector(), ProbeClass.MAGIC),
                Probe.of(new DlepDissector(), ProbeClass.STRUCTURE),
                Probe.of(new TeredoDissector(), ProbeClass.STRUCTURE),
                Probe.of(new NetFlowDissector(), ProbeClass.STRUCTURE),
                Probe.of(new SflowDissector(), ProbeClass.STRUCTURE),
                Probe.of(new CollectdDissector(), ProbeClass.STRUCTURE),
                Probe.of(new WsdDissector(), ProbeClass.MAGIC),
                Probe.of(new CapwapDissector(), ProbeClass.STRUCTURE),
                Probe.of(new DceRpcDissector(), ProbeClass.STRUCTURE),
                Probe.of(BannerDissector.munin(), ProbeClass.MAGIC),
                Probe.of(BannerDissector.checkmk(), ProbeClass.MAGIC),
                Probe.of(BannerDissector.ceph(), ProbeClass.MAGIC),
                Probe.of(new OpenFlowDissector(), ProbeClass.STRUCTURE),
                Probe.of(new SomeIpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new PtpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new BfdDissector(), ProbeClass.STRUCTURE),
                Probe.of(new HsrpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new NatPmpDissector(), ProbeClass.LOOSE),
                Probe.of(new RxDissector(), ProbeClass.STRUCTURE),
                Probe.of(new AfpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new RshDissector(), ProbeClass.LOOSE).after("Syslog"), // both claim TCP 514: the port guess is Syslog, as nDPI's
                Probe.of(new MpegTsDissector(), ProbeClass.STRUCTURE),
                Probe.of(new BfcpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new KcpDissector(), ProbeClass.LOOSE));
    }
}
