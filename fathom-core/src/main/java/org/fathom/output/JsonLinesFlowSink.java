package org.fathom.output;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.fathom.net.Addresses;
import org.fathom.record.AggregateRecord;
import org.fathom.record.AlertRecord;
import org.fathom.record.CallRecord;
import org.fathom.record.EventRecord;
import org.fathom.record.ExportRecord;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.PrivacyHeader;
import org.fathom.record.RecordKind;
import org.fathom.record.Released;
import org.fathom.record.VerdictRecord;
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

    private final java.util.Set<RecordKind> kinds;

    /** A sink for flow records and aggregates. */
    public JsonLinesFlowSink(OutputStream out, boolean closeStream) {
        this(out, closeStream, java.util.EnumSet.of(RecordKind.FLOW, RecordKind.AGGREGATE));
    }

    /** @param kinds the record kinds written here; others are ignored (the header is always written) */
    public JsonLinesFlowSink(OutputStream out, boolean closeStream, java.util.Set<RecordKind> kinds) {
        this.out = out;
        this.closeStream = closeStream;
        this.kinds = java.util.EnumSet.copyOf(kinds);
        this.gen = FACTORY.createGenerator(ObjectWriteContext.empty(), out);
    }

    /** Writes the record if its kind is one of this sink's; the privacy header always. */
    @Override
    public void accept(Released<? extends ExportRecord> released) {
        switch (released.record()) {
            case PrivacyHeader h -> {
                header(gen, h, null);
                written = true;
            }
            case FlowRecord r -> {
                if (kinds.contains(RecordKind.FLOW)) {
                    flow(gen, r, null);
                    written = true;
                }
            }
            case AggregateRecord a -> {
                if (kinds.contains(RecordKind.AGGREGATE)) {
                    aggregate(gen, a, null);
                    written = true;
                }
            }
            case CallRecord c -> {
                if (kinds.contains(RecordKind.CALL)) {
                    call(gen, c, null);
                    written = true;
                }
            }
            case AlertRecord a -> {
                if (kinds.contains(RecordKind.ALERT)) {
                    alert(gen, a, null);
                    written = true;
                }
            }
            case EventRecord e -> {
                if (kinds.contains(RecordKind.EVENT)) {
                    event(gen, e, null);
                    written = true;
                }
            }
            case VerdictRecord v -> {
                if (kinds.contains(RecordKind.VERDICT)) {
                    verdict(gen, v, null);
                    written = true;
                }
            }
        }
    }

    @Override
    public boolean takesEvents() {
        return kinds.contains(RecordKind.EVENT);
    }

    @Override
    public boolean takesFlows() {
        return kinds.contains(RecordKind.FLOW);
    }

    /**
     * Writes one record as one JSON object, the same as a line of this sink, with
     * {@code "probe_id"} right after {@code "type"} when {@code probeId} is not null. For other
     * outputs of the same records (the Kafka export), so that every output says the same thing.
     */
    public static void write(JsonGenerator g, ExportRecord record, String probeId) {
        switch (record) {
            case PrivacyHeader h -> header(g, h, probeId);
            case FlowRecord r -> flow(g, r, probeId);
            case AggregateRecord a -> aggregate(g, a, probeId);
            case CallRecord c -> call(g, c, probeId);
            case AlertRecord a -> alert(g, a, probeId);
            case EventRecord e -> event(g, e, probeId);
            case VerdictRecord v -> verdict(g, v, probeId);
        }
    }

    private static void probe(JsonGenerator g, String probeId) {
        if (probeId != null) {
            g.writeStringProperty("probe_id", probeId);
        }
    }

    private static void event(JsonGenerator g, EventRecord e, String probeId) {
        g.writeStartObject();
        g.writeStringProperty("type", "event");
        probe(g, probeId);
        g.writeStringProperty("event", e.event());
        g.writeStringProperty("flow_id", e.flowId());
        g.writeStringProperty("ts", Timestamps.iso(e.timestampNanos()));
        g.writeStringProperty("l4", e.l4());
        g.writeStringProperty("src_ip", e.srcIp());
        g.writeNumberProperty("src_port", e.srcPort());
        g.writeStringProperty("dst_ip", e.dstIp());
        g.writeNumberProperty("dst_port", e.dstPort());
        if (e.vlan() != 0) {
            g.writeNumberProperty("vlan", e.vlan());
        }
        for (Map.Entry<String, Object> f : e.fields().entrySet()) {
            g.writeName(f.getKey());
            writeValue(g, f.getValue());
        }
        g.writeEndObject();
    }

    private static void call(JsonGenerator g, CallRecord c, String probeId) {
        g.writeStartObject();
        g.writeStringProperty("type", "call");
        probe(g, probeId);
        g.writeStringProperty("call_id", c.callId());
        g.writeStringProperty("caller", c.caller());
        g.writeStringProperty("callee", c.callee());
        g.writeStringProperty("client_ip", Addresses.format(c.clientHi(), c.clientLo()));
        g.writeNumberProperty("client_port", c.clientPort());
        g.writeStringProperty("server_ip", Addresses.format(c.serverHi(), c.serverLo()));
        g.writeNumberProperty("server_port", c.serverPort());
        g.writeStringProperty("transport", c.transport());
        g.writeStringProperty("start", Timestamps.iso(c.startNanos()));
        if (c.answerNanos() != 0) {
            g.writeStringProperty("answer", Timestamps.iso(c.answerNanos()));
        } else {
            g.writeNullProperty("answer");
        }
        g.writeStringProperty("end", Timestamps.iso(c.endNanos()));
        if (c.pddMs() >= 0) {
            g.writeNumberProperty("pdd_ms", c.pddMs());
        } else {
            g.writeNullProperty("pdd_ms");
        }
        g.writeNumberProperty("duration_s", Math.round(c.durationS() * 1000) / 1000.0);
        g.writeNumberProperty("final_status", c.finalStatus());
        g.writeStringProperty("outcome", c.outcome());
        g.writeStringProperty("end_reason", c.endReason());
        g.writeBooleanProperty("emergency", c.emergency());
        g.writeName("media");
        g.writeStartArray();
        for (CallRecord.MediaStream m : c.media()) {
            g.writeStartObject();
            g.writeStringProperty("direction", m.direction());
            g.writeStringProperty("codec", m.codec());
            g.writeNumberProperty("packets", m.packets());
            g.writeNumberProperty("loss_pct", Math.round(m.lossPct() * 100) / 100.0);
            g.writeNumberProperty("jitter_ms", Math.round(m.jitterMs() * 100) / 100.0);
            g.writeNumberProperty("max_gap_ms", m.maxGapMs());
            g.writeNumberProperty("mos", Math.round(m.mos() * 100) / 100.0);
            g.writeEndObject();
        }
        g.writeEndArray();
        if (c.policyRule() != null) {
            g.writeStringProperty("policy.rule", c.policyRule());
            g.writeStringProperty("policy.action", c.policyAction());
        }
        g.writeEndObject();
    }

    /** One verdict change (docs/POLICY.md, "Verdict log"). */
    private static void verdict(JsonGenerator g, VerdictRecord v, String probeId) {
        g.writeStartObject();
        g.writeStringProperty("type", "verdict");
        probe(g, probeId);
        g.writeStringProperty("time", Timestamps.iso(v.nanos()));
        g.writeStringProperty("scope", v.scope());
        g.writeStringProperty("rule", v.rule());
        g.writeStringProperty("action", v.action());
        if (v.dscp() >= 0) {
            g.writeNumberProperty("dscp", v.dscp());
        }
        if (v.rateBps() > 0) {
            g.writeNumberProperty("rate_bps", v.rateBps());
        }
        if (v.previous() != null) {
            g.writeStringProperty("previous", v.previous());
        }
        g.writeStringProperty("cause", v.cause());
        if (v.l4() != null) {
            g.writeStringProperty("l4", v.l4());
        }
        switch (v.scope()) {
            case "flow" -> {
                g.writeStringProperty("src_ip", Addresses.format(v.srcHi(), v.srcLo()));
                g.writeNumberProperty("src_port", v.srcPort());
                g.writeStringProperty("dst_ip", Addresses.format(v.dstHi(), v.dstLo()));
                g.writeNumberProperty("dst_port", v.dstPort());
            }
            case "endpoint" -> {
                g.writeStringProperty("ip", Addresses.format(v.srcHi(), v.srcLo()));
                g.writeNumberProperty("port", v.srcPort());
            }
            default -> g.writeStringProperty("ip", Addresses.format(v.srcHi(), v.srcLo()));
        }
        if (v.vlan() != 0) {
            g.writeNumberProperty("vlan", v.vlan());
        }
        if (v.untilNanos() != 0) {
            g.writeStringProperty("until", v.untilNanos() == Long.MAX_VALUE ? null : Timestamps.iso(v.untilNanos()));
        }
        g.writeEndObject();
    }

    private static void alert(JsonGenerator g, AlertRecord a, String probeId) {
        g.writeStartObject();
        g.writeStringProperty("type", "alert");
        probe(g, probeId);
        g.writeStringProperty("kind", a.kind());
        g.writeName("target");
        g.writeStartObject();
        g.writeStringProperty("ip", Addresses.format(a.targetHi(), a.targetLo()));
        if (a.targetPort() != 0) {
            g.writeNumberProperty("port", a.targetPort());
        }
        if (a.targetProtocol() != null) {
            g.writeStringProperty("protocol", a.targetProtocol());
        }
        g.writeEndObject();
        g.writeStringProperty("start", Timestamps.iso(a.startNanos()));
        g.writeStringProperty("end", Timestamps.iso(a.endNanos()));
        g.writeNumberProperty("peak_pps", Math.round(a.peakPps() * 10) / 10.0);
        g.writeNumberProperty("peak_bps", Math.round(a.peakBps()));
        g.writeNumberProperty("packets", a.packets());
        g.writeNumberProperty("bytes", a.bytes());
        g.writeNumberProperty("source_count", a.sourceCount());
        g.writeName("top_sources");
        g.writeStartArray();
        for (long[] s : a.topSources()) {
            g.writeString(Addresses.format(s[0], s[1]));
        }
        g.writeEndArray();
        g.writeNumberProperty("detection_delay_ms", a.detectionDelayMs());
        if (a.detail() != null) {
            g.writeStringProperty("detail", a.detail());
        }
        g.writeEndObject();
    }

    private static void header(JsonGenerator g, PrivacyHeader h, String probeId) {
        g.writeStartObject();
        g.writeStringProperty("type", "privacy");
        probe(g, probeId);
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
    }

    private static void aggregate(JsonGenerator g, AggregateRecord a, String probeId) {
        g.writeStartObject();
        g.writeStringProperty("type", "aggregate");
        probe(g, probeId);
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
    }

    private static void flow(JsonGenerator g, FlowRecord r, String probeId) {
        g.writeStartObject();
        g.writeStringProperty("type", "flow");
        probe(g, probeId);
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
    }

    private static void writeValue(JsonGenerator g, Object v) {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case Double d when Double.isFinite(d) -> g.writeNumber(d);   // e.g. rtp.loss_pct_c2s
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

    /** Bytes written so far that the JSON writer still holds (not yet handed to the stream). */
    public int bufferedBytes() {
        int n = gen.streamWriteOutputBuffered();
        return Math.max(0, n);
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
