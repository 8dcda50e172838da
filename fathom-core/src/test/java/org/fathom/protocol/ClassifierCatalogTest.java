package org.fathom.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.IpProtocol;
import org.fathom.flow.FlowConfig;
import org.fathom.flow.FlowTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How Classifier#finish names the application from the host, DNS-learned names and addresses. */
class ClassifierCatalogTest {
    private static final long CLIENT = ipv4(192, 168, 1, 10);

    /**
     * A toy name service on UDP 53: the client sends "Q name", the server answers "A name a.b.c.d"
     * (the server's answer teaches the classifier that the address belongs to the name).
     */
    static final class ToyDns implements Dissector, PassiveObserver {
        @Override
        public Descriptor descriptor() {
            return Descriptor.udp("DNS", "Network", 53);
        }

        @Override
        public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
            String[] f = new String(b, off, len, StandardCharsets.US_ASCII).split(" ");
            if (fromClient && f.length == 2 && f[0].equals("Q")) {
                ctx.setHost(f[1], false);
                return Dissector.MATCH;
            }
            if (!fromClient && f.length == 3 && f[0].equals("A")) {
                return Dissector.DONE;
            }
            return Dissector.NO;
        }

        @Override
        public boolean wants(DecodedPacket d) {
            return d.l4 == IpProtocol.UDP && d.srcPort == 53;
        }

