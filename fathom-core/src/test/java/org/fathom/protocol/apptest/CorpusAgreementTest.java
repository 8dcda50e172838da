package org.fathom.protocol.apptest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On captures of the nDPI corpus (when present beside the project), every flow that nDPI
 * classified by DPI as one of this section's protocols gets the same protocol or application from
 * us. Skipped when the corpus is absent.
 */
class CorpusAgreementTest {
    /** The corpus beside the project (from the module folder), or beside a worktree of it one level deeper. */
    static final Path CORPUS = Files.isDirectory(Path.of("../../shared/corpus/ndpi")) ? Path.of("../../shared/corpus/ndpi")
            : Path.of("../../../shared/corpus/ndpi");
    static final Set<String> MINE = Set.of("Radius", "IPSec", "Kerberos", "MsSQL-TDS", "OpenVPN", "RTSP", "NFS", "SOCKS",
            "PostgreSQL", "POP3", "H323", "RDP", "WireGuard", "SSH", "LDAP", "MySQL", "SMTP", "SMTPS", "POPS", "IMAP", "IMAPS",
            "FTP_CONTROL", "FTPS", "Git", "GTP", "RSYNC", "DNScrypt", "SMBv23", "SMBv1", "VNC", "Telnet", "BGP");
    private static final Pattern LINE = Pattern.compile(
            "^\\t\\d+\\t(\\S+) \\[?([0-9a-fA-F:.]+?)\\]?:(\\d+) <?-> \\[?([0-9a-fA-F:.]+?)\\]?:(\\d+) .*?\\[proto: (?:[A-Z0-9]+:)?[\\d.]+/([^\\]]+)\\].*?\\[Confidence: DPI\\]");

    @ParameterizedTest
    @ValueSource(strings = {"kerberos.pcap", "mssql_tds.pcap", "openvpn.pcap", "ipsec_isakmp_esp.pcap", "nfsv3.pcap", "h323.pcap",
        "rtsp.pcap", "socks.pcap", "pgsql.pcap", "pop3.pcap", "rdp.pcap", "wireguard.pcap", "dnscrypt-v2.pcap", "smtp-starttls.pcap",
        "imap-starttls.pcap", "mysql.pcapng", "ftp.pcap", "git.pcap", "rsync.pcap", "ssh_unidirectional.pcap"})
    void agreesWithNdpiOnThisSectionsProtocols(String capture) throws Exception {
        Path pcap = CORPUS.resolve("pcap").resolve(capture);
        Path out = CORPUS.resolve("result").resolve(capture + ".out");
        Assumptions.assumeTrue(Files.isRegularFile(pcap) && Files.isRegularFile(out), "nDPI corpus not present");
        List<FlowRecord> ours = Golden.flows(pcap);
        List<String> disagreements = new ArrayList<>();
        int checked = 0;
        for (String line : Files.readAllLines(out, StandardCharsets.ISO_8859_1)) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String label = m.group(6);
            String master = label.contains(".") ? label.substring(0, label.indexOf('.')) : label;
            String app = label.contains(".") ? label.substring(label.indexOf('.') + 1) : label;
            if (!MINE.contains(master) && !MINE.contains(app)) {
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
            if (!r.protocol().equalsIgnoreCase(master) && !r.application().equalsIgnoreCase(app)) {
                disagreements.add(label + " vs " + r.protocol() + "/" + r.application() + " " + a + " " + b);
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(checked).isPositive();
    }

    private static String endpoint(FlowRecord f, boolean src) {
        return src ? f.srcIp() + ":" + f.srcPort() : f.dstIp() + ":" + f.dstPort();
    }
}
