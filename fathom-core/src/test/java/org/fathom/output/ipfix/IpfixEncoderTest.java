package org.fathom.output.ipfix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;

/** The bytes of IPFIX messages: header, template and data sets, lengths, strings of every size. */
class IpfixEncoderTest {
    static final long T0 = 1_717_000_000_123_456_789L;

    static FlowRecord v4(int clientPort, int vlan) {
        return new FlowRecord("TCP", 0, 0x0000_FFFF_C000_0201L, clientPort, 0, 0x0000_FFFF_C633_6402L, 443, vlan, null,
                "TLS", "YouTube", "Media", "DPI", 10, 20, 1000, 20000, T0, T0 + 2_500_000_000L, 0x1B, 0x12, "fin",
                Map.of("tls.sni", "www.youtube.com"), List.of());
    }

    static FlowRecord v6(String application) {
        return new FlowRecord("UDP", 0x2001_0db8_0000_0000L, 1, 5353, 0x2001_0db8_0000_0000L, 2, 53, 0, "GTP",
                "DNS", application, "Network", "port", 1, 0, 90, 0, T0, T0, 0, 0, "idle", Map.of(), List.of());
    }

    @Test
    void aMessageWithTemplatesAndOneIpv4RecordHasTheRfc7011Layout() {
        IpfixEncoder e = new IpfixEncoder(1400);
        e.writeTemplates(false);
        assertThat(e.add(v4(40000, 0))).isTrue();
        int len = e.finish(1_717_000_100L, 42, 7);
        ByteBuffer b = ByteBuffer.wrap(e.buffer(), 0, len);

        // message header: version 10, length, export time, sequence, observation domain
        assertThat(b.getShort(0)).isEqualTo((short) 10);
        assertThat(b.getShort(2) & 0xFFFF).isEqualTo(len);
        assertThat(b.getInt(4)).isEqualTo(1_717_000_100);
        assertThat(b.getInt(8)).isEqualTo(42);
        assertThat(b.getInt(12)).isEqualTo(7);
        // template set: four templates of 20 or 21 fields (12 or 13 IANA ones, 8 with an enterprise number)
        assertThat(b.getShort(16)).isEqualTo((short) 2);
        int tlen = b.getShort(18) & 0xFFFF;
        assertThat(tlen).isEqualTo(4 + 2 * (4 + 12 * 4 + 8 * 8) + 2 * (4 + 13 * 4 + 8 * 8));
        assertThat(b.getShort(20)).isEqualTo((short) 256);
        assertThat(b.getShort(22)).isEqualTo((short) 20);
        assertThat(b.getShort(24)).isEqualTo((short) 8);   // sourceIPv4Address, 4 bytes
        assertThat(b.getShort(26)).isEqualTo((short) 4);
        // then one data set of template 256 with the record
        int data = 16 + tlen;
        assertThat(b.getShort(data)).isEqualTo((short) 256);
        int recordLen = 8 + 5 + 32 + 16 + 4 + 1 + 2 * (1 + 7) + (1 + 3) + (1 + 5) + (1 + 3) + 1;
        assertThat(b.getShort(data + 2) & 0xFFFF).isEqualTo(4 + recordLen);
        assertThat(len).isEqualTo(data + 4 + recordLen);
        assertThat(b.getInt(data + 4)).isEqualTo(0xC0000201);   // 192.0.2.1
        assertThat(b.getInt(data + 8)).isEqualTo(0xC6336402);
        assertThat(b.getShort(data + 12) & 0xFFFF).isEqualTo(40000);
        assertThat(b.getShort(data + 14) & 0xFFFF).isEqualTo(443);
        assertThat(b.get(data + 16)).isEqualTo((byte) 6);
        assertThat(b.getLong(data + 17)).isEqualTo(1000);   // octets forward
        assertThat(b.getLong(data + 25)).isEqualTo(10);     // packets forward
        assertThat(b.getLong(data + 33)).isEqualTo(20000);  // octets reverse
        assertThat(b.getLong(data + 41)).isEqualTo(20);     // packets reverse
        assertThat(b.getLong(data + 49)).isEqualTo(1_717_000_000_123L);
        assertThat(b.getLong(data + 57)).isEqualTo(1_717_000_002_623L);
        assertThat(b.getShort(data + 65)).isEqualTo((short) 0x1B);
        assertThat(b.getShort(data + 67)).isEqualTo((short) 0x12);
        assertThat(b.get(data + 69)).isEqualTo((byte) 3);   // end of flow detected (FIN)
        assertThat(b.get(data + 70)).isEqualTo((byte) 7);
        assertThat(new String(e.buffer(), data + 71, 7)).isEqualTo("YouTube");
        assertThat(e.dataRecords()).isEqualTo(1);
    }

