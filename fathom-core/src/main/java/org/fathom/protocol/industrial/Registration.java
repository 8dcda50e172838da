package org.fathom.protocol.industrial;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The industrial package declares itself: DNP3, S7Comm, OPC-UA, BeckhoffADS, HiSLIP,
 * Controller_Area_Network, ANSI_C1222, CIP, EthernetGlobalData, Ether-S-Bus, CNP-IP, ATG, BACnet,
 * KNXnet_IP, HART-IP, EthernetIP, IEC62056, IEC60870, Modbus: dissectors with their probe
 * placement and the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField ADS_COMMAND = MetaField.keep("ads.command");
    public static final MetaField BACNET_BVLC_FUNCTION = MetaField.keep("bacnet.bvlc_function");
    public static final MetaField DNP3_SRC_ADDRESS = MetaField.keep("dnp3.src_address");
    public static final MetaField DNP3_DST_ADDRESS = MetaField.keep("dnp3.dst_address");
    public static final MetaField ENIP_COMMAND = MetaField.keep("enip.command");
    public static final MetaField HART_IP_MESSAGE_ID = MetaField.keep("hart_ip.message_id");
    public static final MetaField HISLIP_MESSAGE_TYPE = MetaField.keep("hislip.message_type");
    public static final MetaField IEC60870_TYPE_ID = MetaField.keep("iec60870.type_id");
    public static final MetaField KNXNET_IP_SERVICE = MetaField.keep("knxnet_ip.service");
    public static final MetaField MODBUS_EXCEPTION_CODE = MetaField.keep("modbus.exception_code");
    public static final MetaField MODBUS_FUNCTION = MetaField.keep("modbus.function");
    public static final MetaField MODBUS_UNIT_ID = MetaField.keep("modbus.unit_id");
    // server names, software versions and endpoint URLs that may embed an address
    public static final MetaField OPCUA_ENDPOINT_URL = MetaField.scrub("opcua.endpoint_url");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new Dnp3Dissector(), ProbeClass.MAGIC),
                Probe.of(new S7Dissector(), ProbeClass.STRUCTURE),
                Probe.of(new OpcUaDissector(), ProbeClass.MAGIC),
                Probe.of(new AdsDissector(), ProbeClass.STRUCTURE),
                Probe.of(new HislipDissector(), ProbeClass.MAGIC),
                Probe.of(new CanEthDissector(), ProbeClass.MAGIC),
                Probe.of(FieldbusDissector.c1222(), ProbeClass.STRUCTURE),
                Probe.of(FieldbusDissector.cipIo(), ProbeClass.STRUCTURE),
                Probe.of(FieldbusDissector.egd(), ProbeClass.STRUCTURE),
                Probe.of(FieldbusDissector.etherSBus(), ProbeClass.STRUCTURE),
                Probe.of(FieldbusDissector.cnpIp(), ProbeClass.STRUCTURE),
                Probe.of(FieldbusDissector.atg(), ProbeClass.MAGIC),
                Probe.of(new BacnetDissector(), ProbeClass.STRUCTURE),
                Probe.of(new KnxIpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new HartIpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new EtherNetIpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new DlmsDissector(), ProbeClass.STRUCTURE),
                Probe.of(new Iec104Dissector(), ProbeClass.LOOSE),
                Probe.of(new ModbusDissector(), ProbeClass.LOOSE));
    }
}
