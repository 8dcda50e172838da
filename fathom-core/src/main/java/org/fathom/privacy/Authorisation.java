package org.fathom.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fathom.net.Cidr;

/**
 * The written authorisation under which identified records may be released: who may be seen
 * (scope: subscriber networks or addresses), when (a window of capture time), why (purpose) and
 * on whose authority (reference). File format, one {@code key: value} per line:
 * <pre>
 * scope: 10.1.2.0/24, 192.168.7.9
 * from: 2024-05-01T00:00:00Z
 * until: 2024-05-31T23:59:59Z
 * purpose: fault investigation for ticket 4711
 * reference: NOC-2024-4711
 * </pre>
 */
public record Authorisation(Path file, List<Cidr> scope, Instant from, Instant until, String purpose, String reference) {

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    public static Authorisation load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("authorisation file " + file + ": cannot read (" + e.getMessage() + ")");
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("authorisation file " + file + " line " + (i + 1) + ": expected 'key: value'");
            }
            String key = line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
            if (!List.of("scope", "from", "until", "purpose", "reference").contains(key)) {
                throw new IllegalArgumentException("authorisation file " + file + " line " + (i + 1) + ": unknown key '" + key + "'");
            }
            kv.put(key, line.substring(colon + 1).strip());
        }
        for (String k : List.of("scope", "from", "until", "purpose", "reference")) {
            if (!kv.containsKey(k) || kv.get(k).isEmpty()) {
                throw new IllegalArgumentException("authorisation file " + file + ": '" + k + "' is missing");
            }
        }
        List<Cidr> scope = new ArrayList<>();
        for (String part : kv.get("scope").split(",")) {
            if (!part.isBlank()) {
                try {
                    scope.add(Cidr.parse(part));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("authorisation file " + file + ": scope: " + e.getMessage());
                }
            }
        }
        Instant from;
        Instant until;
        try {
            from = Instant.parse(kv.get("from"));
            until = Instant.parse(kv.get("until"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("authorisation file " + file + ": from/until must be ISO-8601 UTC instants like 2024-05-01T00:00:00Z");
        }
        if (!until.isAfter(from)) {
            throw new IllegalArgumentException("authorisation file " + file + ": 'until' must be after 'from'");
        }
        return new Authorisation(file, List.copyOf(scope), from, until, kv.get("purpose"), kv.get("reference"));
    }

    /** Whether a subscriber address seen at capture time {@code tsNanos} is within scope. */
    public boolean covers(long hi, long lo, long tsNanos) {
        long fromN = from.getEpochSecond() * 1_000_000_000L + from.getNano();
        long untilN = until.getEpochSecond() * 1_000_000_000L + until.getNano();
        if (tsNanos < fromN || tsNanos > untilN) {
            return false;
        }
        for (Cidr c : scope) {
            if (c.contains(hi, lo)) {
                return true;
            }
        }
        return false;
    }
}
