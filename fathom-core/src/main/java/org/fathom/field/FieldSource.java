package org.fathom.field;

import java.util.List;

/**
 * A provider of declared metadata fields, found with {@link java.util.ServiceLoader} (file
 * {@code META-INF/services/org.fathom.field.FieldSource}). The protocol registry is one: it hands
 * over the fields every protocol package declares. This package names nothing else, so the
 * privacy layer can read the declarations without depending on the protocol packages.
 */
public interface FieldSource {
    List<MetaField> fields();
}
