package org.fathom.protocol.tls;

import java.util.ArrayList;
import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The tls package declares itself: IMAPS, POPS, SMTPS, TLS, DTLS: dissectors with their probe
 * placement and the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // TLS and QUIC: server identity and client software fingerprints
    public static final MetaField TLS_SNI = MetaField.scrub("tls.sni");
    public static final MetaField TLS_ALPN = MetaField.keep("tls.alpn");
    public static final MetaField TLS_VERSION = MetaField.keep("tls.version");
    public static final MetaField TLS_CLIENT_VERSION = MetaField.keep("tls.client_version");
    public static final MetaField TLS_CIPHER = MetaField.keep("tls.cipher");
    public static final MetaField TLS_JA3 = MetaField.keep("tls.ja3");
    public static final MetaField TLS_JA3S = MetaField.keep("tls.ja3s");
    public static final MetaField TLS_JA4 = MetaField.keep("tls.ja4");
    public static final MetaField TLS_ECH = MetaField.keep("tls.ech");
    public static final MetaField TLS_CERT_SUBJECT = MetaField.scrub("tls.cert_subject");
    public static final MetaField TLS_CERT_ISSUER = MetaField.scrub("tls.cert_issuer");
    public static final MetaField TLS_CERT_NOT_BEFORE = MetaField.keep("tls.cert_not_before");
    public static final MetaField TLS_CERT_NOT_AFTER = MetaField.keep("tls.cert_not_after");
    public static final MetaField TLS_CERT_NAMES = MetaField.scrub("tls.cert_names");
    public static final MetaField DTLS_VERSION = MetaField.keep("dtls.version");
    // application response times and failures (flows and events)
    public static final MetaField TLS_HANDSHAKE_MS = MetaField.keep("tls.handshake_ms");
    public static final MetaField TLS_ALERT = MetaField.keep("tls.alert");
    public static final MetaField TLS_ALERT_FROM = MetaField.keep("tls.alert_from");
    public static final MetaField TLS_CERT_SHA1 = MetaField.keep("tls.cert_sha1");

    @Override
    public List<Probe> probes() {
        List<Probe> l = new ArrayList<>();
        // the implicit-TLS mail ports: the same dissector under the port's protocol name, asked before plain TLS
        for (TlsDissector d : TlsDissector.implicitServices()) {
            l.add(Probe.of(d, ProbeClass.MAGIC).before("TLS"));
        }
        l.add(Probe.of(new TlsDissector(), ProbeClass.MAGIC));
        l.add(Probe.of(new DtlsDissector(), ProbeClass.MAGIC));
        return l;
    }
}
