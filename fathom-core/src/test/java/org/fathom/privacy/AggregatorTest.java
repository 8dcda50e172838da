package org.fathom.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.fathom.net.Cidr;
import org.fathom.record.AggregateRecord;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;

class AggregatorTest {
    static FlowRecord flow(String client, String server, String protocol, long t) {
        long[] c = Cidr.parseAddress(client);
        long[] s = Cidr.parseAddress(server);
        return new FlowRecord("TCP", c[0], c[1], 40000, s[0], s[1], 443, 0, null, protocol, protocol, "Web", "DPI",
                3, 2, 300, 200, t, t + 1000, 0, 0, "fin", Map.of(), List.of());
    }

    @Test
    void groupsBelowKAreSuppressedAndPublishedTotalsAddUp() {
        Aggregator a = new Aggregator(SubscriberNetworks.DEFAULT, 3_600_000_000_000L, 3, null);
        long t = 1_700_000_000_000_000_000L;
        // TLS: 4 distinct subscribers -> published
        for (int i = 1; i <= 4; i++) {
            a.add(flow("10.0.0." + i, "93.184.216.34", "TLS", t));
        }
        // SSH: 1 subscriber (two flows) -> suppressed on its own
        a.add(flow("10.0.0.9", "93.184.216.35", "SSH", t));
        a.add(flow("10.0.0.9", "93.184.216.35", "SSH", t));
        // DNS: 2 subscribers -> suppressed on its own; together with SSH 3 subscribers -> the (suppressed) row is published
        a.add(flow("10.0.0.7", "8.8.8.8", "DNS", t));
        a.add(flow("10.0.0.8", "8.8.8.8", "DNS", t));
        // traffic with no subscriber side is published as is
        a.add(flow("93.184.216.1", "93.184.216.2", "BGP", t));

        List<AggregateRecord> rows = a.publish();
        assertThat(rows).noneMatch(r -> r.protocol().equals("SSH") || r.protocol().equals("DNS"));
        AggregateRecord tls = rows.stream().filter(r -> r.protocol().equals("TLS")).findFirst().orElseThrow();
        assertThat(tls.subscribers()).isEqualTo(4);
        assertThat(tls.flows()).isEqualTo(4);
        AggregateRecord rest = rows.stream().filter(r -> r.protocol().equals(Aggregator.SUPPRESSED)).findFirst().orElseThrow();
        assertThat(rest.flows()).isEqualTo(4);
        assertThat(rest.subscribers()).isEqualTo(3);
        assertThat(a.suppressedGroups).isEqualTo(2);
        for (String segment : List.of("10.0.0.0/8", Aggregator.OTHER)) {
            AggregateRecord total = rows.stream().filter(r -> r.segment().equals(segment) && r.protocol().equals("*")).findFirst().orElseThrow();
            long flows = rows.stream().filter(r -> r.segment().equals(segment) && !r.protocol().equals("*")).mapToLong(AggregateRecord::flows).sum();
            long bytes = rows.stream().filter(r -> r.segment().equals(segment) && !r.protocol().equals("*")).mapToLong(r -> r.bytesUp() + r.bytesDown()).sum();
            assertThat(total.flows()).isEqualTo(flows);
            assertThat(total.bytesUp() + total.bytesDown()).isEqualTo(bytes);
        }
        assertThat(rows.stream().filter(r -> r.segment().equals(Aggregator.OTHER) && r.protocol().equals("BGP")).count()).isEqualTo(1);
    }

    @Test
    void aSuppressedRemainderBelowKIsNotPublishedAndTotalsStillAddUp() {
        Aggregator a = new Aggregator(SubscriberNetworks.DEFAULT, 3_600_000_000_000L, 3, null);
        long t = 1_700_000_000_000_000_000L;
        for (int i = 1; i <= 3; i++) {
            a.add(flow("10.0.0." + i, "93.184.216.34", "TLS", t));
        }
        a.add(flow("10.0.0.9", "93.184.216.35", "SSH", t));
        List<AggregateRecord> rows = a.publish();
        assertThat(rows).extracting(AggregateRecord::protocol).containsExactly("TLS", "*");
        assertThat(rows.get(1).flows()).isEqualTo(3); // the SSH flow cannot be recovered by subtraction
    }

    @Test
    void noiseSpendsExactlyTheBudgetAndTotalsAddUp() {
        Aggregator a = new Aggregator(SubscriberNetworks.DEFAULT, 3_600_000_000_000L, 2, 1.0);
        long t = 1_700_000_000_000_000_000L;
        for (int i = 1; i <= 20; i++) {
            a.add(flow("10.0.0." + i, "93.184.216.34", i % 2 == 0 ? "TLS" : "QUIC", t));
        }
        List<AggregateRecord> rows = a.publish();
        assertThat(a.epsilonSpent).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        AggregateRecord total = rows.stream().filter(r -> r.protocol().equals("*")).findFirst().orElseThrow();
        assertThat(total.flows()).isEqualTo(rows.stream().filter(r -> !r.protocol().equals("*")).mapToLong(AggregateRecord::flows).sum());
        assertThat(rows).allMatch(AggregateRecord::noisy);
    }

    @Test
    void interimRecordsAddTrafficInTheirOwnBucketButNoFlow() {
        long hour = 3_600_000_000_000L;
        Aggregator a = new Aggregator(SubscriberNetworks.DEFAULT, hour, 1, null);
        long t = 1_700_000_000_000_000_000L / hour * hour;
        for (int i = 1; i <= 3; i++) {
            long[] c = Cidr.parseAddress("10.0.0." + i);
            long[] s = Cidr.parseAddress("93.184.216.34");
            // a flow that lives into the next hour: an interim record then its final one
            a.add(new FlowRecord("TCP", c[0], c[1], 40000, s[0], s[1], 443, 0, null, "TLS", "TLS", "Web", "DPI",
                    10, 10, 1000, 9000, t, t + hour + 5, 0, 0, "active", Map.of(), List.of()));
            a.add(new FlowRecord("TCP", c[0], c[1], 40000, s[0], s[1], 443, 0, null, "TLS", "TLS", "Web", "DPI",
                    2, 2, 100, 900, t, t + hour + 10, 0, 0, "fin", Map.of(), List.of()));
        }
        List<AggregateRecord> tls = a.publish().stream().filter(r -> r.protocol().equals("TLS")).toList();
        assertThat(tls.stream().mapToLong(AggregateRecord::flows).sum()).isEqualTo(3);
        assertThat(tls.stream().mapToLong(r -> r.bytesUp() + r.bytesDown()).sum()).isEqualTo(3 * (10_000 + 1_000));
        assertThat(tls).hasSize(2); // the interim traffic is in the hour it was seen
    }
}
