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
        // magic strings and fixed headers first; length/structure checks next; the looser
        // first bytes (SOCKS version, DNSCrypt, Telnet IAC) last
        l.add(new org.fathom.protocol.ssh.SshDissector());
        l.add(new org.fathom.protocol.rtsp.RtspDissector());
        l.add(new org.fathom.protocol.rsync.RsyncDissector());
        l.add(new org.fathom.protocol.git.GitDissector());
        l.add(new org.fathom.protocol.vnc.VncDissector());
        l.add(new org.fathom.protocol.bgp.BgpDissector());
        l.add(new org.fathom.protocol.smb.SmbDissector());
        l.add(new org.fathom.protocol.rdp.RdpDissector());
        l.add(new org.fathom.protocol.h323.H323Dissector());
        l.add(new org.fathom.protocol.kerberos.KerberosDissector());
        l.add(new org.fathom.protocol.ldap.LdapDissector());
        l.add(new org.fathom.protocol.tds.TdsDissector());
        l.add(new org.fathom.protocol.postgres.PostgresDissector());
        l.add(new org.fathom.protocol.mysql.MySqlDissector());
        l.add(new org.fathom.protocol.mongodb.MongoDissector());
        l.add(new org.fathom.protocol.redis.RedisDissector());
        l.add(new org.fathom.protocol.ike.IkeDissector());
        l.add(new org.fathom.protocol.gtp.GtpDissector());
        l.add(new org.fathom.protocol.radius.RadiusDissector());
        l.add(new org.fathom.protocol.rpc.NfsDissector());
        l.add(new org.fathom.protocol.openvpn.OpenVpnDissector());
        l.add(new org.fathom.protocol.wireguard.WireGuardDissector());
        l.add(new org.fathom.protocol.ftp.FtpDissector());
        l.add(new org.fathom.protocol.mail.SmtpDissector());
        l.add(new org.fathom.protocol.mail.Pop3Dissector());
        l.add(new org.fathom.protocol.mail.ImapDissector());
        l.add(new org.fathom.protocol.socks.SocksDissector());
        l.add(new org.fathom.protocol.dnscrypt.DnsCryptDissector());
        l.add(new org.fathom.protocol.telnet.TelnetDissector());

        // ---- industrial, messaging, games and the long tail

        return l;
    }
}
