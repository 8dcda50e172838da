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
        l.add(org.fathom.protocol.dns.DnsDissector.mdns());
        l.add(org.fathom.protocol.dns.DnsDissector.llmnr());
        l.add(new org.fathom.protocol.netbios.NetBiosDissector());
        l.add(new org.fathom.protocol.slp.SlpDissector());
        l.add(new org.fathom.protocol.gnutella.GnutellaDissector());
        l.add(new org.fathom.protocol.ssdp.SsdpDissector());
        l.add(new org.fathom.protocol.bittorrent.BitTorrentDissector());
        l.add(new org.fathom.protocol.stun.StunDissector());
        l.add(new org.fathom.protocol.dhcp.DhcpDissector());
        l.add(new org.fathom.protocol.dhcp.Dhcpv6Dissector());
        l.add(new org.fathom.protocol.ntp.NtpDissector());
        l.add(new org.fathom.protocol.snmp.SnmpDissector());
        l.add(new org.fathom.protocol.tftp.TftpDissector());
        l.add(new org.fathom.protocol.coap.CoapDissector());
        l.add(new org.fathom.protocol.syslog.SyslogDissector());
        l.add(new org.fathom.protocol.sip.SipDissector());
        l.add(new org.fathom.protocol.http.HttpDissector());
        l.add(new org.fathom.protocol.http.HttpProxyPorts());
        l.add(org.fathom.protocol.dns.DnsDissector.dns());
        l.add(new org.fathom.protocol.rtp.RtpDissector()); // needs a run of packets: last

        // ---- remote access, mail, authentication, VPN, databases, file sharing
        l.add(new org.fathom.protocol.ssh.SshDissector());

        // ---- industrial, messaging, games and the long tail

        return l;
    }
}
