package org.fathom.protocol.apptest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/**
 * Other protocols' first payloads never make a registered dissector match (every registration, in
 * probe order: the registry, not a hand-kept list).
 */
class CrossProtocolTest {
    /** Samples that are the dissector's own protocol (or a prefix of it). */
    private static final Set<String> OWN = Set.of("SSH/SSH", "RTSP/RTSP", "SMTP/SMTP-greeting", "FTP_CONTROL/FTP-greeting",
            "POP3/POP3-greeting", "IMAP/IMAP-greeting", "HTTP/HTTP", "HTTP/HTTP-response", "TLS/TLS", "IMAPS/TLS", "POPS/TLS",
            "SMTPS/TLS", "DNS/DNS-TCP", "SIP/SIP-TCP", "BitTorrent/BitTorrent", "DNS/DNS", "MDNS/DNS", "LLMNR/DNS", "NTP/NTP",
            "SSDP/SSDP", "STUN/STUN", "QUIC/QUIC", "RTP/RTP", "SIP/SIP");

    @Test
    void noDissectorMatchesAnotherProtocolsFirstPayload() {
        List<String> wrong = new ArrayList<>();
        int no = 0;
        int total = 0;
        for (Dissector proto : AppDissectors.all()) {
            Descriptor d = proto.descriptor();
            for (boolean tcp : new boolean[] {true, false}) {
                if ((d.transports() & (tcp ? Descriptor.TCP : Descriptor.UDP)) == 0) {
                    continue;
                }
                Map<String, byte[]> samples = tcp ? Samples.tcp() : Samples.udp();
                for (var e : samples.entrySet()) {
                    if (OWN.contains(d.name() + "/" + e.getKey())) {
                        continue;
                    }
                    for (boolean fromClient : new boolean[] {true, false}) {
                        Dissector fresh = proto; // stateless: what it learns lives in the flow
                        TestFlow f = new TestFlow(fresh, tcp, tcp ? d.tcpPorts().length > 0 ? d.tcpPorts()[0] : 4000
                                : d.udpPorts().length > 0 ? d.udpPorts()[0] : 4000);
                        f.feed(fromClient, e.getValue());
                        total++;
                        if (f.verdict == Dissector.NO) {
                            no++;
                        }
                        if (f.matched || !f.meta.isEmpty() || !f.risks.isEmpty()) {
                            wrong.add(d.name() + (tcp ? "/tcp" : "/udp") + " took " + e.getKey() + (fromClient ? " from client" : " from server"));
                        }
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
        // the first bytes alone rule out nearly all of them
        assertThat(no).isGreaterThan(total * 9 / 10);
    }
}
