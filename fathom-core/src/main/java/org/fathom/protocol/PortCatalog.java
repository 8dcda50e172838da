package org.fathom.protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Protocols Fathom knows only by their registered default ports ({@code ports.rules}): the last
 * resort of the port guess, used for a flow no dissector recognised on a port no dissector is
 * registered for, with {@code confidence: port}. Immutable, read once per process; a lookup is one
 * array read.
 *
 * <p>Rule format, one per line: {@code name category tcp:P[,P...] udp:P[,P...]}, either list may
 * be {@code -}; {@code #} starts a comment. A malformed rule names the resource and line.
 */
public final class PortCatalog {
    /** One protocol and its default ports. */
    public record Entry(String name, String category, int[] tcpPorts, int[] udpPorts) { }

    private static volatile PortCatalog bundled;

    private final List<Entry> entries;
    private final Service[] tcp = new Service[65536];
    private final Service[] udp = new Service[65536];

    private PortCatalog(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
        for (Entry e : entries) {
            Service s = new Service(e.name(), e.category());
            for (int p : e.tcpPorts()) {
                if (tcp[p] == null) {
                    tcp[p] = s;
                }
            }
            for (int p : e.udpPorts()) {
                if (udp[p] == null) {
                    udp[p] = s;
                }
            }
        }
    }

    /** The bundled rules, read on first use. */
    public static PortCatalog bundled() {
        PortCatalog c = bundled;
        if (c == null) {
            synchronized (PortCatalog.class) {
                c = bundled;
                if (c == null) {
                    try (InputStream in = PortCatalog.class.getResourceAsStream("ports.rules")) {
                        c = in == null ? new PortCatalog(List.of())
                                : parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), "ports.rules (bundled)");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    bundled = c;
                }
            }
        }
        return c;
    }

    static PortCatalog parse(BufferedReader r, String source) throws IOException {
        List<Entry> l = new ArrayList<>();
        RuleLines.read(r, source, (f, where) -> {
            if (f.length != 4 || !f[2].startsWith("tcp:") || !f[3].startsWith("udp:")) {
                throw new IllegalArgumentException(where + ": expected 'name category tcp:PORTS udp:PORTS', got '"
                        + String.join(" ", f) + "'");
            }
            l.add(new Entry(f[0], f[1], ports(f[2].substring(4), where), ports(f[3].substring(4), where)));
        });
        return new PortCatalog(l);
    }

    private static int[] ports(String list, String where) {
        if (list.equals("-")) {
            return new int[0];
        }
        String[] p = list.split(",");
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            try {
                out[i] = Integer.parseInt(p[i]);
            } catch (NumberFormatException e) {
                out[i] = -1;
            }
            if (out[i] < 1 || out[i] > 65535) {
                throw new IllegalArgumentException(where + ": '" + p[i] + "' is not a port (1-65535)");
            }
        }
        return out;
    }

    /** The protocol whose default port {@code port} is on TCP ({@code tcp}) or UDP, or null. */
    public Service lookup(boolean tcp, int port) {
        return port < 0 || port > 65535 ? null : (tcp ? this.tcp : this.udp)[port];
    }

    /** Every entry, in file order. */
    public List<Entry> entries() {
        return entries;
    }
}
