package org.fathom.protocol;

import java.util.List;
import org.fathom.field.MetaField;

/**
 * A protocol package's declaration of itself: its dissectors with their probe placement, the
 * metadata fields they write (with their privacy treatment) and any passive observers. Each
 * protocol package has one, conventionally {@code org.fathom.protocol.<pkg>.Registration}, listed
 * in {@code META-INF/services/org.fathom.protocol.ProtocolModule}; the registry and the privacy
 * inventory are built from these declarations alone (see docs/CLASSIFICATION.md, "Adding a
 * protocol"). {@code RegistrationTest} fails when a dissector, a registration or a written key is
 * not declared.
 */
public interface ProtocolModule {
    /** The package's dissectors, each with its probe class and ordering constraints (new instances). */
    List<Probe> probes();

    /**
     * The metadata keys the package's dissectors write. By default the {@code public static final
     * MetaField} constants of the registration class.
     */
    default List<MetaField> fields() {
        return MetaField.declaredIn(getClass());
    }

    /** Observers that learn from every packet besides the dissectors (see {@link PassiveObserver}). */
    default List<PassiveObserver> observers() {
        return List.of();
    }
}
