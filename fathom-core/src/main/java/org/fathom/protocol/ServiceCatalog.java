package org.fathom.protocol;

import java.util.HashMap;
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
 * <p>Loading, overriding and the bundled rules work as for every {@link RuleCatalog}.
 */
public final class ServiceCatalog extends RuleCatalog<String, ServiceCatalog.Table> {
    private static final int MAX_HOST = 253;

    /**
     * Compiled form: exact names and domain suffixes by name, first-label patterns by their word
     * (the key without the {@code *}), and the lengths of those words, longest first. A lookup
     * costs one hash probe per label of the name plus one per pattern length (a handful), however
     * many rules there are.
     */
    record Table(Map<String, Service> bySuffix, Map<String, Service> byLabelPrefix, int[] prefixLengths) { }

    private static final Bundled<String, Table, ServiceCatalog> BUNDLED = new Bundled<>(ServiceCatalog::new,
            "services-endpoints.rules", "services-breadth.rules", "services.rules");

    /**
     * A new catalog holding the rules shipped with Fathom ({@code services-endpoints.rules}: the
     * vendors' published endpoint lists; {@code services-breadth.rules}: the other services of
     * nDPI's list by their registered domains; {@code services.rules}: the curated rules, read last
     * so that they win over the two others for the same suffix); the caller may
     * add to it. The bundled rules are parsed once per process and shared read-only: what one
     * catalog adds never reaches another.
     */
    public static ServiceCatalog bundled() {
        return BUNDLED.catalog();
    }

    /** A rule's key: the domain suffix, or for a first-label pattern {@code word*} the word followed by {@code *}. */
    @Override
    String key(String field, String where) {
        if (field.length() > 1 && field.endsWith("*") && field.indexOf('.') < 0) {
            return suffix(field.substring(0, field.length() - 1), where) + "*";
        }
        return suffix(field, where);
    }

    @Override
    String keyName() {
        return "suffix";
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
            throw notSuffix(text, where);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) {
                throw notSuffix(text, where);
            }
        }
        return s;
    }

    private static IllegalArgumentException notSuffix(String text, String where) {
        return new IllegalArgumentException((where == null ? "" : where + ": ") + "'" + text + "' is not a domain suffix");
    }

    @Override
    Table compile(Map<String, Service> rules) {
        Map<String, Service> bySuffix = new HashMap<>();
        Map<String, Service> byLabelPrefix = new HashMap<>();
        java.util.TreeSet<Integer> lengths = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
        for (Map.Entry<String, Service> e : rules.entrySet()) {
            String k = e.getKey();
            if (k.endsWith("*")) {
                byLabelPrefix.put(k.substring(0, k.length() - 1), e.getValue());
                lengths.add(k.length() - 1);
            } else {
                bySuffix.put(k, e.getValue());
            }
        }
        return new Table(bySuffix, byLabelPrefix, lengths.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The longest first-label pattern matching {@code h}, or null. */
    private static Service labelPrefix(Table t, String h) {
        int dot = h.indexOf('.');
        if (dot < 0) {
            return null; // a bare word is not a host a pattern is meant for
        }
        for (int len : t.prefixLengths) {
            if (len <= dot) {
                Service s = t.byLabelPrefix.get(h.substring(0, len));
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    /** The service of {@code host} (by its most specific matching rule), or null. */
    @Override
    public Service lookup(String host) {
        Table t = table();
        Map<String, Service> bySuffix = t.bySuffix;
        Map<String, Service> byLabelPrefix = t.byLabelPrefix;
        if (host == null || host.isEmpty() || (bySuffix.isEmpty() && byLabelPrefix.isEmpty())) {
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
                s = labelPrefix(t, h);
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
