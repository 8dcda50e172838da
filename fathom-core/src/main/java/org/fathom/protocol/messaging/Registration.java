package org.fathom.protocol.messaging;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The messaging package declares itself: Gearman, JRMI, ZeroMQ, AMQP, MQTT, STOMP, Nats, FIX, AJP, FastCGI, Thrift, SMPP, Diameter, Cassandra, Elasticsearch, Memcached: dissectors with their probe
 * placement and the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField AJP_METHOD = MetaField.keep("ajp.method");
    public static final MetaField AMQP_VERSION = MetaField.keep("amqp.version");
    public static final MetaField CASSANDRA_PROTOCOL_VERSION = MetaField.keep("cassandra.protocol_version");
    public static final MetaField DIAMETER_COMMAND = MetaField.keep("diameter.command");
    public static final MetaField FIX_VERSION = MetaField.keep("fix.version");
    public static final MetaField GEARMAN_PACKET_TYPE = MetaField.keep("gearman.packet_type");
    public static final MetaField MEMCACHED_COMMAND = MetaField.keep("memcached.command");
    public static final MetaField MQTT_CONNACK_CODE = MetaField.keep("mqtt.connack_code");
    public static final MetaField MQTT_KEEP_ALIVE = MetaField.keep("mqtt.keep_alive");
    public static final MetaField MQTT_VERSION = MetaField.keep("mqtt.version");
    public static final MetaField NATS_SERVER_VERSION = MetaField.keep("nats.server_version");
    public static final MetaField SMPP_VERSION = MetaField.keep("smpp.version");
    public static final MetaField STOMP_SERVER = MetaField.keep("stomp.server");
    public static final MetaField STOMP_VERSION = MetaField.keep("stomp.version");
    public static final MetaField THRIFT_METHOD = MetaField.keep("thrift.method");
    public static final MetaField ZEROMQ_MECHANISM = MetaField.keep("zeromq.mechanism");
    // server names, software versions and endpoint URLs that may embed an address
    public static final MetaField AJP_SERVER_NAME = MetaField.scrub("ajp.server_name");
    public static final MetaField FASTCGI_HOST = MetaField.scrub("fastcgi.host");
    // user names, device names and requested file names: never written
    public static final MetaField MQTT_USER = MetaField.drop("mqtt.user");
    public static final MetaField SMPP_USER = MetaField.drop("smpp.user");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new GearmanDissector(), ProbeClass.MAGIC),
                Probe.of(new JrmiDissector(), ProbeClass.MAGIC),
                Probe.of(new ZmtpDissector(), ProbeClass.MAGIC),
                Probe.of(new AmqpDissector(), ProbeClass.MAGIC),
                Probe.of(new MqttDissector(), ProbeClass.MAGIC),
                Probe.of(new StompDissector(), ProbeClass.MAGIC),
                Probe.of(new NatsDissector(), ProbeClass.MAGIC),
                Probe.of(new FixDissector(), ProbeClass.MAGIC),
                Probe.of(new AjpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new FastCgiDissector(), ProbeClass.STRUCTURE),
                Probe.of(new ThriftDissector(), ProbeClass.MAGIC),
                Probe.of(new SmppDissector(), ProbeClass.STRUCTURE),
                Probe.of(new DiameterDissector(), ProbeClass.STRUCTURE),
                Probe.of(new CassandraDissector(), ProbeClass.STRUCTURE),
                Probe.of(new ElasticsearchDissector(), ProbeClass.MAGIC),
                Probe.of(new MemcachedDissector(), ProbeClass.LOOSE));
    }
}
