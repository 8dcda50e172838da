package org.fathom.protocol.industrial;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.samples.Golden;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;

/** A Modbus/TCP exchange recorded on loopback (see captures/modbus/README.md). */
class IndustrialGoldenTest {
    @Test
    void modbusReadAndException() throws Exception {
        List<FlowRecord> flows = Golden.analyze("/captures/modbus/modbus.pcap");
        assertThat(flows).hasSize(1);
        FlowRecord f = flows.get(0);
        assertThat(f.protocol()).isEqualTo("Modbus");
        assertThat(f.category()).isEqualTo("IoT-Scada");
        assertThat(f.confidence()).isEqualTo("DPI");
        assertThat(f.dstPort()).isEqualTo(502);
        assertThat(f.metadata()).containsEntry("modbus.unit_id", 17L).containsEntry("modbus.function", "read_holding_registers");
    }
}