        /** Answers are learnt from every packet, as the real DNS observer does. */
        @Override
        public void observe(DecodedPacket d, AddressBook book) {
            if (!wants(d)) {
                return;
            }
            String[] f = new String(d.buf, d.payloadOffset, d.payloadLength, StandardCharsets.US_ASCII).split(" ");
            if (f.length == 3 && f[0].equals("A")) {
                String[] q = f[2].split("\\.");
                book.learn(0, ipv4(Integer.parseInt(q[0]), Integer.parseInt(q[1]), Integer.parseInt(q[2]), Integer.parseInt(q[3])), f[1]);
            }
        }
    }

    /** A toy secure transport on TCP 443: "HELLO name" carries the server name, "HELLO" none. */
    static final class ToyTls implements Dissector {
        @Override
        public Descriptor descriptor() {
            return Descriptor.tcp("TLS", "Web", 443);
        }

        @Override
        public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
            String s = new String(b, off, len, StandardCharsets.US_ASCII);
            if (!s.startsWith("HELLO")) {
                return Dissector.NO;
            }
            if (s.length() > 6) {
                ctx.setHost(s.substring(6), false);
            }
            return Dissector.DONE;
        }
    }

    /** A toy STUN on UDP 3478: "STUN" or "STUN realm" (the realm handed over as a host, as the real one does). */
    static final class ToyStun implements Dissector {
        @Override
        public Descriptor descriptor() {
            return Descriptor.udp("STUN", "Network", 3478);
        }

        @Override
        public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
            String s = new String(b, off, len, StandardCharsets.US_ASCII);
            if (!s.startsWith("STUN")) {
                return Dissector.NO;
            }
            if (s.length() > 5) {
                ctx.setHost(s.substring(5), false);
            }
            return Dissector.DONE;
        }
    }

    /** A toy HTTP on TCP 80: "METHOD url [content-type]" (the metadata keys of the real one). */
    static final class ToyHttp implements Dissector {
        @Override
        public Descriptor descriptor() {
            return Descriptor.tcp("HTTP", "Web", 80);
        }

        @Override
        public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
            String[] f = new String(b, off, len, StandardCharsets.US_ASCII).split(" ");
            if (f.length < 2 || !f[1].startsWith("/") || !f[0].chars().allMatch(c -> c >= 'A' && c <= 'Z' || c == '_')) {
                return Dissector.NO;
            }
            ctx.put("http.method", f[0]);
            ctx.put("http.url", f[1]);
            if (f.length > 2) {
                ctx.put("http.content_type", f[2]);
            }
            return Dissector.DONE;
        }
    }

    private final List<Classification> results = new ArrayList<>();
    private Classifier classifier;
    private FlowTable table;
    private long now = 1_700_000_000_000_000_000L;

    @BeforeEach
    void setUp() throws IOException {
        ServiceCatalog services = new ServiceCatalog();
        services.load(new BufferedReader(new StringReader("""
                netflix.com     NetFlix   Video
                nflxvideo.net   NetFlix   Video
                google.com      Google    Web
                telegram.org    Telegram  Chat
                """)), "test");
        AddressCatalog addresses = new AddressCatalog();
        addresses.add("157.240.0.0/16", new Service("Facebook", "SocialNetwork"));
        addresses.add("45.57.0.0/17", new Service("NetFlix", "Video"));
        addresses.add("1.201.0.0/16", new Service("KakaoTalk_Voice", "VoIP"));
        classifier = new Classifier(new ProtocolRegistry(List.of(new ToyDns(), new ToyTls(), new ToyStun(), new ToyHttp())), services, addresses);
        table = new FlowTable(FlowConfig.DEFAULTS, (t, f, reason) -> results.add(classifier.finish(t, f)));
    }

    static long ipv4(int a, int b, int c, int d) {
        return 0x0000_FFFF_0000_0000L | ((long) a << 24) | ((long) b << 16) | ((long) c << 8) | d;
    }

    private void packet(int l4, long src, int sport, long dst, int dport, int flags, String payload) {
        DecodedPacket d = new DecodedPacket();
        d.ipVersion = 4;
        d.srcLo = src;
        d.dstLo = dst;
        d.l4 = l4;
        d.srcPort = sport;
        d.dstPort = dport;
        d.tcpFlags = flags;
        d.tcpSeq = 1000;
        d.frames = 1;
        d.ttl = 64;
        byte[] p = payload.getBytes(StandardCharsets.US_ASCII);
        d.buf = p;
        d.payloadOffset = 0;
        d.payloadLength = p.length;
        d.wireBytes = 54 + p.length;
        d.timestampNanos = now += 1_000_000;
        classifier.observe(d);
        int f = table.update(d);
        classifier.onPacket(table, f, d);
    }

    /** A client-to-server exchange: one request and one answer. */
    private void udp(long server, int port, String request, String answer) {
        packet(IpProtocol.UDP, CLIENT, 40000, server, port, 0, request);
        packet(IpProtocol.UDP, server, port, CLIENT, 40000, 0, answer);
    }

    private void tcp(long server, int port, String request) {
        packet(IpProtocol.TCP, CLIENT, 50000, server, port, DecodedPacket.TCP_SYN, "");
        packet(IpProtocol.TCP, server, port, CLIENT, 50000, DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK, "");
        packet(IpProtocol.TCP, CLIENT, 50000, server, port, DecodedPacket.TCP_ACK, "");
        // payload right after the SYN: sequence number of the SYN + 1
        DecodedPacket p = new DecodedPacket();
        p.ipVersion = 4;
        p.srcLo = CLIENT;
        p.dstLo = server;
        p.l4 = IpProtocol.TCP;
        p.srcPort = 50000;
        p.dstPort = port;
        p.tcpFlags = DecodedPacket.TCP_ACK | DecodedPacket.TCP_PSH;
        p.tcpSeq = 1001;
        p.frames = 1;
        byte[] b = request.getBytes(StandardCharsets.US_ASCII);
        p.buf = b;
        p.payloadLength = b.length;
        p.wireBytes = 54 + b.length;
        p.timestampNanos = now += 1_000_000;
        int f = table.update(p);
        classifier.onPacket(table, f, p);
        packet(IpProtocol.TCP, server, port, CLIENT, 50000, DecodedPacket.TCP_ACK, "");
    }

    private Classification only() {
        table.flush();
        assertThat(results).hasSize(1);
        return results.remove(0);
    }

    @Test
    void hostNamesTheApplication() {
        tcp(ipv4(198, 51, 100, 7), 443, "HELLO www.netflix.com");
        Classification c = only();
        assertThat(c.protocol()).isEqualTo("TLS");
        assertThat(c.application()).isEqualTo("NetFlix");
        assertThat(c.category()).isEqualTo("Video");
        assertThat(c.confidence()).isEqualTo("DPI");
        assertThat(c.risks()).doesNotContain(Risk.SUSPICIOUS_DGA_DOMAIN.label());
    }

    @Test
    void dnsFlowsKeepTheProtocolsCategory() {
        udp(ipv4(192, 168, 1, 1), 53, "Q www.google.com", "A www.google.com 142.250.1.1");
        Classification c = only();
        assertThat(c.protocol()).isEqualTo("DNS");
        assertThat(c.application()).isEqualTo("Google");
        assertThat(c.category()).isEqualTo("Network"); // as nDPI: DNS.Google is Network
    }

    @Test
    void anAddressLearntFromDnsNamesALaterFlow() {
        long server = ipv4(203, 0, 113, 80);
        udp(ipv4(192, 168, 1, 1), 53, "Q ipv4-c001.oca.nflxvideo.net", "A ipv4-c001.oca.nflxvideo.net 203.0.113.80");
        // a later flow to that address in a protocol nobody recognises
        udp(server, 19999, "\u0001\u0002binary", "\u0003\u0004binary");
        table.flush();
        assertThat(results).hasSize(2);
        Classification later = results.stream().filter(c -> !c.protocol().equals("DNS")).findFirst().orElseThrow();
        assertThat(later.protocol()).isEqualTo("Unknown");
        assertThat(later.application()).isEqualTo("NetFlix");
        assertThat(later.category()).isEqualTo("Video");
        assertThat(later.confidence()).isEqualTo("cache");
    }

    @Test
    void aDpiFlowWithoutHostGetsTheLearntName() {
        udp(ipv4(192, 168, 1, 1), 53, "Q www.google.com", "A www.google.com 198.51.100.9");
        tcp(ipv4(198, 51, 100, 9), 443, "HELLO");
        table.flush();
        Classification tls = results.stream().filter(c -> c.protocol().equals("TLS")).findFirst().orElseThrow();
        assertThat(tls.protocol()).isEqualTo("TLS");
        assertThat(tls.application()).isEqualTo("Google");
        assertThat(tls.confidence()).isEqualTo("DPI");
    }

    @Test
    void aWellKnownAddressNamesAnUnknownFlow() {
        udp(ipv4(157, 240, 20, 35), 3480, "\u0001\u0001xx", "\u0001\u0002yy");
        Classification c = only();
        assertThat(c.protocol()).isEqualTo("Unknown");
        assertThat(c.application()).isEqualTo("Facebook");
        assertThat(c.category()).isEqualTo("SocialNetwork");
        assertThat(c.confidence()).isEqualTo("ip");
    }

    @Test
    void theClientAddressCountsWhenTheServerIsUnknown() {
        // first packet seen came from the well-known side (e.g. capture started mid-flow)
        packet(IpProtocol.UDP, ipv4(45, 57, 1, 1), 40000, CLIENT, 40001, 0, "\u0007zz");
        Classification c = only();
        assertThat(c.application()).isEqualTo("NetFlix");
        assertThat(c.confidence()).isEqualTo("ip");
    }

    @Test
    void anAddressNeverRenamesAProtocolFoundByInspection() {
        tcp(ipv4(157, 240, 20, 35), 443, "HELLO");
        Classification c = only();
        assertThat(c.protocol()).isEqualTo("TLS");
        assertThat(c.application()).isEqualTo("TLS");
        assertThat(c.category()).isEqualTo("Web");
        assertThat(c.confidence()).isEqualTo("DPI");
    }

    @Test
    void aPortGuessKeepsItsConfidenceButTakesTheAddressService() {
        // TCP 443 without payload: TLS by port, address says Facebook
        packet(IpProtocol.TCP, CLIENT, 50001, ipv4(157, 240, 1, 1), 443, DecodedPacket.TCP_SYN, "");
        Classification c = only();
        assertThat(c.protocol()).isEqualTo("TLS");
        assertThat(c.application()).isEqualTo("Facebook");
        assertThat(c.confidence()).isEqualTo("port");
    }

    @Test
    void randomLookingHostRaisesTheDgaRisk() {
        udp(ipv4(192, 168, 1, 1), 53, "Q kbrjzmoxvdwhxq.ru", "A kbrjzmoxvdwhxq.ru 198.51.100.66");
        Classification c = only();
        assertThat(c.application()).isEqualTo("DNS");
        assertThat(c.risks()).contains(Risk.SUSPICIOUS_DGA_DOMAIN.label());
    }

    @Test
    void bundledCatalogsByDefault() {
        Classifier def = new Classifier(new ProtocolRegistry(List.of(new ToyDns())), ServiceCatalog.bundled());
        FlowTable t = new FlowTable(FlowConfig.DEFAULTS, (tt, f, r) -> results.add(def.finish(tt, f)));
        table = t;
        classifier = def;
        udp(ipv4(149, 154, 167, 51), 5222, "\u0001abc", "\u0002def");
        Classification c = only();
        assertThat(c.application()).isEqualTo("Telegram");
        assertThat(c.confidence()).isEqualTo("ip");
    }

    @Test
    void aPortGuessIsDroppedWhenThePortsProtocolRefusedTheStreamsStart() {
        // the whole handshake seen, and the first bytes are not TLS: the flow is not called TLS
        tcp(ipv4(198, 51, 100, 9), 443, "\u0001\u0002 vendor binary");
        Classification c = only();
        assertThat(c.protocol()).isEqualTo("Unknown");
        assertThat(c.confidence()).isEqualTo("unknown");
        // joined mid-stream (no SYN): the refusal says nothing, the port stays the guess
        packet(IpProtocol.TCP, CLIENT, 50001, ipv4(198, 51, 100, 9), 443, DecodedPacket.TCP_ACK, "\u0017\u0003\u0003 mid-stream");
        Classification m = only();
        assertThat(m.protocol()).isEqualTo("TLS");
        assertThat(m.confidence()).isEqualTo("port");
    }

    @Test
    void theProtocolsKnownOnlyByPortAreTheLastResort() {
        udp(ipv4(198, 51, 100, 10), 4789, "\u0008\u0000\u0000\u0000", "\u0008\u0000\u0000\u0000");
        Classification c = only();
        assertThat(c.protocol()).isEqualTo("VXLAN");
        assertThat(c.confidence()).isEqualTo("port");
        assertThat(PortCatalog.bundled().lookup(false, 4789).name()).isEqualTo("VXLAN");
    }

    @Test
    void aProtocolKnownOnlyByItsPortIsNotRenamedByTheServersAddress() {
        // VXLAN by its registered port (ports.rules) to an address in Facebook's block: a specific
        // protocol, not a carrier of services, keeps its own name as the application
        udp(ipv4(157, 240, 1, 1), 4789, "\u0008\u0000\u0000\u0000", "\u0008\u0000\u0000\u0000");
        Classification c = only();
        assertThat(c.protocol()).isEqualTo("VXLAN");
        assertThat(c.application()).isEqualTo("VXLAN");
        assertThat(c.confidence()).isEqualTo("port");
    }

    @Test
    void callsOnStunAreNamedByRealmOrByTheRelaysAddress() {
        udp(ipv4(198, 51, 100, 11), 3478, "STUN telegram.org", "STUN");
        Classification c = only();
        assertThat(c.protocol()).isEqualTo("STUN");
        assertThat(c.application()).isEqualTo("TelegramVoip");
        assertThat(c.category()).isEqualTo("VoIP");
        // a relay in Facebook's block: the address names the service even though DPI found STUN
        udp(ipv4(157, 240, 1, 1), 3478, "STUN", "STUN");
        Classification f = only();
        assertThat(f.application()).isEqualTo("FacebookVoip");
        assertThat(f.confidence()).isEqualTo("DPI");
        // only messaging services have call variants (an address never renames TLS: see anAddressNeverRenamesAProtocolFoundByInspection)
        assertThat(Classifier.callVariant("NetFlix")).isNull();
    }

    @Test
    void aCallRelayBlockNamesOnlyTheCallsMedia() {
        // a hosting provider's block where a call service runs its relays, listed under the call's name
        udp(ipv4(1, 201, 1, 174), 23047, "STUN", "STUN");
        Classification media = only();
        assertThat(media.protocol()).isEqualTo("STUN");
        assertThat(media.application()).isEqualTo("KakaoTalk_Voice");
        assertThat(media.category()).isEqualTo("VoIP");
        assertThat(media.confidence()).isEqualTo("DPI");
        // other tenants of the block: neither an unknown flow nor one DPI named is called a call
        udp(ipv4(1, 201, 1, 174), 40001, "\u0001\u0002\u0003", "\u0004");
        Classification unknown = only();
        assertThat(unknown.application()).isEqualTo("Unknown");
        assertThat(unknown.confidence()).isEqualTo("unknown");
        tcp(ipv4(1, 201, 1, 174), 443, "HELLO");
        assertThat(only().application()).isEqualTo("TLS");
    }

    @Test
    void httpServicesComeFromTheRequestItself() {
        tcp(ipv4(198, 51, 100, 12), 80, "PROPFIND /dav/");
        assertThat(only().application()).isEqualTo("WebDAV");
        tcp(ipv4(198, 51, 100, 12), 80, "GET /live/index.m3u8?x=1 application/vnd.apple.mpegurl");
        assertThat(only().application()).isEqualTo("HLS");
        // what was served decides, not the URL asked for (a playlist URL answered with an error page)
        tcp(ipv4(198, 51, 100, 12), 80, "GET /live/index.m3u8?x=1 text/html");
        assertThat(only().application()).isEqualTo("HTTP");
        tcp(ipv4(198, 51, 100, 12), 80, "POST /printers/p1 application/ipp");
        Classification ipp = only();
        assertThat(ipp.application()).isEqualTo("IPP");
        assertThat(ipp.category()).isEqualTo("System");
        tcp(ipv4(198, 51, 100, 12), 80, "GET /index.html text/html");
        assertThat(only().application()).isEqualTo("HTTP");
        // DASH segments and manifests by URL, unless something else was served
        tcp(ipv4(198, 51, 100, 12), 80, "GET /dash/V2400/206598098.m4s video/iso.segment");
        assertThat(only().application()).isEqualTo("MpegDash");
        tcp(ipv4(198, 51, 100, 12), 80, "GET /dash/manifest.mpd application/dash+xml");
        assertThat(only().application()).isEqualTo("MpegDash");
        tcp(ipv4(198, 51, 100, 12), 80, "GET /dash/V2400/206598098.m4s text/html");
        assertThat(only().application()).isEqualTo("HTTP");
        tcp(ipv4(198, 51, 100, 12), 80, "GET /video/clip.mp4 video/mp4");
        assertThat(only().application()).isEqualTo("HTTP");
    }
}
