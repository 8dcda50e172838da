package org.fathom.protocol.apptest;

import java.util.List;
import org.fathom.protocol.Dissector;

/** The dissectors of the "remote access, mail, authentication, VPN, databases, file sharing" section. */
public final class AppDissectors {
    private AppDissectors() {}

    public static List<Dissector> all() {
        return List.of(
                new org.fathom.protocol.ssh.SshDissector(),
                new org.fathom.protocol.kerberos.KerberosDissector(),
                new org.fathom.protocol.ike.IkeDissector(),
                new org.fathom.protocol.openvpn.OpenVpnDissector(),
                new org.fathom.protocol.tds.TdsDissector(),
                new org.fathom.protocol.radius.RadiusDissector(),
                new org.fathom.protocol.rdp.RdpDissector(),
                new org.fathom.protocol.h323.H323Dissector(),
                new org.fathom.protocol.rpc.NfsDissector(),
                new org.fathom.protocol.postgres.PostgresDissector(),
                new org.fathom.protocol.wireguard.WireGuardDissector(),
                new org.fathom.protocol.socks.SocksDissector(),
                new org.fathom.protocol.rtsp.RtspDissector(),
                new org.fathom.protocol.ftp.FtpDissector(),
                new org.fathom.protocol.mail.SmtpDissector(),
                new org.fathom.protocol.mail.Pop3Dissector(),
                new org.fathom.protocol.mail.ImapDissector(),
                new org.fathom.protocol.ldap.LdapDissector(),
                new org.fathom.protocol.smb.SmbDissector(),
                new org.fathom.protocol.vnc.VncDissector(),
                new org.fathom.protocol.mysql.MySqlDissector(),
                new org.fathom.protocol.bgp.BgpDissector(),
                new org.fathom.protocol.gtp.GtpDissector(),
                new org.fathom.protocol.redis.RedisDissector(),
                new org.fathom.protocol.mongodb.MongoDissector(),
                new org.fathom.protocol.rsync.RsyncDissector(),
                new org.fathom.protocol.git.GitDissector(),
                new org.fathom.protocol.dnscrypt.DnsCryptDissector(),
                new org.fathom.protocol.telnet.TelnetDissector());
    }
}
