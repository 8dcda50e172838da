package org.fathom.protocol.apptest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The breadth work (issue 15) on the nDPI corpus captures that hold its protocols and call
 * services: every flow nDPI named by DPI with the label under test gets that protocol or
 * application from us, by the whole pipeline. Skipped when the corpus is absent.
 */
class BreadthCorpusTest {
    private static final Pattern LINE = Pattern.compile(
            "^\\t\\d+\\t(\\S+) \\[?([0-9a-fA-F:.]+?)\\]?:(\\d+) <?-> \\[?([0-9a-fA-F:.]+?)\\]?:(\\d+) .*?\\[proto: (?:[A-Z0-9]+:)?[\\d.]+/([^\\]]+)\\].*?\\[Confidence: DPI\\]");

    @ParameterizedTest
    @CsvSource({
        "rtmp.pcap, RTMP", "tinc.pcap, TINC", "z3950.pcapng, Z3950", "drda_db2.pcap, DRDA", "whois.pcapng, Whois-DAS",
        "whatsapp_voice_and_message.pcap, WhatsAppCall", "stun_msteams_unidir.pcapng, Skype_TeamsCall", "teams.pcap, Skype_TeamsCall",
        "webdav.pcap, WebDAV", "avast_securedns.pcapng, AVASTSecureDNS",
        "roblox.pcapng, RakNet", "agora-sd-rtn.pcap, SD-RTN", "flute.pcapng, FLUTE", "steam.pcapng, SteamDatagramRelay",
        "bfcp.pcapng, BFCP", "ndpi_match_string_subprotocol__error.pcapng, SOAP",
        "websocket.pcap, WebSocket", "ripe_atlas.pcap, RipeAtlas",
        "zug.pcap, ZUG", "crynet.pcap, CryNetwork", "lol_wild_rift_udp.pcap, LoLWildRift", "hots.pcapng, Heroes_of_the_Storm",
        "imo.pcap, IMO",
        "tls_client_certificate_with_missing_server_one.pcapng, AnyDesk", "forticlient.pcap, FortiClient", "tor.pcap, Tor",
        "hpvirtgrp.pcap, HP_VIRTGRP",
    })
    void agreesWithNdpi(String capture, String label) throws Exception {
        Path pcap = CorpusAgreementTest.CORPUS.resolve("pcap").resolve(capture);
        Path out = CorpusAgreementTest.CORPUS.resolve("result").resolve(capture + ".out");
        Assumptions.assumeTrue(Files.isRegularFile(pcap) && Files.isRegularFile(out), "nDPI corpus not present");
        List<FlowRecord> ours = Golden.flows(pcap);
        List<String> disagreements = new ArrayList<>();
        int checked = 0;
        for (String line : Files.readAllLines(out, StandardCharsets.ISO_8859_1)) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String name = m.group(6);
            String master = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            String app = name.contains(".") ? name.substring(name.indexOf('.') + 1) : name;
            if (!label.equals(master) && !label.equals(app)) {
                continue;
            }
            String a = m.group(2) + ":" + m.group(3);
            String b = m.group(4) + ":" + m.group(5);
            FlowRecord r = ours.stream().filter(f -> f.l4().equals(m.group(1))
                    && (endpoint(f, true).equals(a) && endpoint(f, false).equals(b) || endpoint(f, true).equals(b) && endpoint(f, false).equals(a)))
                    .findFirst().orElse(null);
            if (r == null) {
                continue; // endpoint spelling (IPv6) differs: the agreement tool covers those
            }
            checked++;
            if (!r.protocol().equals(label) && !r.application().equals(label)) {
                disagreements.add(name + " vs " + r.protocol() + "/" + r.application() + " " + a + " " + b);
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(checked).as("flows labelled " + label).isPositive();
    }

    private static String endpoint(FlowRecord f, boolean src) {
        return src ? f.srcIp() + ":" + f.srcPort() : f.dstIp() + ":" + f.dstPort();
    }
}
