package org.fathom.protocol.tls;

import java.util.List;
import org.fathom.protocol.Service;

/**
 * Services a TLS handshake names by what it carries in clear besides a server name: an ALPN
 * protocol id a vendor chose, a vendor's own certificate, Tor's self-made link certificates. A small
 * rule set, each rule with its public source in docs/CLASSIFICATION.md ("Services named by the
 * TLS handshake itself"); the service catalog still names flows by their SNI.
 *
 * <p>Every rule asks for the vendor's naming in the certificate, never for one field alone that
 * anyone's certificate may carry: FortiGate needs O=Fortinet and OU=FortiGate in the <em>subject</em>
 * and a Fortinet issuer (a FortiGate doing SSL deep inspection re-signs other sites' certificates
 * with a Fortinet CA: those keep the site's subject and are not taken); Sonos needs the Sonos
 * organisation in subject and issuer; AnyDesk its self-signed "AnyDesk Client"; Tor the
 * combination of SNI, subject and issuer patterns.
 *
 * <p>Runs once per handshake message that carries an ALPN list or a certificate: nothing here is
 * on the per-packet path of other flows.
 */
public final class TlsServices {
    private TlsServices() {}

    public static final Service ANYDESK = new Service("AnyDesk", "RemoteAccess");
    public static final Service FORTICLIENT = new Service("FortiClient", "VPN");
    public static final Service SONOS = new Service("Sonos", "Music");
    public static final Service TOR = new Service("Tor", "VPN");

    /** The names these rules give, for {@code fathom protocols}. */
    public static final List<Service> ALL = List.of(ANYDESK, FORTICLIENT, SONOS, TOR);

    /** AnyDesk's client offers {@code anydesk/<version>/<os>} as its ALPN protocol id. */
    public static Service fromAlpn(List<String> alpn) {
        if (alpn.isEmpty()) {
            return null;
        }
        String first = alpn.get(0);
        return first.length() > 8 && first.regionMatches(true, 0, "anydesk/", 0, 8) ? ANYDESK : null;
    }

    /**
     * The vendor a certificate names (server's or client's), else null. {@code sni} is the
     * ClientHello's server name (null when absent), used by the Tor rule only.
     */
    public static Service fromCertificate(Certificate c, String sni) {
        if (c == null) {
            return null;
        }
        if ("AnyDesk Client".equalsIgnoreCase(c.subjectCn) && "AnyDesk Client".equalsIgnoreCase(c.issuerCn)) {
            return ANYDESK;
        }
        if ("Fortinet".equalsIgnoreCase(c.subjectOrg) && "FortiGate".equalsIgnoreCase(c.subjectUnit)
                && "Fortinet".equalsIgnoreCase(c.issuerOrg)) {
            return FORTICLIENT;
        }
        if (sonos(c.subjectOrg) && sonos(c.issuerOrg)) {
            return SONOS;
        }
        if (torLink(c, sni)) {
            return TOR;
        }
        return null;
    }

    private static boolean sonos(String org) {
        return org != null && (org.equalsIgnoreCase("Sonos, Inc") || org.equalsIgnoreCase("Sonos, Inc."));
    }

    /**
     * Tor's link TLS (tor's tortls.c and crypto_rand.c): the relay's link certificate has a subject
     * of only a CN {@code www.<8-20 base32>.net}, signed by its identity certificate named
     * {@code www.<8-20 base32>.com} (.net before the v3 link protocol), and no subjectAltName; the
     * client sends {@code www.<4-25 base32>.com} as SNI. All of it must hold.
     */
    static boolean torLink(Certificate c, String sni) {
        if (c.subjectCn == null || c.issuerCn == null || !c.dnsNames.isEmpty()
                || c.subjectCn.equals(c.issuerCn)
                || c.subject == null || c.issuer == null
                || c.subject.length() != c.subjectCn.length() + 3 || !c.subject.startsWith("CN=")
                || c.issuer.length() != c.issuerCn.length() + 3 || !c.issuer.startsWith("CN=")) {
            return false;
        }
        if (!randomHost(c.subjectCn, 8, 20, ".net")
                || !(randomHost(c.issuerCn, 8, 20, ".com") || randomHost(c.issuerCn, 8, 20, ".net"))) {
            return false;
        }
        return sni == null || randomHost(sni, 4, 25, ".com");
    }

    /** {@code www.} + min..max characters of base32 ({@code a-z2-7}) + suffix. */
    static boolean randomHost(String h, int min, int max, String suffix) {
        int n = h.length() - 4 - suffix.length();
        if (n < min || n > max || !h.startsWith("www.") || !h.endsWith(suffix)) {
            return false;
        }
        for (int i = 4; i < 4 + n; i++) {
            char ch = h.charAt(i);
            if (!((ch >= 'a' && ch <= 'z') || (ch >= '2' && ch <= '7'))) {
                return false;
            }
        }
        return true;
    }
}
