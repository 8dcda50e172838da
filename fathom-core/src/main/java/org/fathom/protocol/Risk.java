package org.fathom.protocol;

/** Flow risks, written as the {@code risks} list of a flow record (names are the record values). */
public enum Risk {
    CLEARTEXT_CREDENTIALS("clear_text_credentials"),
    OBSOLETE_TLS("obsolete_tls_version"),
    SELF_SIGNED_CERT("self_signed_certificate"),
    EXPIRED_CERT("expired_certificate"),
    KNOWN_PROTOCOL_NON_STANDARD_PORT("known_protocol_on_non_standard_port"),
    NUMERIC_HOST("numeric_ip_host"),
    MISSING_SNI("missing_sni"),
    SUSPICIOUS_DGA_DOMAIN("suspicious_dga_domain"),
    MALFORMED_PACKET("malformed_packet"),
    UNIDIRECTIONAL_TRAFFIC("unidirectional_traffic"),
    WEAK_CIPHER("weak_tls_cipher"),
    TCP_STREAM_GAP("tcp_stream_gap"),
    DNS_ERROR("dns_error_response"),
    HTTP_ERROR("http_error_response");

    private final String label;

    Risk(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
