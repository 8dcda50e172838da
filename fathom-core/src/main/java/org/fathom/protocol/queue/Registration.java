package org.fathom.protocol.queue;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Message queues and brokers: Gearman, ZeroMQ, AMQP, MQTT, STOMP, Nats. The package declares
 * itself here: dissectors with their probe placement and the metadata fields they write (see
 * docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    public static final MetaField AMQP_VERSION = MetaField.keep("amqp.version");
    public static final MetaField GEARMAN_PACKET_TYPE = MetaField.keep("gearman.packet_type");
    public static final MetaField MQTT_CONNACK_CODE = MetaField.keep("mqtt.connack_code");
    public static final MetaField MQTT_KEEP_ALIVE = MetaField.keep("mqtt.keep_alive");
    public static final MetaField MQTT_VERSION = MetaField.keep("mqtt.version");
    public static final MetaField NATS_SERVER_VERSION = MetaField.keep("nats.server_version");
    public static final MetaField STOMP_SERVER = MetaField.keep("stomp.server");
    public static final MetaField STOMP_VERSION = MetaField.keep("stomp.version");
    public static final MetaField ZEROMQ_MECHANISM = MetaField.keep("zeromq.mechanism");
    // user names, device names and requested file names: never written
    public static final MetaField MQTT_USER = MetaField.drop("mqtt.user");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new GearmanDissector(), ProbeClass.MAGIC),
                Probe.of(new ZmtpDissector(), ProbeClass.MAGIC),
                Probe.of(new AmqpDissector(), ProbeClass.MAGIC),
                Probe.of(new MqttDissector(), ProbeClass.MAGIC),
                Probe.of(new StompDissector(), ProbeClass.MAGIC),
                Probe.of(new NatsDissector(), ProbeClass.MAGIC));
    }
}
