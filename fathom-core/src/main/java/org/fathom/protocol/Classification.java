package org.fathom.protocol;

import java.util.LinkedHashMap;
import java.util.List;

/** The classifier's verdict on a finished flow, ready for the record. */
public record Classification(String protocol, String application, String category, String confidence,
                             LinkedHashMap<String, Object> metadata, List<String> risks) {
}
