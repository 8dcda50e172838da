package org.fathom.security;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fathom.net.Cidr;

/**
 * Per-network detection thresholds from a file, one rule per line:
 * <pre>
 * # network        overrides (names of Thresholds' components)
 * 203.0.113.0/24   synPps=20000 udpPps=50000
 * 2001:db8::/32    scanPorts=500
 * </pre>
 * Values not given keep the defaults; the first line whose network matches wins.
 */
public final class ThresholdRules {
    private ThresholdRules() {}

    /** @throws IllegalArgumentException naming the file and line of a bad rule */
    public static List<AttackDetector.NetworkThresholds> load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("alert thresholds " + file + ": cannot read (" + e.getMessage() + ")");
        }
        List<AttackDetector.NetworkThresholds> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            try {
                Cidr net = Cidr.parse(parts[0]);
                Thresholds t = Thresholds.DEFAULTS;
                for (int k = 1; k < parts.length; k++) {
                    t = with(t, parts[k]);
                }
                rules.add(new AttackDetector.NetworkThresholds(net, t));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("alert thresholds " + file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return rules;
    }

    /** {@code t} with one {@code name=value} override. */
    static Thresholds with(Thresholds t, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected name=value, got '" + assignment + "'");
        }
        String name = assignment.substring(0, eq);
        String value = assignment.substring(eq + 1);
        RecordComponent[] comps = Thresholds.class.getRecordComponents();
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        boolean found = false;
        try {
            for (int i = 0; i < comps.length; i++) {
                types[i] = comps[i].getType();
                args[i] = comps[i].getAccessor().invoke(t);
                if (comps[i].getName().equals(name)) {
                    found = true;
                    double v = Double.parseDouble(value);
                    if (!(v > 0)) {
                        throw new IllegalArgumentException(name + " must be positive");
                    }
                    args[i] = types[i] == int.class ? (Object) (int) v : (Object) v;
                }
            }
            if (!found) {
                List<String> names = new ArrayList<>();
                for (RecordComponent c : comps) {
                    names.add(c.getName());
                }
                throw new IllegalArgumentException("unknown threshold '" + name + "' (known: " + String.join(", ", names) + ")");
            }
            return Thresholds.class.getDeclaredConstructor(types).newInstance(args);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a number");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
