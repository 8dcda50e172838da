package org.fathom.field;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One metadata key a record may carry, with its privacy treatment: the typed constant a protocol
 * package declares (as a {@code public static final} field of its registration) and its dissectors
 * write with {@code ctx.put(FIELD.key(), value)}. The privacy inventory is built from these
 * declarations, so a key cannot be written without a decided treatment.
 *
 * @param key       the record key, {@code <protocol>.<name>} in lower case ({@code tls.sni})
 * @param treatment what pseudonymous mode does to it
 */
public record MetaField(String key, Treatment treatment) {
    private static final Pattern KEY = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)+");

    public MetaField {
        Objects.requireNonNull(treatment, "treatment");
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("metadata key must be <protocol>.<name> in lower case: " + key);
        }
    }

    public static MetaField keep(String key) {
        return new MetaField(key, Treatment.KEEP);
    }

    public static MetaField scrub(String key) {
        return new MetaField(key, Treatment.SCRUB);
    }

    public static MetaField token(String key) {
        return new MetaField(key, Treatment.TOKEN);
    }

    public static MetaField userUri(String key) {
        return new MetaField(key, Treatment.USER_URI);
    }

    public static MetaField drop(String key) {
        return new MetaField(key, Treatment.DROP);
    }

    /** The {@code public static final MetaField} constants of {@code holder}, in declaration order. */
    public static List<MetaField> declaredIn(Class<?> holder) {
        List<MetaField> l = new ArrayList<>();
        for (Field f : holder.getDeclaredFields()) {
            int m = f.getModifiers();
            if (f.getType() == MetaField.class && Modifier.isStatic(m) && Modifier.isFinal(m) && Modifier.isPublic(m)) {
                try {
                    l.add((MetaField) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(holder.getName() + "." + f.getName(), e);
                }
            }
        }
        return l;
    }
}