    @Test
    void everyElementDecodesWithItsTemplate() {
        IpfixEncoder e = new IpfixEncoder(1400);
        e.writeTemplates(true);
        e.add(v4(1, 0));
        e.add(v4(2, 100));
        e.add(v6("DNS"));
        e.add(v4(3, 0));
        IpfixReader.Message m = new IpfixReader().read(e.buffer(), e.finish(1, 0, 1));

        assertThat(m.sets()).extracting(IpfixReader.Set::id).containsExactly(2, 3, 260, 256, 258, 257, 256);
        assertThat(m.records()).hasSize(8 + 4);
        assertThat(e.dataRecords()).isEqualTo(12);   // options records count as data records
        Map<String, Object> tagged = m.recordsOf(258).getFirst();
        assertThat(tagged.get("58")).isEqualTo(100L);
        assertThat(tagged.get("29305/1")).isEqualTo(20000L);
        assertThat(tagged.get("29305/2")).isEqualTo(20L);
        assertThat(tagged.get("29305/6")).isEqualTo(0x12L);
        assertThat(tagged.get("96")).isEqualTo("YouTube");
        assertThat(tagged.get("32473/1")).isEqualTo("TLS");
        assertThat(tagged.get("32473/2")).isEqualTo("YouTube");
        assertThat(tagged.get("32473/3")).isEqualTo("Media");
        assertThat(tagged.get("32473/4")).isEqualTo("DPI");
        assertThat(tagged.get("32473/5")).isEqualTo("");
        Map<String, Object> six = m.recordsOf(257).getFirst();
        assertThat((long[]) six.get("27")).containsExactly(0x2001_0db8_0000_0000L, 1);
        assertThat((long[]) six.get("28")).containsExactly(0x2001_0db8_0000_0000L, 2);
        assertThat(six.get("4")).isEqualTo(17L);
        assertThat(six.get("136")).isEqualTo(1L);
        assertThat(six.get("32473/5")).isEqualTo("GTP");
        assertThat(m.recordsOf(260)).extracting(r -> r.get("303"))
                .containsExactly(8L, 12L, 27L, 28L, 8L, 12L, 27L, 28L);
        assertThat(m.recordsOf(260)).allSatisfy(r -> assertThat(r.get("286")).isEqualTo(6L));
        IpfixReader.Template options = m.templates().stream().filter(t -> t.id() == 260).findFirst().orElseThrow();
        assertThat(options.scopeCount()).isEqualTo(2);
        assertThat(options.fields()).extracting(IpfixReader.Field::id).containsExactly(145, 303, 285, 286);
    }

    @Test
    void stringsOver254BytesUseTheThreeByteLengthAndLongerOnesAreCutAtACharacter() {
        String name300 = "é".repeat(150);   // 300 bytes of UTF-8
        String name255 = "x".repeat(255);
        IpfixEncoder e = new IpfixEncoder(4096);
        e.writeTemplates(false);
        assertThat(e.add(v6(name255))).isTrue();
        assertThat(e.add(v6(name300))).isTrue();
        int len = e.finish(1, 0, 1);
        IpfixReader.Message m = new IpfixReader().read(e.buffer(), len);

        assertThat(m.records().get(0).get("96")).isEqualTo(name255);
        assertThat(m.records().get(1).get("32473/2")).isEqualTo("é".repeat(128));   // 256 bytes
        // the 255-byte name is written as 0xFF, 0x00FF, then the bytes
        byte[] b = e.buffer();
        int at = indexOf(b, len, name255.getBytes());
        assertThat(b[at - 3] & 0xFF).isEqualTo(255);
        assertThat(((b[at - 2] & 0xFF) << 8) | (b[at - 1] & 0xFF)).isEqualTo(255);
    }

    @Test
    void recordsThatDoNotFitLeaveTheMessageAsItWasAndTheLargestFitsAnEmptyMessage() {
        IpfixEncoder e = new IpfixEncoder(IpfixEncoder.MIN_MESSAGE);
        String big = "y".repeat(400);
        FlowRecord largest = new FlowRecord("UDP", 1, 1, 1, 2, 2, 2, 4094, "t".repeat(40), big, big, big, big,
                1, 1, 1, 1, T0, T0, 0, 0, "evicted", Map.of(), List.of());
        e.writeTemplates(true);
        assertThat(e.add(largest)).as("not after the templates").isFalse();
        e.reset();
        assertThat(e.add(largest)).isTrue();
        int before = e.length();
        assertThat(e.add(largest)).isFalse();
        assertThat(e.length()).isEqualTo(before);
        IpfixReader r = new IpfixReader();
        IpfixEncoder t = new IpfixEncoder(1400);
        t.writeTemplates(false);
        r.read(t.buffer(), t.finish(0, 0, 0));
        IpfixReader.Message m = r.read(e.buffer(), e.finish(0, 0, 0));
        assertThat(m.records().getFirst().get("136")).isEqualTo(5L);   // lack of resources
        assertThat(e.length()).isLessThanOrEqualTo(IpfixEncoder.MIN_MESSAGE);
    }

    @Test
    void endReasonsAndProtocolNumbers() {
        assertThat(List.of("idle", "active", "fin", "rst", "end_of_input", "evicted", "other"))
                .extracting(IpfixEncoder::endReason).containsExactly(1, 2, 3, 3, 4, 5, 0);
        assertThat(List.of("TCP", "UDP", "ICMP", "ICMPV6", "SCTP", "GRE", "ESP", "AH", "IGMP", "OSPF", "PIM", "VRRP",
                "PGM", "41", "nonsense")).extracting(IpfixEncoder::protocolNumber)
                .containsExactly(6, 17, 1, 58, 132, 47, 50, 51, 2, 89, 103, 112, 113, 41, 255);
    }

    private static int indexOf(byte[] hay, int len, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= len; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
