package org.fathom.protocol.database;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Databases, search engines and caches: Cassandra, Elasticsearch, Memcached, DRDA, Oracle. The
 * package declares itself here: dissectors with their probe placement and the metadata fields they
 * write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    public static final MetaField CASSANDRA_PROTOCOL_VERSION = MetaField.keep("cassandra.protocol_version");
    public static final MetaField MEMCACHED_COMMAND = MetaField.keep("memcached.command");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new CassandraDissector(), ProbeClass.STRUCTURE),
                Probe.of(new ElasticsearchDissector(), ProbeClass.MAGIC),
                Probe.of(new MemcachedDissector(), ProbeClass.LOOSE),
                Probe.of(new DrdaDissector(), ProbeClass.STRUCTURE),
                Probe.of(new OracleTnsDissector(), ProbeClass.STRUCTURE));
    }
}
