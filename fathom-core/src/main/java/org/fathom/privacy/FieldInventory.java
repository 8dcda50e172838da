package org.fathom.privacy;

import java.util.Map;

/**
 * Every metadata field a flow record may carry, and what pseudonymous mode does to it. A field
 * that is not listed here is dropped (and counted): a new dissector's output cannot leave the
 * engine until someone has decided, here and in docs/PRIVACY.md, how it is treated.
 */
public final class FieldInventory {
    /** What happens to a field in pseudonymous mode. */
    public enum Treatment {
        /** Not personal (protocol facts, server names, fingerprints of software). */
        KEEP,
        /** Kept, but any subscriber address inside the text is replaced by its pseudonym. */
        SCRUB,
        /** Replaced by a keyed token (identifiers such as call ids). */
        TOKEN,
        /** A URI or e-mail address: display name removed, user part replaced by a keyed token, host scrubbed. */
        USER_URI,
        /** Never written (credentials, user names, device names, URL paths). */
        DROP
    }

    private static final Map<String, Treatment> FIELDS = Map.<String, Treatment>ofEntries(
            // TLS and QUIC: server identity and client software fingerprints
            Map.entry("tls.sni", Treatment.SCRUB),
            Map.entry("tls.alpn", Treatment.KEEP),
            Map.entry("tls.version", Treatment.KEEP),
            Map.entry("tls.client_version", Treatment.KEEP),
            Map.entry("tls.cipher", Treatment.KEEP),
            Map.entry("tls.ja3", Treatment.KEEP),
            Map.entry("tls.ja3s", Treatment.KEEP),
            Map.entry("tls.ja4", Treatment.KEEP),
            Map.entry("tls.ech", Treatment.KEEP),
            Map.entry("tls.cert_subject", Treatment.SCRUB),
            Map.entry("tls.cert_issuer", Treatment.SCRUB),
            Map.entry("tls.cert_not_before", Treatment.KEEP),
            Map.entry("tls.cert_not_after", Treatment.KEEP),
            Map.entry("tls.cert_names", Treatment.SCRUB),
            Map.entry("quic.version", Treatment.KEEP),
            Map.entry("quic.sni", Treatment.SCRUB),
            Map.entry("dtls.version", Treatment.KEEP),
            // HTTP: host kept, path and query dropped
            Map.entry("http.method", Treatment.KEEP),
            Map.entry("http.host", Treatment.SCRUB),
            Map.entry("http.url", Treatment.DROP),
            Map.entry("http.status", Treatment.KEEP),
            Map.entry("http.user_agent", Treatment.SCRUB),
            Map.entry("http.content_type", Treatment.KEEP),
            Map.entry("http.server", Treatment.KEEP),
            Map.entry("http.requests", Treatment.KEEP),
            // DNS: names kept (site-level statistics), subscriber addresses in answers and reverse names scrubbed
            Map.entry("dns.query", Treatment.SCRUB),
            Map.entry("dns.qtype", Treatment.KEEP),
            Map.entry("dns.rcode", Treatment.KEEP),
            Map.entry("dns.answers", Treatment.SCRUB),
            // SSH
            Map.entry("ssh.client_banner", Treatment.KEEP),
            Map.entry("ssh.server_banner", Treatment.KEEP),
            Map.entry("ssh.hassh", Treatment.KEEP),
            Map.entry("ssh.hassh_server", Treatment.KEEP),
            // DHCP: host names identify devices and often their owners
            Map.entry("dhcp.hostname", Treatment.DROP),
            Map.entry("dhcp.vendor_class", Treatment.KEEP),
            Map.entry("dhcp.message_type", Treatment.KEEP),
            // SIP: users pseudonymised, call ids tokenised
            Map.entry("sip.method", Treatment.KEEP),
            Map.entry("sip.status", Treatment.KEEP),
            Map.entry("sip.call_id", Treatment.TOKEN),
            Map.entry("sip.from", Treatment.USER_URI),
            Map.entry("sip.to", Treatment.USER_URI),
            Map.entry("sip.contact", Treatment.USER_URI),
            Map.entry("sip.user_agent", Treatment.SCRUB),
            // mail
            Map.entry("smtp.ehlo", Treatment.SCRUB),
            Map.entry("smtp.starttls", Treatment.KEEP),
            Map.entry("smtp.mail_from", Treatment.USER_URI),
            Map.entry("smtp.rcpt_to", Treatment.USER_URI),
            Map.entry("imap.starttls", Treatment.KEEP),
            Map.entry("pop3.starttls", Treatment.KEEP),
            // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
            Map.entry("ads.command", Treatment.KEEP),
            Map.entry("ajp.method", Treatment.KEEP),
            Map.entry("amqp.version", Treatment.KEEP),
            Map.entry("bacnet.bvlc_function", Treatment.KEEP),
            Map.entry("bfd.state", Treatment.KEEP),
            Map.entry("bittorrent.kind", Treatment.KEEP),
            Map.entry("capwap.message_type", Treatment.KEEP),
            Map.entry("cassandra.protocol_version", Treatment.KEEP),
            Map.entry("coap.code", Treatment.KEEP),
            Map.entry("coap.type", Treatment.KEEP),
            Map.entry("dcerpc.interface", Treatment.KEEP),
            Map.entry("dhcpv6.message_type", Treatment.KEEP),
            Map.entry("diameter.command", Treatment.KEEP),
            Map.entry("dnp3.src_address", Treatment.KEEP),
            Map.entry("dnp3.dst_address", Treatment.KEEP),
            Map.entry("enip.command", Treatment.KEEP),
            Map.entry("fix.version", Treatment.KEEP),
            Map.entry("gearman.packet_type", Treatment.KEEP),
            Map.entry("hart_ip.message_id", Treatment.KEEP),
            Map.entry("hislip.message_type", Treatment.KEEP),
            Map.entry("hsrp.version", Treatment.KEEP),
            Map.entry("iec60870.type_id", Treatment.KEEP),
            Map.entry("knxnet_ip.service", Treatment.KEEP),
            Map.entry("memcached.command", Treatment.KEEP),
            Map.entry("mgcp.command", Treatment.KEEP),
            Map.entry("modbus.exception_code", Treatment.KEEP),
            Map.entry("modbus.function", Treatment.KEEP),
            Map.entry("modbus.unit_id", Treatment.KEEP),
            Map.entry("mqtt.connack_code", Treatment.KEEP),
            Map.entry("mqtt.keep_alive", Treatment.KEEP),
            Map.entry("mqtt.version", Treatment.KEEP),
            Map.entry("nat_pmp.opcode", Treatment.KEEP),
            Map.entry("flute.fdt_instance", Treatment.KEEP),
            Map.entry("mumble.users", Treatment.KEEP),
            Map.entry("mumble.max_users", Treatment.KEEP),
            Map.entry("nats.server_version", Treatment.KEEP),
            Map.entry("netflow.version", Treatment.KEEP),
            Map.entry("ntp.mode", Treatment.KEEP),
            Map.entry("ntp.version", Treatment.KEEP),
            Map.entry("openflow.version", Treatment.KEEP),
            Map.entry("ptp.message_type", Treatment.KEEP),
            Map.entry("raknet.message", Treatment.KEEP),
            Map.entry("rtp.payload_type", Treatment.KEEP),
            Map.entry("rtp.packets_c2s", Treatment.KEEP),
            Map.entry("rtp.packets_s2c", Treatment.KEEP),
            Map.entry("rtp.loss_pct_c2s", Treatment.KEEP),
            Map.entry("rtp.loss_pct_s2c", Treatment.KEEP),
            Map.entry("rtp.jitter_ms_c2s", Treatment.KEEP),
            Map.entry("rtp.jitter_ms_s2c", Treatment.KEEP),
            Map.entry("rtp.mos_c2s", Treatment.KEEP),
            Map.entry("rtp.mos_s2c", Treatment.KEEP),
            Map.entry("rx.packet_type", Treatment.KEEP),
            Map.entry("slp.function", Treatment.KEEP),
            Map.entry("slp.version", Treatment.KEEP),
            Map.entry("smpp.version", Treatment.KEEP),
            Map.entry("snmp.pdu", Treatment.KEEP),
            Map.entry("snmp.version", Treatment.KEEP),
            Map.entry("someip.sd", Treatment.KEEP),
            Map.entry("someip.service_id", Treatment.KEEP),
            Map.entry("source_engine.query", Treatment.KEEP),
            Map.entry("ssdp.method", Treatment.KEEP),
            Map.entry("stomp.server", Treatment.KEEP),
            Map.entry("stomp.version", Treatment.KEEP),
            Map.entry("stun.class", Treatment.KEEP),
            Map.entry("stun.method", Treatment.KEEP),
            Map.entry("syslog.facility", Treatment.KEEP),
            Map.entry("syslog.severity", Treatment.KEEP),
            Map.entry("tftp.mode", Treatment.KEEP),
            Map.entry("thrift.method", Treatment.KEEP),
            Map.entry("whatsapp.protocol_version", Treatment.KEEP),
            Map.entry("zeromq.mechanism", Treatment.KEEP),
            // server names, software versions and endpoint URLs that may embed an address
            Map.entry("ajp.server_name", Treatment.SCRUB),
            Map.entry("fastcgi.host", Treatment.SCRUB),
            Map.entry("opcua.endpoint_url", Treatment.SCRUB),
            Map.entry("ssdp.server", Treatment.SCRUB),
            Map.entry("ssdp.target", Treatment.SCRUB),
            Map.entry("ssdp.user_agent", Treatment.SCRUB),
            Map.entry("quic.user_agent", Treatment.SCRUB),
            Map.entry("stun.software", Treatment.SCRUB),
            // user names, device names and requested file names: never written
            Map.entry("mqtt.user", Treatment.DROP),
            Map.entry("smpp.user", Treatment.DROP),
            Map.entry("netbios.name", Treatment.DROP),
            Map.entry("tftp.request", Treatment.DROP),
            // chat identities: user part tokenised
            Map.entry("jabber.to", Treatment.USER_URI),
            // remote access, mail, authentication, VPN, databases: protocol facts
            Map.entry("bgp.message", Treatment.KEEP),
            Map.entry("ftp.auth_tls", Treatment.KEEP),
            Map.entry("gtp.message_type", Treatment.KEEP),
            Map.entry("gtp.version", Treatment.KEEP),
            Map.entry("h323.message", Treatment.KEEP),
            Map.entry("ipsec.ike_version", Treatment.KEEP),
            Map.entry("kerberos.error_code", Treatment.KEEP),
            Map.entry("kerberos.reply", Treatment.KEEP),
            Map.entry("kerberos.request", Treatment.KEEP),
            Map.entry("ldap.operation", Treatment.KEEP),
            Map.entry("mysql.server_version", Treatment.KEEP),
            Map.entry("nfs.program", Treatment.KEEP),
            Map.entry("nfs.version", Treatment.KEEP),
            Map.entry("postgresql.tls", Treatment.KEEP),
            Map.entry("radius.code", Treatment.KEEP),
            Map.entry("rdp.requested_protocols", Treatment.KEEP),
            Map.entry("redis.command", Treatment.KEEP),
            Map.entry("rsync.version", Treatment.KEEP),
            Map.entry("rtsp.status", Treatment.KEEP),
            Map.entry("smb.version", Treatment.KEEP),
            Map.entry("socks.version", Treatment.KEEP),
            Map.entry("vnc.client_version", Treatment.KEEP),
            Map.entry("vnc.server_version", Treatment.KEEP),
            // server names a client asked for (like http.host)
            Map.entry("git.host", Treatment.SCRUB),
            Map.entry("rtsp.host", Treatment.SCRUB),
            Map.entry("socks.host", Treatment.SCRUB),
            // authentication and directories: realms are organisations, not people
            Map.entry("kerberos.realm", Treatment.SCRUB),
            Map.entry("kerberos.msg_type", Treatment.KEEP),
            // events only: the service principal names a service (host names scrubbed), the client
            // principal is a user name (never written outside identified mode)
            Map.entry("kerberos.sname", Treatment.SCRUB),
            Map.entry("kerberos.cname", Treatment.DROP),
            Map.entry("kerberos.etypes", Treatment.KEEP),
            // SMB2 and NTLM events: the share path is treated as a URL, user and workstation names as
            // user and host names, the domain as a realm
            Map.entry("smb.command", Treatment.KEEP),
            Map.entry("smb.status", Treatment.KEEP),
            Map.entry("smb.dialect", Treatment.KEEP),
            Map.entry("smb.share_type", Treatment.KEEP),
            Map.entry("smb.tree", Treatment.DROP),
            Map.entry("ntlm.user", Treatment.DROP),
            Map.entry("ntlm.workstation", Treatment.DROP),
            Map.entry("ntlm.domain", Treatment.SCRUB),
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
            // application response times and failures (flows and events)
            Map.entry("http.response_ms", Treatment.KEEP),
            Map.entry("http.version", Treatment.KEEP),
            Map.entry("http.stream_id", Treatment.KEEP),
            Map.entry("http.upgrade", Treatment.KEEP),
            Map.entry("http.request_bytes", Treatment.KEEP),
            Map.entry("http.response_bytes", Treatment.KEEP),
            Map.entry("http.errors_4xx", Treatment.KEEP),
            Map.entry("http.errors_5xx", Treatment.KEEP),
            Map.entry("dns.id", Treatment.KEEP),
            Map.entry("dns.message", Treatment.KEEP),
            Map.entry("dns.response_ms", Treatment.KEEP),
            Map.entry("dns.no_answer", Treatment.KEEP),
            Map.entry("tls.handshake_ms", Treatment.KEEP),
            Map.entry("tls.alert", Treatment.KEEP),
            Map.entry("tls.alert_from", Treatment.KEEP),
            Map.entry("tls.cert_sha1", Treatment.KEEP),
            // events of line protocols: commands and replies are protocol facts; arguments that
            // name people (user names, mailbox addresses, file names) are treated as in flows
            Map.entry("ftp.command", Treatment.KEEP),
            Map.entry("ftp.reply_code", Treatment.KEEP),
            Map.entry("ftp.reply_ms", Treatment.KEEP),
            Map.entry("ftp.user", Treatment.DROP),
            Map.entry("ftp.argument", Treatment.DROP),
            Map.entry("smtp.rcpt_count", Treatment.KEEP),
            Map.entry("smtp.reply_code", Treatment.KEEP),
            Map.entry("smtp.message_bytes", Treatment.KEEP),
            Map.entry("sip.cseq", Treatment.KEEP),
            Map.entry("sip.cseq_method", Treatment.KEEP),
            // policy dry run (docs/POLICY.md): the operator's rule name and its action, not personal
            // (call records carry the same two as fields of their own)
            Map.entry("policy.rule", Treatment.KEEP),
            Map.entry("policy.action", Treatment.KEEP));

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
