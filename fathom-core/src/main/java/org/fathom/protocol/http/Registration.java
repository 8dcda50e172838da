package org.fathom.protocol.http;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The http package declares itself: HTTP, HTTP_Proxy: dissectors with their probe placement and
 * the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // HTTP: host kept, path and query dropped
    public static final MetaField HTTP_METHOD = MetaField.keep("http.method");
    public static final MetaField HTTP_HOST = MetaField.scrub("http.host");
    public static final MetaField HTTP_URL = MetaField.drop("http.url");
    public static final MetaField HTTP_STATUS = MetaField.keep("http.status");
    public static final MetaField HTTP_USER_AGENT = MetaField.scrub("http.user_agent");
    public static final MetaField HTTP_CONTENT_TYPE = MetaField.keep("http.content_type");
    public static final MetaField HTTP_SERVER = MetaField.keep("http.server");
    public static final MetaField HTTP_REQUESTS = MetaField.keep("http.requests");
    // application response times and failures (flows and events)
    public static final MetaField HTTP_RESPONSE_MS = MetaField.keep("http.response_ms");
    public static final MetaField HTTP_VERSION = MetaField.keep("http.version");
    public static final MetaField HTTP_REQUEST_BYTES = MetaField.keep("http.request_bytes");
    public static final MetaField HTTP_RESPONSE_BYTES = MetaField.keep("http.response_bytes");
    public static final MetaField HTTP_ERRORS_4XX = MetaField.keep("http.errors_4xx");
    public static final MetaField HTTP_ERRORS_5XX = MetaField.keep("http.errors_5xx");
    // HTTP/2 streams and protocol switches (events)
    public static final MetaField HTTP_STREAM_ID = MetaField.keep("http.stream_id");
    public static final MetaField HTTP_UPGRADE = MetaField.keep("http.upgrade");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new HttpDissector(), ProbeClass.MAGIC),
                Probe.of(new HttpProxyPorts(), ProbeClass.LOOSE).after("HTTP"));
    }
}
