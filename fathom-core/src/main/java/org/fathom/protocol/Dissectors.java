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
        for (org.fathom.protocol.tls.TlsDissector d : org.fathom.protocol.tls.TlsDissector.implicitServices()) {
            l.add(d);
        }
        l.add(new org.fathom.protocol.tls.TlsDissector());
        l.add(new org.fathom.protocol.quic.QuicDissector());
        l.add(new org.fathom.protocol.tls.DtlsDissector());

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
        l.add(new org.fathom.protocol.middleware.ProxyProtocolDissector()); // precedes the proxied bytes
        l.add(new org.fathom.protocol.http.HttpDissector());
        l.add(new org.fathom.protocol.http.HttpProxyPorts());
        l.add(org.fathom.protocol.dns.DnsDissector.dns());
        l.add(new org.fathom.protocol.rtp.RtpDissector()); // needs a run of packets: last

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
        // strong magic numbers and exact layouts first
        l.add(new org.fathom.protocol.middleware.GiopDissector());
        l.add(new org.fathom.protocol.middleware.RtpsDissector());
        l.add(new org.fathom.protocol.middleware.OpenWireDissector());
        l.add(new org.fathom.protocol.monitoring.ZabbixDissector());
        l.add(new org.fathom.protocol.health.Hl7Dissector());
        l.add(new org.fathom.protocol.database.DrdaDissector());
        l.add(new org.fathom.protocol.database.OracleTnsDissector());
        l.add(new org.fathom.protocol.tunnel.TincDissector());
        l.add(new org.fathom.protocol.lookup.Z3950Dissector());
        l.add(new org.fathom.protocol.chat.WhatsAppDissector());
        l.add(new org.fathom.protocol.chat.DiscordDissector());
        l.add(new org.fathom.protocol.gaming.TeamSpeakDissector());
        l.add(new org.fathom.protocol.gaming.RakNetDissector());
        l.add(new org.fathom.protocol.gaming.SourceEngineDissector());
        l.add(new org.fathom.protocol.gaming.SteamDissector());
        l.add(new org.fathom.protocol.steamrelay.SteamDatagramRelayDissector()); // issue 15: relay ping, id 1 + "sdping"
        l.add(new org.fathom.protocol.agora.SdRtnDissector()); // issue 15: edge host name under agora.io
        l.add(new org.fathom.protocol.flute.FluteDissector()); // issue 15: whole LCT header and its FDT extension
        l.add(org.fathom.protocol.peer.LanDiscoveryDissector.dropbox());
        l.add(org.fathom.protocol.peer.LanDiscoveryDissector.spotify());
        l.add(org.fathom.protocol.peer.LanDiscoveryDissector.syncthing());
        l.add(new org.fathom.protocol.messaging.GearmanDissector());
        l.add(org.fathom.protocol.peer.CryptoCurrencyDissector.monero());
        l.add(org.fathom.protocol.peer.CryptoCurrencyDissector.bitcoin());
        l.add(new org.fathom.protocol.netops.PptpDissector());
        l.add(new org.fathom.protocol.industrial.Dnp3Dissector());
        l.add(new org.fathom.protocol.industrial.S7Dissector());
        l.add(new org.fathom.protocol.industrial.OpcUaDissector());
        l.add(new org.fathom.protocol.industrial.AdsDissector());
        l.add(new org.fathom.protocol.industrial.HislipDissector());
        l.add(new org.fathom.protocol.netops.BjnpDissector());
        l.add(new org.fathom.protocol.netops.DlepDissector());
        l.add(new org.fathom.protocol.netops.TeredoDissector());
        l.add(new org.fathom.protocol.netops.NetFlowDissector());
        l.add(new org.fathom.protocol.netops.SflowDissector());
        l.add(new org.fathom.protocol.netops.CollectdDissector());
        l.add(new org.fathom.protocol.netops.WsdDissector());
        l.add(new org.fathom.protocol.industrial.CanEthDissector());
        l.add(new org.fathom.protocol.netops.CapwapDissector());
        l.add(new org.fathom.protocol.netops.DceRpcDissector());
        l.add(new org.fathom.protocol.messaging.JrmiDissector());
        l.add(new org.fathom.protocol.messaging.ZmtpDissector());
        l.add(org.fathom.protocol.industrial.FieldbusDissector.c1222());
        l.add(org.fathom.protocol.industrial.FieldbusDissector.cipIo());
        l.add(org.fathom.protocol.industrial.FieldbusDissector.egd());
        l.add(org.fathom.protocol.industrial.FieldbusDissector.etherSBus());
        l.add(org.fathom.protocol.industrial.FieldbusDissector.cnpIp());
        l.add(org.fathom.protocol.industrial.FieldbusDissector.atg());
        // text and binary session openings
        l.add(new org.fathom.protocol.chat.XmppDissector());
        l.add(new org.fathom.protocol.messaging.AmqpDissector());
        l.add(new org.fathom.protocol.messaging.MqttDissector());
        l.add(new org.fathom.protocol.messaging.StompDissector());
        l.add(new org.fathom.protocol.messaging.NatsDissector());
        l.add(new org.fathom.protocol.messaging.FixDissector());
        l.add(new org.fathom.protocol.messaging.AjpDissector());
        l.add(new org.fathom.protocol.messaging.FastCgiDissector());
        l.add(new org.fathom.protocol.messaging.ThriftDissector());
        l.add(new org.fathom.protocol.messaging.SmppDissector());
        l.add(new org.fathom.protocol.messaging.DiameterDissector());
        l.add(new org.fathom.protocol.messaging.CassandraDissector());
        l.add(new org.fathom.protocol.messaging.ElasticsearchDissector());
        l.add(org.fathom.protocol.netops.BannerDissector.munin());
        l.add(org.fathom.protocol.netops.BannerDissector.checkmk());
        l.add(org.fathom.protocol.netops.BannerDissector.ceph());
        l.add(new org.fathom.protocol.gaming.WowDissector());
        l.add(new org.fathom.protocol.peer.EdonkeyDissector());
        l.add(org.fathom.protocol.peer.CryptoCurrencyDissector.mining());
        l.add(new org.fathom.protocol.telephony.MegacoDissector());
        l.add(new org.fathom.protocol.telephony.MgcpDissector());
        l.add(new org.fathom.protocol.chat.IrcDissector());
        // short headers: length consistency and, where weak, the well-known port
        l.add(new org.fathom.protocol.industrial.BacnetDissector());
        l.add(new org.fathom.protocol.industrial.KnxIpDissector());
        l.add(new org.fathom.protocol.industrial.HartIpDissector());
        l.add(new org.fathom.protocol.industrial.EtherNetIpDissector());
        l.add(new org.fathom.protocol.industrial.DlmsDissector());
        l.add(new org.fathom.protocol.industrial.Iec104Dissector());
        l.add(new org.fathom.protocol.industrial.ModbusDissector());
        l.add(new org.fathom.protocol.messaging.MemcachedDissector());
        l.add(new org.fathom.protocol.netops.OpenFlowDissector());
        l.add(new org.fathom.protocol.netops.SomeIpDissector());
        l.add(new org.fathom.protocol.netops.PtpDissector());
        l.add(new org.fathom.protocol.netops.BfdDissector());
        l.add(new org.fathom.protocol.netops.HsrpDissector());
        l.add(new org.fathom.protocol.netops.NatPmpDissector());
        l.add(new org.fathom.protocol.netops.RxDissector());
        l.add(new org.fathom.protocol.telephony.SkinnyDissector());
        l.add(new org.fathom.protocol.netops.AfpDissector());
        l.add(new org.fathom.protocol.netops.RshDissector());
        l.add(new org.fathom.protocol.netops.MpegTsDissector());
        l.add(new org.fathom.protocol.netops.BfcpDissector());
        l.add(new org.fathom.protocol.netops.KcpDissector());
        // handshakes that decide only when the other side answers, and port-gated plain text
        l.add(new org.fathom.protocol.streaming.RtmpDissector());
        l.add(new org.fathom.protocol.mumble.MumbleDissector()); // issue 15: ping named by the server's echo
        l.add(new org.fathom.protocol.lookup.WhoisDissector());
        l.add(new org.fathom.protocol.news.NntpDissector());
        l.add(new org.fathom.protocol.monitoring.KismetDissector());
        l.add(new org.fathom.protocol.spotify.SpotifyApDissector()); // issue 15 (domains): Spotify AP handshake

        return l;
    }
}
