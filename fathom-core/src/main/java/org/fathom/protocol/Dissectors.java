package org.fathom.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The list of shipped dissectors, in probe order: specific, cheap signatures first; loose ones
 * (that might match many things) last. Each protocol package contributes through here.
 */
final class Dissectors {
    private Dissectors() {}

    static List<Dissector> all() {
        List<Dissector> l = new ArrayList<>();

        // ---- secure transports: TLS, DTLS, QUIC

        // ---- web, naming, discovery, VoIP, peer-to-peer

        // ---- remote access, mail, authentication, VPN, databases, file sharing
        l.add(new org.fathom.protocol.ssh.SshDissector());
        l.add(new org.fathom.protocol.kerberos.KerberosDissector());
        l.add(new org.fathom.protocol.ike.IkeDissector());
        l.add(new org.fathom.protocol.openvpn.OpenVpnDissector());
        l.add(new org.fathom.protocol.tds.TdsDissector());
        l.add(new org.fathom.protocol.radius.RadiusDissector());

        // ---- industrial, messaging, games and the long tail

        return l;
    }
}
