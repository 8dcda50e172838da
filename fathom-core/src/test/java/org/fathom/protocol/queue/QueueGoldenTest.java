package org.fathom.protocol.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.samples.Golden;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;

/** Captures of real clients and servers on loopback (see each capture's README.md). */
class QueueGoldenTest {
    @Test
    void mosquittoPublishes() throws Exception {
        List<FlowRecord> flows = Golden.analyze("/captures/mqtt/mqtt.pcap");
        assertThat(flows).hasSize(2);
        assertThat(flows).allSatisfy(f -> {
            assertThat(f.protocol()).isEqualTo("MQTT");
            assertThat(f.application()).isEqualTo("MQTT");
            assertThat(f.category()).isEqualTo("RPC");
            assertThat(f.confidence()).isEqualTo("DPI");
            assertThat(f.metadata()).containsEntry("mqtt.connack_code", 0L);
        });
        FlowRecord v311 = flows.stream().filter(f -> "3.1.1".equals(f.metadata().get("mqtt.version"))).findFirst().orElseThrow();
        assertThat(v311.metadata()).containsEntry("mqtt.user", "demo").containsEntry("mqtt.keep_alive", 60L);
        assertThat(v311.risks()).contains("clear_text_credentials");
        FlowRecord v5 = flows.stream().filter(f -> "5.0".equals(f.metadata().get("mqtt.version"))).findFirst().orElseThrow();
        assertThat(v5.metadata()).doesNotContainKey("mqtt.user");
        assertThat(v5.risks()).doesNotContain("clear_text_credentials");
        // the client id is never recorded
        assertThat(flows).allSatisfy(f -> assertThat(f.metadata().values().toString()).doesNotContain("fathom-test"));
    }

    @Test
    void memcachedTextBinaryAndUdp() throws Exception {
        List<FlowRecord> flows = Golden.analyze("/captures/memcached/memcached.pcap");
        assertThat(flows).hasSize(3);
        assertThat(flows).allSatisfy(f -> {
            assertThat(f.protocol()).isEqualTo("Memcached");
            assertThat(f.confidence()).isEqualTo("DPI");
        });
        assertThat(flows).extracting(f -> f.metadata().get("memcached.command")).containsExactlyInAnyOrder("set", "binary_0", "get");
        assertThat(flows).extracting(FlowRecord::l4).containsExactlyInAnyOrder("TCP", "TCP", "UDP");
    }

    @Test
    void natsServerAndClient() throws Exception {
        List<FlowRecord> flows = Golden.analyze("/captures/nats/nats.pcap");
        assertThat(flows).hasSize(1);
        FlowRecord f = flows.get(0);
        assertThat(f.protocol()).isEqualTo("Nats");
        assertThat(f.category()).isEqualTo("RPC");
        assertThat(f.confidence()).isEqualTo("DPI");
        assertThat(f.metadata()).containsEntry("nats.server_version", "2.9.10");
    }
}
