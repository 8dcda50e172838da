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
import java.util.Locale;
import java.util.Map;

/**
 * Names the service behind a host name by domain-suffix rules; the most specific rule wins
 * ({@code music.youtube.com} before {@code youtube.com}). Rules come from the bundled
 * {@code services.rules} resource, then from user files that may add or override rules.
 *
 * <p>Rule file format, one rule per line: {@code suffix application category}; {@code #} starts a
 * comment. A suffix matches the host itself and every subdomain of it.
 */
public final class ServiceCatalog {
    private final Map<String, Service> bySuffix = new HashMap<>();

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
     * Adds the rules of a user file.
     *
     * @throws IllegalArgumentException naming the file and line of a malformed rule
     */
    public void load(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            load(r, file.toString());
        }
    }

    private void load(BufferedReader r, String source) throws IOException {
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 3) {
                throw new IllegalArgumentException(source + " line " + n + ": expected 'suffix application category', got '" + line + "'");
            }
            String suffix = parts[0].toLowerCase(Locale.ROOT);
            if (suffix.startsWith("*.")) {
                suffix = suffix.substring(2);
            } else if (suffix.startsWith(".")) {
                suffix = suffix.substring(1);
            }
            if (suffix.isEmpty()) {
                throw new IllegalArgumentException(source + " line " + n + ": empty domain suffix");
            }
            add(suffix, new Service(parts[1], parts[2]));
        }
    }

    public void add(String suffix, Service service) {
        bySuffix.put(suffix.toLowerCase(Locale.ROOT), service);
    }

    public int size() {
        return bySuffix.size();
    }

    /** The service of {@code host}, or null. */
    public Service lookup(String host) {
        if (host == null || host.isEmpty()) {
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
            int dot = h.indexOf('.', from);
            if (dot < 0) {
                return null;
            }
            from = dot + 1;
        }
    }
}
