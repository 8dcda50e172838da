package org.fathom.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Parses JSON lines strictly with Jackson's streaming parser: every line must be exactly one JSON
 * object. Keys keep their order; integers become {@code Long}, arrays {@code List}.
 */
final class JsonLines {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonLines() {}

    /** The flow records only (the privacy header and other record types left out). */
    static List<Map<String, Object>> flows(String text) {
        return parse(text).stream().filter(m -> "flow".equals(m.get("type"))).toList();
    }

    static List<Map<String, Object>> parse(String text) {
        List<Map<String, Object>> records = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty() && n == text.split("\n", -1).length) {
                break;   // after the last newline
            }
            try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), line)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new AssertionError("line " + n + " is not a JSON object: " + line);
                }
                records.add(object(p));
                if (p.nextToken() != null) {
                    throw new AssertionError("line " + n + " holds more than one JSON value: " + line);
                }
            } catch (tools.jackson.core.JacksonException e) {
                throw new AssertionError("line " + n + " is not valid JSON (" + e.getOriginalMessage() + "): " + line, e);
            }
        }
        return records;
    }

    private static Map<String, Object> object(JsonParser p) {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            if (m.containsKey(name)) {
                throw new AssertionError("key " + name + " twice");
            }
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
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw new AssertionError("unexpected " + p.currentToken());
        };
    }
}
