package org.fathom.protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the two catalogs that name a flow's application share: {@link ServiceCatalog} (domain
 * suffixes, looked up by host name) and {@link AddressCatalog} (address blocks, looked up by
 * address). Both read rule files of one syntax, {@code key [key ...] application category} with
 * {@code #} comments ({@link RuleLines}), where a malformed rule stops loading with a message
 * naming the file and line; in both a later rule for the same key replaces the earlier one; and
 * both answer {@link #lookup(String)} with the service of the most specific matching rule, or null.
 *
 * <p>The bundled rules (a resource next to the class) are read on first use, once per process,
 * into an immutable {@link Bundle}, rules and compiled table, which every catalog made by
 * {@code bundled()} wraps ({@link Bundled}): a catalog is cheap to make, and the rules it loads or
 * adds are its own and never reach another catalog. A catalog made with {@code new} has no rules. Lookups run on a compiled table of all rules, made again on
 * the first lookup after a change. Load every file before the catalog is shared; lookups never
 * change it.
 *
 * @param <K> a rule's key (a domain suffix, an address prefix)
 * @param <T> the compiled lookup table
 */
public abstract sealed class RuleCatalog<K, T> permits AddressCatalog, ServiceCatalog {
    /** Rules in load order and their compiled table, both never changed: the bundled rules. */
    static final class Bundle<K, T> {
        final Map<K, Service> rules;
        final T table;

        private Bundle(Map<K, Service> rules, T table) {
            this.rules = rules;
            this.table = table;
        }
    }

    /**
     * The bundled rules of a catalog class, read on first use and then shared (read-only) by the
     * catalogs it makes.
     */
    static final class Bundled<K, T, C extends RuleCatalog<K, T>> {
        private final String[] resources;
        private final Supplier<C> empty;
        private volatile Bundle<K, T> bundle;

        /**
         * @param empty     makes a catalog without rules
         * @param resources the rules files next to the catalog class, read in this order (a later
         *                  file's rule for a key replaces an earlier one's)
         */
        Bundled(Supplier<C> empty, String... resources) {
            this.resources = resources.clone();
            this.empty = empty;
        }

        /** A new catalog holding the bundled rules, to which the caller may add its own. */
        C catalog() {
            Bundle<K, T> b = bundle;
            if (b == null) {
                synchronized (this) {
                    b = bundle;
                    if (b == null) {
                        b = read(empty.get(), resources);
                        bundle = b;
                    }
                }
            }
            C c = empty.get();
            c.wrap(b);
            return c;
        }
    }

    private Bundle<K, T> bundle;
    /** This catalog's own rules, in load order, the last one for a key winning. */
    private final Map<K, Service> own = new LinkedHashMap<>();
    private volatile T table;

    /** A catalog without rules. */
    RuleCatalog() {
    }

    /** Makes a new, empty catalog wrap the bundled rules (before it is handed out). */
    final void wrap(Bundle<K, T> b) {
        bundle = b;
        table = b.table;
    }

    /**
     * The key a rule field names.
     *
     * @param where "file line n" of the rule, or null for a rule given by code
     * @throws IllegalArgumentException naming {@code where} if the field is not a key
     */
    abstract K key(String field, String where);

    /** What keys are called in the message about a short rule ({@code cidr}, {@code suffix}). */
    abstract String keyName();

    /** The lookup table of {@code rules}, given in load order (a later rule replaced an earlier one). */
    abstract T compile(Map<K, Service> rules);

    /** The service named by the most specific rule matching {@code key} (a host name, an address), or null. */
    public abstract Service lookup(String key);

    /**
     * Adds the rules of a user file; they override earlier rules for the same key.
     *
     * @throws IllegalArgumentException naming the file and line of a malformed rule
     */
    public final void load(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            load(r, file.toString());
        }
    }

    final void load(BufferedReader r, String source) throws IOException {
        table = null;
        RuleLines.read(r, source, (fields, where) -> {
            if (fields.length < 3) {
                throw new IllegalArgumentException(where + ": expected '" + keyName() + " application category', got '"
                        + String.join(" ", fields) + "'");
            }
            Service service = RuleLines.service(fields, where);
            for (int i = 0; i < fields.length - 2; i++) {
                own.put(key(fields[i], where), service);
            }
        });
    }

    /**
     * Adds one rule; it overrides earlier rules for the same key.
     *
     * @throws IllegalArgumentException if {@code key} is not a key of this catalog
     */
    public final void add(String key, Service service) {
        own.put(key(key, null), service);
        table = null;
    }

    /**
     * Every service some rule names, with the first key naming it (for {@code fathom protocols}
     * and tests): the application in load order, bundled rules first.
     */
    public final synchronized Map<Service, K> services() {
        Map<K, Service> rules = own;
        if (bundle != null) {
            rules = new LinkedHashMap<>(bundle.rules);
            rules.putAll(own);
        }
        Map<Service, K> out = new LinkedHashMap<>();
        for (Map.Entry<K, Service> e : rules.entrySet()) {
            out.putIfAbsent(e.getValue(), e.getKey());
        }
        return out;
    }

    /**
     * Replaces this catalog's own rules with those of {@code other} (a catalog made the same way,
     * e.g. bundled and then loaded with the user's files again), while lookups run on other
     * threads: {@code other}'s table is compiled first, then published with one volatile write, so
     * a lookup sees the old rules or the new ones, never a mix, and takes no lock. Flows already
     * named keep their application; flows named from then on use the new rules.
     */
    public final void replaceRules(RuleCatalog<K, T> other) {
        T compiled = other.table();
        synchronized (this) {
            own.clear();
            own.putAll(other.own);
            table = compiled;
        }
    }

    /** The number of distinct keys with a rule. */
    public final int size() {
        if (bundle == null) {
            return own.size();
        }
        int n = bundle.rules.size();
        for (K k : own.keySet()) {
            if (!bundle.rules.containsKey(k)) {
                n++;
            }
        }
        return n;
    }

    /** The compiled table of all rules. */
    final T table() {
        T t = table;
        return t != null ? t : compileNow();
    }

    private synchronized T compileNow() {   // the same lock as replaceRules
        T t = table;
        if (t != null) {
            return t;
        }
        Map<K, Service> rules = own;
        if (bundle != null) {
            rules = new LinkedHashMap<>(bundle.rules);
            rules.putAll(own);
        }
        t = compile(rules);
        table = t;
        return t;
    }

    /** Reads the {@code resources} of {@code empty}'s class in order, with {@code empty}'s key syntax, into a bundle. */
    private static <K, T> Bundle<K, T> read(RuleCatalog<K, T> empty, String... resources) {
        for (String resource : resources) {
            try (InputStream in = empty.getClass().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("bundled rules missing: " + resource);
                }
                empty.load(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), resource + " (bundled)");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<K, Service> rules = Collections.unmodifiableMap(new LinkedHashMap<>(empty.own));
        return new Bundle<>(rules, empty.compile(rules));
    }

    /** A line for logs: the class and the number of rules. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + size() + " rules]";
    }
}
