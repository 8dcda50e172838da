package org.fathom.flink;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/** Reads the JSON records of the Kafka export (docs/EXPORTS.md) into {@link Event}s. */
public final class Records {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Records() {
    }

    /** The event of one record's JSON text; kind {@link Event#MALFORMED} when it is not one the job reads. */
    public static Event parse(String json) {
        Event e = new Event();
        e.raw = json;
        try {
            Map<String, Object> m = object(json);
            Object type = m.get("type");
            e.probe = string(m, "probe_id");
            if (e.probe == null) {
                throw new IllegalArgumentException("no probe_id");
            }
            switch (type == null ? "" : type.toString()) {
                case Event.FLOW -> {
                    e.kind = Event.FLOW;
                    e.time = millis(m, "last_seen");
                    e.application = string(m, "application");
                    e.category = string(m, "category");
                    e.client = string(m, "src_ip");
                    e.packets = number(m, "packets_c2s") + number(m, "packets_s2c");
                    e.bytesC2s = number(m, "bytes_c2s");
                    e.bytesS2c = number(m, "bytes_s2c");
                    e.interim = "active".equals(m.get("end_reason"));
                }
                case Event.CALL -> {
                    e.kind = Event.CALL;
                    e.time = millis(m, "end");
                    e.caller = string(m, "caller") != null ? string(m, "caller") : string(m, "call_id");
                    e.outcome = string(m, "outcome");
                    e.answered = m.get("answer") != null;
                    e.pddMs = m.get("pdd_ms") instanceof Number n ? n.longValue() : -1;
                    e.emergency = Boolean.TRUE.equals(m.get("emergency"));
                    List<Double> mos = new ArrayList<>();
                    if (m.get("media") instanceof List<?> media) {
                        for (Object o : media) {
                            if (o instanceof Map<?, ?> s && s.get("packets") instanceof Number p && p.longValue() > 0
                                    && s.get("mos") instanceof Number v) {
                                mos.add(v.doubleValue());
                            }
                        }
                    }
                    e.mos = mos.stream().mapToDouble(Double::doubleValue).toArray();
                }
                case Event.ALERT -> {
                    e.kind = Event.ALERT;
                    e.alertKind = string(m, "kind");
                    if (!(m.get("target") instanceof Map<?, ?> t) || !(t.get("ip") instanceof String ip)) {
                        throw new IllegalArgumentException("alert without target.ip");
                    }
                    e.targetIp = ip;
                    e.targetPort = t.get("port") instanceof Number p ? p.longValue() : 0;
                    e.targetProtocol = t.get("protocol") instanceof String p ? p : null;
                    e.start = millis(m, "start");
                    e.end = millis(m, "end");
                    e.time = e.end;
                    e.packets = number(m, "packets");
                    e.bytes = number(m, "bytes");
                    e.peakPps = m.get("peak_pps") instanceof Number n ? n.doubleValue() : 0;
                    e.peakBps = m.get("peak_bps") instanceof Number n ? n.doubleValue() : 0;
                    e.sourceCount = number(m, "source_count");
                    List<String> top = new ArrayList<>();
                    if (m.get("top_sources") instanceof List<?> l) {
                        for (Object o : l) {
                            top.add(String.valueOf(o));
                        }
                    }
                    e.topSources = top.toArray(String[]::new);
                }
                default -> throw new IllegalArgumentException("type " + type);
            }
        } catch (JacksonException | IllegalArgumentException | java.time.DateTimeException | ClassCastException x) {
            Event bad = new Event();
            bad.kind = Event.MALFORMED;
            bad.raw = json;
            bad.probe = e.probe;
            return bad;
        }
        return e;
    }

    static String string(Map<String, Object> m, String k) {
        return m.get(k) instanceof String s ? s : null;
    }

    static long number(Map<String, Object> m, String k) {
        if (m.get(k) instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("no number " + k);
    }

    static long millis(Map<String, Object> m, String k) {
        if (m.get(k) instanceof String s) {
            return Instant.parse(s).toEpochMilli();
        }
        throw new IllegalArgumentException("no time " + k);
    }

    /** A JSON object: keys in order, integers as Long, decimals as Double, arrays as List, objects as Map. */
    public static Map<String, Object> object(String json) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Map<String, Object> m = object(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("more than one JSON value");
            }
            return m;
        }
    }

    private static Map<String, Object> object(JsonParser p) {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            m.put(name, value(p));
        }
        return m;
    }

    private static Object value(JsonParser p) {
        return switch (p.currentToken()) {
            case START_OBJECT -> object(p);
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                yield l;
            }
            case VALUE_STRING -> p.getString();
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IllegalArgumentException("unexpected " + p.currentToken());
        };
    }
}
