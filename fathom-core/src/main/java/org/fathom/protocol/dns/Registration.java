package org.fathom.protocol.dns;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.PassiveObserver;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The dns package declares itself: MDNS, LLMNR, DNS: dissectors with their probe placement and the
 * metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // DNS: names kept (site-level statistics), subscriber addresses in answers and reverse names scrubbed
    public static final MetaField DNS_QUERY = MetaField.scrub("dns.query");
    public static final MetaField DNS_QTYPE = MetaField.keep("dns.qtype");
    public static final MetaField DNS_RCODE = MetaField.keep("dns.rcode");
    public static final MetaField DNS_ANSWERS = MetaField.scrub("dns.answers");
    // application response times and failures (flows and events)
    public static final MetaField DNS_ID = MetaField.keep("dns.id");
    public static final MetaField DNS_MESSAGE = MetaField.keep("dns.message");
    public static final MetaField DNS_RESPONSE_MS = MetaField.keep("dns.response_ms");
    public static final MetaField DNS_NO_ANSWER = MetaField.keep("dns.no_answer");

    @Override
    public List<Probe> probes() {
        // mDNS and LLMNR are the DNS message on their own port only: loose (they lean on the port)
        return List.of(
                Probe.of(DnsDissector.mdns(), ProbeClass.LOOSE),
                Probe.of(DnsDissector.llmnr(), ProbeClass.LOOSE),
                // on port 53 a sound header and question suffice; elsewhere the whole message must parse
                Probe.of(DnsDissector.dns(), ProbeClass.STRUCTURE).lenientOnItsPort());
    }

    @Override
    public List<PassiveObserver> observers() {
        return List.of(new DnsAnswerObserver());
    }
}
