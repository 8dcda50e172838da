package org.fathom.protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Names the service behind a host name by domain-suffix rules; the most specific rule wins
 * ({@code music.youtube.com} before {@code youtube.com}). Rules come from the bundled
 * {@code services.rules} resource, then from user files that may add or override rules (a later
 * rule for the same suffix replaces the earlier one).
 *
 * <p>Rule file format, one rule per line: {@code suffix [suffix ...] application category};
 * {@code #} starts a comment. A suffix matches the host itself and every subdomain of it (a
 * leading {@code *.} or {@code .} is accepted and ignored). A pattern {@code word*} (one label
 * ending in {@code *}) matches every host whose first label starts with {@code word}: {@code ocsp*}
 * names {@code ocsp.digicert.com} and {@code ocsp2.globalsign.com}. Order of precedence: a rule
 * for the whole host, then first-label patterns, then the longest matching parent domain.
 * Application and category use nDPI's spelling; see docs/CLASSIFICATION.md.
 *
 * <p>Load every file before the catalog is shared; lookups never change it.
 */
public final class ServiceCatalog {
    private static final int MAX_HOST = 253;

    private final Map<String, Service> bySuffix = new HashMap<>();
    private final Map<String, Service> byLabelPrefix = new LinkedHashMap<>();

    /** A catalog without rules. */
    public ServiceCatalog() {
    }

    /** The rules shipped with Fathom ({@code services.rules}). */
    public static ServiceCatalog bundled() {
        ServiceCatalog c = new ServiceCatalog();
        try (InputStream in = ServiceCatalog.class.getResourceAsStream("services.rules")) {
            if (in != null) {
                c.load(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), "services.rules (bundled)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c;
    }

    /**
     * Adds the rules of a user file; they override bundled rules for the same suffix.
     *
     * @throws IllegalArgumentException naming the file and line of a malformed rule
     */
    public void load(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            load(r, file.toString());
        }
    }

    void load(BufferedReader r, String source) throws IOException {
        RuleLines.read(r, source, (fields, where) -> {
            if (fields.length < 3) {
                throw new IllegalArgumentException(where + ": expected 'suffix application category', got '"
                        + String.join(" ", fields) + "'");
            }
            Service service = RuleLines.service(fields, where);
            for (int i = 0; i < fields.length - 2; i++) {
                String f = fields[i];
                if (f.length() > 1 && f.endsWith("*") && f.indexOf('.') < 0) {
                    byLabelPrefix.put(suffix(f.substring(0, f.length() - 1), where), service);
                } else {
                    add(suffix(f, where), service);
                }
            }
        });
    }

    private static String suffix(String text, String where) {
        String s = text.toLowerCase(Locale.ROOT);
        if (s.startsWith("*.")) {
            s = s.substring(2);
        } else if (s.startsWith(".")) {
            s = s.substring(1);
        }
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > MAX_HOST || s.startsWith(".") || s.contains("..")) {
            throw new IllegalArgumentException(where + ": '" + text + "' is not a domain suffix");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) {
                throw new IllegalArgumentException(where + ": '" + text + "' is not a domain suffix");
            }
        }
        return s;
    }

    public void add(String suffix, Service service) {
        bySuffix.put(suffix.toLowerCase(Locale.ROOT), service);
    }

    public int size() {
        return bySuffix.size() + byLabelPrefix.size();
    }

    private Service labelPrefix(String h) {
        int dot = h.indexOf('.');
        if (dot < 0) {
            return null; // a bare word is not a host a pattern is meant for
        }
        for (Map.Entry<String, Service> e : byLabelPrefix.entrySet()) {
            if (h.startsWith(e.getKey()) && e.getKey().length() <= dot) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The service of {@code host} (by its most specific matching rule), or null. */
    public Service lookup(String host) {
        if (host == null || host.isEmpty() || size() == 0) {
            return null;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        // most specific first: the whole name, then each parent domain
        int from = 0;
        while (true) {
            Service s = bySuffix.get(from == 0 ? h : h.substring(from));
            if (s != null) {
                return s;
            }
            if (from == 0 && !byLabelPrefix.isEmpty()) {
                s = labelPrefix(h);
                if (s != null) {
                    return s;
                }
            }
            int dot = h.indexOf('.', from);
            if (dot < 0) {
                return null;
            }
            from = dot + 1;
        }
    }
}
