package org.fathom.protocol;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every protocol and service Fathom can report, with its category and how it is detected: what
 * {@code fathom protocols} prints (like {@code ndpiReader -a 0}). Built from the sources of the
 * verdicts themselves, so nothing listed is unreachable: the dissectors' descriptors and
 * {@link Dissector#alsoReports}, the protocols named by the IP protocol number, the call variants
 * of STUN/DTLS/SRTP flows, the {@link ServiceCatalog} (host names), the {@link AddressCatalog}
 * (address blocks) and the {@link PortCatalog} (default ports).
 */
public final class ProtocolList {
    /** How a name is found, strongest first. */
    public enum Method {
        /** payload dissection (or the IP protocol number, or an expectation another flow announced) */
        DPI("dpi"),
        /** a host name (TLS SNI and certificate names, QUIC SNI, HTTP Host, DNS names, STUN realm) in the service catalog */
        DOMAIN("domain"),
        /** the address catalog (provider address blocks) */
        ADDRESS("address"),
        /** a default port: the last resort, reported with {@code confidence: port} */
        PORT("port");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One name: its category (the first source's), how it is detected, and an example of the
     * evidence (a dissector class, a domain, an address block, a port).
     */
    public record Entry(String name, String category, Set<Method> methods, Map<Method, String> evidence) { }

    private ProtocolList() {}

    /** The list for the default registry and the bundled catalogs. */
    public static List<Entry> defaults() {
        return of(ProtocolRegistry.defaults(), ServiceCatalog.bundled(), AddressCatalog.bundled(), PortCatalog.bundled());
    }

    public static List<Entry> of(ProtocolRegistry registry, ServiceCatalog services, AddressCatalog addresses, PortCatalog ports) {
        Map<String, Entry> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        // a name's own dissector is its example; otherwise the first by class name of those that
        // also report it (so the listing does not depend on the probe order)
        for (Dissector d : registry.dissectors()) {
            add(m, d.descriptor().name(), d.descriptor().category(), Method.DPI, d.getClass().getSimpleName());
        }
        List<Dissector> byClass = new ArrayList<>(registry.dissectors());
        byClass.sort(java.util.Comparator.comparing(d -> d.getClass().getSimpleName()));
        for (Dissector d : byClass) {
            for (Service s : d.alsoReports()) {
                add(m, s.name(), s.category(), Method.DPI, d.getClass().getSimpleName());
            }
        }
        for (Dissector d : registry.dissectors()) {
            Descriptor desc = d.descriptor();
            for (int p : desc.tcpPorts()) {
                add(m, desc.name(), desc.category(), Method.PORT, "tcp/" + p);
            }
            for (int p : desc.udpPorts()) {
                add(m, desc.name(), desc.category(), Method.PORT, "udp/" + p);
            }
        }
        for (Service s : Classifier.HTTP_SERVICES) {
            add(m, s.name(), s.category(), Method.DPI, "HTTP method, content type or server");
        }
        for (int proto = 0; proto < 256; proto++) {
            Service s = Classifier.byIpProtocol(proto);
            if (s != null) {
                add(m, s.name(), s.category(), Method.DPI, "IP protocol " + proto);
            }
        }
        for (Map.Entry<Service, String> e : services.services().entrySet()) {
            add(m, e.getKey().name(), e.getKey().category(), Method.DOMAIN, e.getValue());
            callVariant(m, e.getKey().name(), Method.DOMAIN, e.getValue());
        }
        for (Map.Entry<Service, AddressCatalog.Prefix> e : addresses.services().entrySet()) {
            String block = cidr(e.getValue());
            // a call relay block (listed under a call's own name) names only the call's media
            add(m, e.getKey().name(), e.getKey().category(), Method.ADDRESS,
                    Classifier.callName(e.getKey().name()) ? block + ON_CARRIERS : block);
            if (Classifier.callService(e.getKey().name())) {
                callVariant(m, e.getKey().name(), Method.ADDRESS, block);
            }
        }
        for (PortCatalog.Entry e : ports.entries()) {
            String where = e.tcpPorts().length > 0 ? "tcp/" + e.tcpPorts()[0] : "udp/" + e.udpPorts()[0];
            add(m, e.name(), e.category(), Method.PORT, where);
        }
        return List.copyOf(m.values());
    }

    static String cidr(AddressCatalog.Prefix p) {
        if (p.hi() == 0 && (p.lo() >>> 32) == 0xFFFFL && p.len() >= 96) {
            long a = p.lo();
            return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255) + "/" + (p.len() - 96);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            long w = i < 4 ? p.hi() >>> (48 - 16 * i) : p.lo() >>> (48 - 16 * (i - 4));
            sb.append(i == 0 ? "" : ":").append(Long.toHexString(w & 0xFFFF));
        }
        return sb + "/" + p.len();
    }

    /** Evidence that names a call only on its media and NAT-traversal flows ({@code Classifier.callCarrier}). */
    static final String ON_CARRIERS = " (on STUN/DTLS/SRTP/RTP/RTCP)";

    /** A messaging service named on a media or NAT-traversal flow (STUN/DTLS/SRTP/RTP/RTCP) is reported as its call variant. */
    private static void callVariant(Map<String, Entry> m, String app, Method how, String evidence) {
        String call = Classifier.callVariant(app);
        if (call != null) {
            add(m, call, "VoIP", how, evidence + ON_CARRIERS);
        }
    }

    private static void add(Map<String, Entry> m, String name, String category, Method how, String evidence) {
        Entry e = m.get(name);
        if (e == null) {
            e = new Entry(name, category, EnumSet.noneOf(Method.class), new LinkedHashMap<>());
            m.put(name, e);
        }
        e.methods().add(how);
        e.evidence().putIfAbsent(how, evidence);
    }

    /** The names only, in listing order. */
    public static List<String> names(List<Entry> entries) {
        List<String> l = new ArrayList<>();
        for (Entry e : entries) {
            l.add(e.name());
        }
        return l;
    }
}
