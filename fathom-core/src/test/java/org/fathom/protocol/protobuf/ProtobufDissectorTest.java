package org.fathom.protocol.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.fill;
import static org.fathom.protocol.samples.Hex.hex;

import com.google.protobuf.FloatValue;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.List;
import org.fathom.protocol.Dissector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Sample;
import org.fathom.protocol.samples.Samples;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/** Protobuf: messages written by the reference encoder (protobuf-java), and the corpus flow nDPI names Protobuf. */
class ProtobufDissectorTest {
    static final byte[] TIMESTAMP = Timestamp.newBuilder().setSeconds(1_733_400_000L).setNanos(123_456_789).build().toByteArray();
    static final byte[] STRUCT = Struct.newBuilder()
            .putFields("name", Value.newBuilder().setStringValue("sensor-7").build())
            .putFields("reading", Value.newBuilder().setNumberValue(21.5).build())
            .putFields("tags", Value.newBuilder().setListValue(ListValue.newBuilder()
                    .addValues(Value.newBuilder().setBoolValue(true)).addValues(Value.newBuilder().setNumberValue(-3))).build())
            .build().toByteArray();
    /** A message with nested messages, strings, repeated fields and enums: descriptor.proto's own Timestamp descriptor. */
    static final byte[] DESCRIPTOR = Timestamp.getDescriptor().toProto().toByteArray();
    static final byte[] FLOAT = FloatValue.of(0.75f).toByteArray();

    private static Drive.Outcome run(byte[]... datagrams) {
        List<Msg> m = new ArrayList<>();
        for (int i = 0; i < datagrams.length; i++) {
            m.add(i % 2 == 0 ? Msg.c(datagrams[i]) : Msg.s(datagrams[i]));
        }
        return Drive.run(new ProtobufDissector(), new TestFlow(17, 1119, 1120), m);
    }

    @Test
    void fourWholeMessagesAreProtobuf() {
        assertThat(ProtobufDissector.fields(TIMESTAMP, 0, TIMESTAMP.length)).isEqualTo(2);
        assertThat(ProtobufDissector.fields(STRUCT, 0, STRUCT.length)).isEqualTo(3);
        assertThat(ProtobufDissector.fields(DESCRIPTOR, 0, DESCRIPTOR.length)).isGreaterThanOrEqualTo(2);
        assertThat(ProtobufDissector.fields(FLOAT, 0, FLOAT.length)).isEqualTo(1);
        Drive.Outcome o = run(TIMESTAMP, STRUCT, DESCRIPTOR, FLOAT);
        assertThat(o.recognised()).isTrue();
        assertThat(o.protocol()).isEqualTo("Protobuf");
    }

    @Test
    void fewerOrBrokenMessagesAreNot() {
        assertThat(run(TIMESTAMP, STRUCT, DESCRIPTOR).recognised()).isFalse();
        assertThat(run(FLOAT, FLOAT, FLOAT, FLOAT).recognised()).isFalse(); // never two fields
        byte[] cut = java.util.Arrays.copyOf(STRUCT, STRUCT.length - 1);
        assertThat(run(TIMESTAMP, cut, DESCRIPTOR, FLOAT).recognised()).isFalse();
        byte[] longer = java.util.Arrays.copyOf(TIMESTAMP, TIMESTAMP.length + 1);
        assertThat(run(longer, STRUCT, DESCRIPTOR, FLOAT).recognised()).isFalse();
        assertThat(ProtobufDissector.fields(hex("08 80 00"), 0, 3)).isEqualTo(-1); // non-minimal varint
        assertThat(ProtobufDissector.fields(hex("0B 0C"), 0, 2)).isEqualTo(-1); // a group
        assertThat(ProtobufDissector.fields(hex("00 01"), 0, 2)).isEqualTo(-1); // field 0
        assertThat(ProtobufDissector.fields(hex("0E 01"), 0, 2)).isEqualTo(-1); // wire type 6
        assertThat(ProtobufDissector.fields(hex("0D 01 02 03"), 0, 4)).isEqualTo(-1); // I32 cut short
    }

    @Test
    void theCorpusFillerIsNot() {
        // ossfuzz_seed_fake_traces_1.pcapng, UDP 1119 -> 1120: datagrams of 'X' (0x58) of 20, 20, 75, 20, 548... bytes.
        // 'X' is the tag of field 11 as a varint, so an even run parses; the 75-byte one cannot, and text is refused anyway.
        assertThat(ProtobufDissector.fields(fill(75, 'X'), 0, 75)).isEqualTo(-1);
        assertThat(run(fill(20, 'X'), fill(20, 'X'), fill(75, 'X'), fill(20, 'X')).recognised()).isFalse();
        assertThat(new ProtobufDissector().inspect(new TestFlow(17, 1119, 1120), true, fill(20, 'X'), 0, 20)).isEqualTo(Dissector.NO);
    }

    @Test
    void firstBytesAgreeWithTheTagRule() {
        assertThat(ProtobufDissector.firstTag(0x08)).isTrue();
        assertThat(ProtobufDissector.firstTag(0x0A)).isTrue();
        assertThat(ProtobufDissector.firstTag(0x80)).isTrue();
        assertThat(ProtobufDissector.firstTag(0x00)).isFalse();
        assertThat(ProtobufDissector.firstTag(0x0B)).isFalse();
        assertThat(ProtobufDissector.firstTag(0x07)).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"Protobuf".equals(s.expect())) {
                    assertThat(Drive.run(new ProtobufDissector(), s.flowOn(1120), s.msgs()).recognised()).as(s.label()).isFalse();
                }
            }
        }
        assertThat(DissectorChecks.neverThrows(new ProtobufDissector(), 1120, 11, TIMESTAMP, STRUCT, DESCRIPTOR, FLOAT)).isPositive();
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 6) List<@Size(max = 400) byte[]> datagrams, @ForAll List<Boolean> sides) {
        ProtobufDissector d = new ProtobufDissector();
        TestFlow f = new TestFlow(17, 50000, 1120);
        for (int i = 0; i < datagrams.size(); i++) {
            byte[] b = datagrams.get(i);
            if (b.length == 0) {
                continue;
            }
            int r = d.inspect(f, i >= sides.size() || sides.get(i), b, 0, b.length);
            assertThat(r).isBetween(Dissector.NO, Dissector.DONE);
            if (r == Dissector.NO || r == Dissector.DONE) {
                break;
            }
        }
    }
}
