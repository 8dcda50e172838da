package org.fathom.policy;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.dataformat.yaml.YAMLFactory;

/**
 * A YAML document as a tree that remembers the line of every value, so that a policy error can say
 * where it is. Read with Jackson's streaming YAML parser (no data binding): mappings keep their
 * order and refuse duplicate keys, scalars keep their text.
 *
 * @param value a {@code Map<String, YamlNode>}, a {@code List<YamlNode>}, a String (scalar text),
 *              or null (an empty or null value)
 * @param line  1-based line where the value starts
 * @param quoted whether a scalar was a string in the YAML sense (quoted or not a number/boolean)
 */
record YamlNode(Object value, int line, boolean quoted) {
    private static final YAMLFactory YAML = new YAMLFactory();
    /** Nesting deeper than this is not a policy file (and would cost stack). */
    private static final int MAX_DEPTH = 32;

    static YamlNode parse(String file, Reader in) {
        try (JsonParser p = YAML.createParser(ObjectReadContext.empty(), in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new PolicyException(file, 1, "the file is empty (expected 'policy:' with rules)");
            }
            YamlNode root = read(file, p, t, 0);
            if (p.nextToken() != null) {
                throw new PolicyException(file, line(p), "more than one YAML document");
            }
            return root;
        } catch (JacksonException e) {
            String m = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            // snakeyaml's message: context and problem lines, each followed by an indented excerpt
            m = String.join("; ", m.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList()).strip();
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new PolicyException(file, Math.max(line, 0), "not valid YAML (" + m + ")");
        }
    }

    private static int line(JsonParser p) {
        return Math.max(1, p.currentTokenLocation().getLineNr());
    }

    private static YamlNode read(String file, JsonParser p, JsonToken t, int depth) {
        int line = line(p);
        if (depth > MAX_DEPTH) {
            throw new PolicyException(file, line, "nested more than " + MAX_DEPTH + " levels deep");
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    int keyLine = line(p);
                    YamlNode v = read(file, p, p.nextToken(), depth + 1);
                    if (m.containsKey(name)) {
                        throw new PolicyException(file, keyLine, "'" + name + "' is given twice");
                    }
                    m.put(name, new YamlNode(v.value, v.value == null ? keyLine : v.line, v.quoted));
                }
                return new YamlNode(m, line, false);
            }
            case START_ARRAY -> {
                List<YamlNode> l = new ArrayList<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_ARRAY; k = p.nextToken()) {
                    l.add(read(file, p, k, depth + 1));
                }
                return new YamlNode(l, line, false);
            }
            case VALUE_NULL -> {
                return new YamlNode(null, line, false);
            }
            case VALUE_STRING -> {
                return new YamlNode(p.getString(), line, true);
            }
            default -> {
                return new YamlNode(p.getText(), line, false);
            }
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, YamlNode> map() {
        return value instanceof Map<?, ?> m ? (Map<String, YamlNode>) m : null;
    }

    @SuppressWarnings("unchecked")
    List<YamlNode> list() {
        return value instanceof List<?> l ? (List<YamlNode>) l : null;
    }

    String text() {
        return value instanceof String s ? s : null;
    }

    /** The scalar's items: one for a scalar, each for a list of scalars (null when a list holds a non-scalar). */
    List<YamlNode> items() {
        if (value instanceof List<?>) {
            return list();
        }
        return List.of(this);
    }

    static void close(Reader r) {
        try {
            r.close();
        } catch (IOException e) {
            // read fully already
        }
    }
}
