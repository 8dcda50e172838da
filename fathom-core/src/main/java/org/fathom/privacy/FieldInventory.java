package org.fathom.privacy;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.fathom.field.FieldSource;
import org.fathom.field.MetaField;
import org.fathom.field.Treatment;

/**
 * Every metadata field a record may carry, and what pseudonymous mode does to it ({@link
 * Treatment}). A field that is not listed is dropped (and counted): a new dissector's output cannot
 * leave the engine until someone has decided how it is treated. Protocol metadata comes from the
 * protocol packages' declarations ({@link MetaField} constants of their registrations, handed over
 * by every {@link FieldSource} on the class path); the fields of flows, calls, alerts and events
 * that no protocol package writes are listed here. docs/PRIVACY.md explains the treatments.
 */
public final class FieldInventory {
    /** Fields no protocol package writes. */
    private static final Map<String, Treatment> BASE = Map.<String, Treatment>ofEntries(
            // flow id (keyed hash, privacy.FlowIds) and TCP traffic issues (flow.TcpHealth; docs/EVENTS.md)
            Map.entry("flow_id", Treatment.KEEP),
            Map.entry("tcp.rtt_server_ms", Treatment.KEEP),
            Map.entry("tcp.rtt_client_ms", Treatment.KEEP),
            Map.entry("tcp.retrans_c2s", Treatment.KEEP),
            Map.entry("tcp.retrans_s2c", Treatment.KEEP),
            Map.entry("tcp.retrans_bytes_c2s", Treatment.KEEP),
            Map.entry("tcp.retrans_bytes_s2c", Treatment.KEEP),
            Map.entry("tcp.out_of_order_c2s", Treatment.KEEP),
            Map.entry("tcp.out_of_order_s2c", Treatment.KEEP),
            Map.entry("tcp.out_of_order_bytes_c2s", Treatment.KEEP),
            Map.entry("tcp.out_of_order_bytes_s2c", Treatment.KEEP),
            Map.entry("tcp.zero_window_c2s", Treatment.KEEP),
            Map.entry("tcp.zero_window_s2c", Treatment.KEEP),
            Map.entry("tcp.refused", Treatment.KEEP),
            Map.entry("tcp.reset_by", Treatment.KEEP),
            Map.entry("tcp.unanswered", Treatment.KEEP),
            // policy dry run (docs/POLICY.md): the operator's rule name and its action, not personal
            // (call records carry the same two as fields of their own)
            Map.entry("policy.rule", Treatment.KEEP),
            Map.entry("policy.action", Treatment.KEEP));

    private static final Map<String, Treatment> FIELDS = build();

    private static Map<String, Treatment> build() {
        Map<String, Treatment> m = new HashMap<>(BASE);
        for (FieldSource src : ServiceLoader.load(FieldSource.class, FieldSource.class.getClassLoader())) {
            for (MetaField f : src.fields()) {
                Treatment old = m.putIfAbsent(f.key(), f.treatment());
                if (old != null && old != f.treatment()) {
                    throw new IllegalStateException("metadata field " + f.key() + " declared as both " + old + " and " + f.treatment());
                }
            }
        }
        return Map.copyOf(m);
    }

    private FieldInventory() {}

    /** The treatment of {@code key}; {@link Treatment#DROP} for anything not listed. */
    public static Treatment of(String key) {
        Treatment t = FIELDS.get(key);
        if (t != null) {
            return t;
        }
        return Treatment.DROP;
    }

    /** Whether the field is listed at all (unlisted fields are dropped and counted). */
    public static boolean known(String key) {
        return FIELDS.containsKey(key);
    }

    public static Map<String, Treatment> all() {
        return FIELDS;
    }
}
