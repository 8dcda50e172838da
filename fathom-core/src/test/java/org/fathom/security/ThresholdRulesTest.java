package org.fathom.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fathom.record.AlertRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThresholdRulesTest {
    @TempDir
    Path dir;

    @Test
    void rulesOverrideTheDefaultsPerNetwork() throws Exception {
        Path f = dir.resolve("t.txt");
        Files.writeString(f, "# busy web farm\n198.51.100.0/24  synPps=20000 scanPorts=500\n2001:db8::/32 udpPps=9000\n");
        List<AttackDetector.NetworkThresholds> rules = ThresholdRules.load(f);
        assertThat(rules).hasSize(2);
        Thresholds t = rules.get(0).thresholds();
        assertThat(t.synPps()).isEqualTo(20000);
        assertThat(t.scanPorts()).isEqualTo(500);
        assertThat(t.udpPps()).isEqualTo(Thresholds.DEFAULTS.udpPps());
        assertThat(rules.get(1).thresholds().udpPps()).isEqualTo(9000);
    }

    @Test
    void aBadRuleNamesFileAndLine() throws Exception {
        Path f = dir.resolve("t.txt");
        Files.writeString(f, "198.51.100.0/24 synPps=20000\n198.51.100.0/24 synpps=1\n");
        assertThatThrownBy(() -> ThresholdRules.load(f)).hasMessageContaining("line 2").hasMessageContaining("unknown threshold 'synpps'");
        Files.writeString(f, "not-a-network synPps=1\n");
        assertThatThrownBy(() -> ThresholdRules.load(f)).hasMessageContaining("line 1");
        Files.writeString(f, "10.0.0.0/8 synPps=-4\n");
        assertThatThrownBy(() -> ThresholdRules.load(f)).hasMessageContaining("positive");
    }

    @Test
    void aRaisedThresholdSilencesAFloodOnThatNetworkOnly() throws Exception {
        List<AttackDetector.NetworkThresholds> rules = List.of(new AttackDetector.NetworkThresholds(
                org.fathom.net.Cidr.parse("198.51.100.0/24"), ThresholdRules.with(Thresholds.DEFAULTS, "synPps=100000")));
        List<AlertRecord> alerts = SyntheticAttackTest.runWith(rules, out -> {
            long t0 = 1_700_000_000_000_000_000L;
            for (int i = 0; i < 3000; i++) {   // 2,000 SYN/s to each of two servers
                out.accept(SyntheticAttackTest.packet(t0 + i * 500_000L, 0x0A000000 + i, 40000, 0xC6336401, 80, 6, 0x02, 60));
                out.accept(SyntheticAttackTest.packet(t0 + i * 500_000L, 0x0A000000 + i, 40000, 0xCB007101, 80, 6, 0x02, 60));
            }
        });
        assertThat(alerts).extracting(AlertRecord::kind).containsExactly("syn_flood");
        assertThat(alerts.getFirst().targetLo() & 0xFFFFFFFFL).isEqualTo(0xCB007101L); // 203.0.113.1, not the raised network
    }
}
