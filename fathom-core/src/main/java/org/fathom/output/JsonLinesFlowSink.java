package org.fathom.output;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.fathom.privacy.AggregateRecord;
import org.fathom.privacy.PrivacyHeader;
import org.fathom.privacy.Released;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes released records as JSON lines: first a {@code "type":"privacy"} header saying what the
 * guard did, then {@code "type":"flow"} records in the key order of the record contract (or
 * {@code "type":"aggregate"} rows in aggregate mode).
 */
public final class JsonLinesFlowSink implements FlowSink {
    private static final JsonFactory FACTORY = JsonFactory.builder().rootValueSeparator("\n").build();

    private final OutputStream out;
    private final JsonGenerator gen;
    private final boolean closeStream;
    private boolean written;

    /** @param closeStream false for stdout, which the caller owns */
    public JsonLinesFlowSink(OutputStream out, boolean closeStream) {
        this.out = out;
        this.closeStream = closeStream;
        this.gen = FACTORY.createGenerator(ObjectWriteContext.empty(), out);
    }

    @Override
    public void header(Released<PrivacyHeader> released) {
        PrivacyHeader h = released.record();
        JsonGenerator g = gen;
        g.writeStartObject();
        g.writeStringProperty("type", "privacy");
        g.writeStringProperty("mode", h.mode());
        g.writeStringProperty("subscriber_networks", h.subscriberNetworks());
        g.writeStringProperty("key_rotation", h.keyRotation());
        g.writeNumberProperty("k", h.k());
        if (h.epsilon() != null) {
            g.writeNumberProperty("epsilon", h.epsilon());
        }
        if (h.authorisationReference() != null) {
            g.writeStringProperty("authorisation_reference", h.authorisationReference());
        }
        g.writeName("fields_dropped");
        writeValue(g, h.fieldsDropped());
        g.writeName("fields_pseudonymised");
        writeValue(g, h.fieldsPseudonymised());
        g.writeEndObject();
        written = true;
    }

    @Override
    public void aggregate(Released<AggregateRecord> released) {
        AggregateRecord a = released.record();
        JsonGenerator g = gen;
        g.writeStartObject();
        g.writeStringProperty("type", "aggregate");
        g.writeStringProperty("bucket_start", Timestamps.iso(a.bucketStartNanos()));
        g.writeNumberProperty("bucket_seconds", a.bucketNanos() / 1_000_000_000L);
        g.writeStringProperty("segment", a.segment());
        g.writeStringProperty("protocol", a.protocol());
        g.writeStringProperty("application", a.application());
        g.writeStringProperty("category", a.category());
        g.writeNumberProperty("subscribers", a.subscribers());
        g.writeNumberProperty("flows", a.flows());
        g.writeNumberProperty("packets", a.packets());
        g.writeNumberProperty("bytes_up", a.bytesUp());
        g.writeNumberProperty("bytes_down", a.bytesDown());
        if (a.noisy()) {
            g.writeBooleanProperty("noisy", true);
        }
        g.writeEndObject();
        written = true;
    }

    @Override
    public void accept(Released<FlowRecord> released) throws IOException {
        FlowRecord r = released.record();
        JsonGenerator g = gen;
        g.writeStartObject();
        g.writeStringProperty("type", "flow");
        g.writeStringProperty("l4", r.l4());
        g.writeStringProperty("src_ip", r.srcIp());
        g.writeNumberProperty("src_port", r.srcPort());
        g.writeStringProperty("dst_ip", r.dstIp());
        g.writeNumberProperty("dst_port", r.dstPort());
        if (r.vlan() != 0) {
            g.writeNumberProperty("vlan", r.vlan());
        }
        if (r.tunnel() != null) {
            g.writeStringProperty("tunnel", r.tunnel());
        }
        g.writeStringProperty("protocol", r.protocol());
        g.writeStringProperty("application", r.application());
        g.writeStringProperty("category", r.category());
        g.writeStringProperty("confidence", r.confidence());
        g.writeNumberProperty("packets_c2s", r.packetsC2s());
        g.writeNumberProperty("packets_s2c", r.packetsS2c());
        g.writeNumberProperty("bytes_c2s", r.bytesC2s());
        g.writeNumberProperty("bytes_s2c", r.bytesS2c());
        g.writeStringProperty("first_seen", Timestamps.iso(r.firstSeenNanos()));
        g.writeStringProperty("last_seen", Timestamps.iso(r.lastSeenNanos()));
        if (r.l4().equals("TCP")) {
            g.writeStringProperty("tcp_flags_c2s", TcpFlagNames.of(r.tcpFlagsC2s()));
            g.writeStringProperty("tcp_flags_s2c", TcpFlagNames.of(r.tcpFlagsS2c()));
        }
        g.writeStringProperty("end_reason", r.endReason());
        for (Map.Entry<String, Object> e : r.metadata().entrySet()) {
            g.writeName(e.getKey());
            writeValue(g, e.getValue());
        }
        if (!r.risks().isEmpty()) {
            g.writeName("risks");
            writeValue(g, r.risks());
        }
        g.writeEndObject();
        written = true;
    }

    private static void writeValue(JsonGenerator g, Object v) {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case Boolean b -> g.writeBoolean(b);
            case List<?> list -> {
                g.writeStartArray();
                for (Object o : list) {
                    writeValue(g, o);
                }
                g.writeEndArray();
            }
            default -> g.writeString(v.toString());
        }
    }

    @Override
    public void close() throws IOException {
        if (written) {
            gen.writeRaw('\n');
        }
        gen.flush();
        out.flush();
        if (closeStream) {
            gen.close();
            out.close();
        }
    }
}
