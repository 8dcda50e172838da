package org.fathom.protocol;

import java.util.ArrayList;
import java.util.List;
import org.fathom.field.FieldSource;
import org.fathom.field.MetaField;

/** The metadata fields every protocol registration declares, for the privacy inventory. */
public final class ProtocolFields implements FieldSource {
    @Override
    public List<MetaField> fields() {
        List<MetaField> l = new ArrayList<>();
        for (ProtocolModule m : ProtocolModules.all()) {
            l.addAll(m.fields());
        }
        return l;
    }
}
