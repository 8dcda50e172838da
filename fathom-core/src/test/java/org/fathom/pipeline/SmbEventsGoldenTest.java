package org.fathom.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fathom.privacy.PrivacyMode;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.privacy.SubscriberNetworks;
import org.fathom.record.EventRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Test;

/**
 * SMB2 and NTLM events: {@code captures/events/smb2-ntlm.pcap} (made by {@code record-smb.sh}
 * beside it: Samba's smbclient against smbd, NTLMv2, a wrong password, a share that does not
 * exist) compared command by command with tshark ({@code smb2.dialect}, {@code smb2.nt_status},
 * {@code ntlmssp.auth.username}, {@code ntlmssp.auth.domain}, {@code ntlmssp.auth.hostname},
 * {@code smb2.tree}, {@code smb2.share_type}); NTLM in HTTP on the corpus's {@code webdav.pcap}.
 */
class SmbEventsGoldenTest {
    static final Path PCAP = Http2EventsGoldenTest.path("events/smb2-ntlm.pcap");

    static List<EventRecord> events(Path pcap, PrivacyPolicy p, String kind) {
        return Analyze.withEvents(pcap, 1, p).events().stream().filter(e -> e.event().equals(kind)).toList();
    }

    @Test
    void commandsAgreeWithTshark() throws Exception {
        List<String[]> rows = Tshark.fields(PCAP, List.of("-d", "tcp.port==18445,nbss"), "smb2.cmd==0 || smb2.cmd==1 || smb2.cmd==3", "smb2.flags.response",
                "smb2.cmd", "smb2.nt_status", "smb2.dialect", "ntlmssp.auth.username", "ntlmssp.auth.domain",
                "ntlmssp.auth.hostname", "smb2.tree", "smb2.share_type");
        List<EventRecord> ours = events(PCAP, Analyze.labPolicy(), "smb");
        List<String> seen = new ArrayList<>();
        for (EventRecord e : ours) {
            Map<String, Object> f = e.fields();
            seen.add(f.get("smb.command") + " " + f.get("smb.status") + " " + f.get("smb.dialect") + " " + f.get("ntlm.user") + " "
                    + f.get("ntlm.domain") + " " + f.get("ntlm.workstation") + " " + f.get("smb.tree") + " " + f.get("smb.share_type"));
        }
        assertThat(seen).containsExactly(
                "NEGOTIATE 0x00000000 3.1.1 null null null null null",
                "SESSION_SETUP 0xc0000016 null null null null null null",                 // NTLM NEGOTIATE/CHALLENGE leg
                "SESSION_SETUP 0x00000000 null alice FATHOMTEST FATHOMCLIENT null null",  // AUTHENTICATE leg
                "TREE_CONNECT 0x00000000 null null null null \\\\127.0.0.1\\IPC$ pipe",
                "TREE_CONNECT 0x00000000 null null null null \\\\127.0.0.1\\data disk",
                "NEGOTIATE 0x00000000 3.1.1 null null null null null",
                "SESSION_SETUP 0xc0000016 null null null null null null",
                "SESSION_SETUP 0xc000006d null alice FATHOMTEST FATHOMCLIENT null null",  // wrong password
                "NEGOTIATE 0x00000000 3.1.1 null null null null null",
                "SESSION_SETUP 0xc0000016 null null null null null null",
                "SESSION_SETUP 0x00000000 null alice FATHOMTEST FATHOMCLIENT null null",
                "TREE_CONNECT 0x00000000 null null null null \\\\127.0.0.1\\IPC$ pipe",
                "TREE_CONNECT 0xc00000cc null null null null \\\\127.0.0.1\\nosuchshare null");
        assumeTrue(rows != null, "tshark not installed");
        // tshark: request and response rows in order; each of our events is one request/response pair
        List<String> theirs = new ArrayList<>();
        String[] request = null;
        for (String[] r : rows) {
            if (r[0].equals("False") || r[0].equals("0")) {
                request = r;
                continue;
            }
            String cmd = switch (r[1]) {
                case "0" -> "NEGOTIATE";
                case "1" -> "SESSION_SETUP";
                default -> "TREE_CONNECT";
            };
            String dialect = r[3].isEmpty() ? "null" : dialect(Integer.decode(r[3]));
            String share = r[8].isEmpty() ? "null" : switch (Integer.decode(r[8])) {
                case 1 -> "disk";
                case 2 -> "pipe";
                default -> "print";
            };
            theirs.add(cmd + " " + r[2] + " " + dialect + " " + orNull(request[4]) + " " + orNull(request[5]) + " " + orNull(request[6]) + " "
                    + orNull(request[7]) + " " + share);
        }
        assertThat(seen).isEqualTo(theirs);
    }

    /**
     * NTLM in HTTP/2 ({@code h2c-ntlm.pcap}, {@code record-h2c-ntlm.sh}): curl's AUTHENTICATE
     * message (made over HTTP/1.1, as curl does not do NTLM over HTTP/2) re-sent by nghttp on h2c
     * streams in {@code NTLM} and {@code Negotiate} headers. tshark decodes NTLMSSP in HTTP/1.1
     * headers only: the HTTP/2 headers carry the same base64 text, so its decoding of the HTTP/1.1
     * message is the reference for the streams too.
     */
    @Test
    void ntlmInHttp2AgreesWithTshark() throws Exception {
        Path pcap = Http2EventsGoldenTest.path("events/h2c-ntlm.pcap");
        List<EventRecord> http = events(pcap, Analyze.labPolicy(), "http");
        List<String> ours = http.stream().filter(e -> e.fields().containsKey("ntlm.user"))
                .map(e -> e.fields().get("http.version") + " " + e.fields().get("http.stream_id") + " " + e.fields().get("http.status") + " "
                        + e.fields().get("ntlm.user") + " " + e.fields().get("ntlm.domain") + " " + e.fields().get("ntlm.workstation"))
                .toList();
        assertThat(ours).containsExactly(
                "HTTP/1.1 null 200 alice FATHOMTEST WORKSTATION",
                "HTTP/2 13 200 alice FATHOMTEST WORKSTATION",
                "HTTP/2 13 200 alice FATHOMTEST WORKSTATION",
                "HTTP/2 15 200 alice FATHOMTEST WORKSTATION");
        // the NTLM NEGOTIATE message curl sent on its h2c stream carries no names
        assertThat(http.stream().filter(e -> "HTTP/2".equals(e.fields().get("http.version")))).hasSize(4);
        List<String[]> h1 = Tshark.fields(pcap, List.of("-o", "http.tcp.port:18084"), "ntlmssp.messagetype == 3", "http.authorization",
                "ntlmssp.auth.username", "ntlmssp.auth.domain", "ntlmssp.auth.hostname");
        assumeTrue(h1 != null, "tshark not installed");
        List<String[]> h2 = Tshark.fields(pcap, List.of("-o", "http.tcp.port:18084"), "http2.headers.authorization",
                "http2.headers.authorization");
        assertThat(h1).hasSize(1);
        String token = h1.get(0)[0].substring(h1.get(0)[0].indexOf(' ') + 1);
        List<String> tokens = h2.stream().flatMap(r -> java.util.Arrays.stream(r[0].split(","))).filter(a -> !a.contains("TlRMTVNTUAAB"))
                .map(a -> a.substring(a.indexOf(' ') + 1)).toList();
        assertThat(tokens).hasSize(3).containsOnly(token);
        String names = h1.get(0)[1] + " " + h1.get(0)[2] + " " + h1.get(0)[3];
        assertThat(ours).allSatisfy(o -> assertThat(o).endsWith(" " + names));
    }

    static final Path SMB1 = Http2EventsGoldenTest.path("events/smb1-ntlm.pcap");

    static List<String> lines(List<EventRecord> events) {
        List<String> seen = new ArrayList<>();
        for (EventRecord e : events) {
            Map<String, Object> f = e.fields();
            seen.add(f.get("smb.command") + " " + f.get("smb.status") + " " + f.get("smb.dialect") + " " + f.get("ntlm.user") + " "
                    + f.get("ntlm.domain") + " " + f.get("ntlm.workstation") + " " + f.get("smb.tree") + " " + f.get("smb.share_type"));
        }
        return seen;
    }

    /**
     * SMB1 ({@code smb1-ntlm.pcap}, {@code record-smb1.sh}: smbclient and smbd held to NT1 on the
     * NetBIOS session service): extended-security logins (NTLMSSP in the SESSION_SETUP_ANDX
     * security blob), a wrong password, a missing share, and a login without SPNEGO (account name
     * and primary domain in clear), against tshark's SMB dissector.
     */
    @Test
    void smb1CommandsAgreeWithTshark() throws Exception {
        List<String> seen = lines(events(SMB1, Analyze.labPolicy(), "smb"));
        // smbclient offers "NT LANMAN 1.0" (Samba's name for NT LM 0.12) first
        String neg = "NEGOTIATE 0x00000000 NT LANMAN 1.0 null null null null null";
        String challenge = "SESSION_SETUP_ANDX 0xc0000016 null null null null null null";
        String login = "SESSION_SETUP_ANDX 0x00000000 null alice FATHOMTEST FATHOMCLIENT null null";
        String ipc = "TREE_CONNECT_ANDX 0x00000000 null null null null \\\\127.0.0.1\\IPC$ pipe";
        assertThat(seen).containsExactly(
                neg, challenge, login, ipc, "TREE_CONNECT_ANDX 0x00000000 null null null null \\\\127.0.0.1\\DATA disk",
                neg, challenge, "SESSION_SETUP_ANDX 0xc000006d null alice FATHOMTEST FATHOMCLIENT null null",
                neg, challenge, login, ipc, "TREE_CONNECT_ANDX 0xc00000cc null null null null \\\\127.0.0.1\\NOSUCHSHARE null",
                neg, "SESSION_SETUP_ANDX 0xc000000d null alice FATHOMTEST null null null");   // without SPNEGO: refused by smbd
        List<String[]> rows = Tshark.fields(SMB1, List.of("-d", "tcp.port==18139,nbss"), "smb.cmd==0x72 || smb.cmd==0x73 || smb.cmd==0x75",
                "smb.flags.response", "smb.cmd", "smb.nt_status", "smb.dialect", "smb.dialect.index", "ntlmssp.auth.username",
                "ntlmssp.auth.domain", "ntlmssp.auth.hostname", "smb.account", "smb.primary_domain", "smb.path", "smb.service");
        assumeTrue(rows != null, "tshark not installed");
        List<String> theirs = new ArrayList<>();
        String[] request = null;
        for (String[] r : rows) {
            if (r[0].equals("False") || r[0].equals("0")) {
                request = r;
                continue;
            }
            String cmd = switch (r[1].split(",")[0]) {
                case "0x72", "0x00000072" -> "NEGOTIATE";
                case "0x73", "0x00000073" -> "SESSION_SETUP_ANDX";
                default -> "TREE_CONNECT_ANDX";
            };
            String dialect = r[4].isEmpty() ? "null" : request[3].split(",")[Integer.parseInt(r[4])];
            String user = !request[5].isEmpty() ? request[5] : orNull(request[8]);
            String domain = !request[6].isEmpty() ? request[6] : orNull(request[9]);
            // tshark adds the path of the tree the header's TID names: the request's own is the last
            String tree = request[10].isEmpty() ? "null" : request[10].substring(request[10].lastIndexOf(',') + 1);
            String share = switch (r[11]) {
                case "A:" -> "disk";
                case "IPC" -> "pipe";
                default -> "null";
            };
            theirs.add(cmd + " " + r[2] + " " + dialect + " " + user + " " + domain + " " + orNull(request[7]) + " " + tree + " " + share);
        }
        assertThat(seen).isEqualTo(theirs);
    }

    @Test
    void smb1OnTheCorpus() throws Exception {
        Path pcap = CaptureAnalyzerTest.CORPUS.resolve("smbv1.pcap");
        assumeTrue(Files.exists(pcap), "nDPI corpus not present");
        // a NEGOTIATE, an anonymous login (no account name), a tree connect to IPC$, as tshark shows
        assertThat(lines(events(pcap, Analyze.labPolicy(), "smb"))).containsExactly(
                "NEGOTIATE 0x00000000 NT LM 0.12 null null null null null",
                "SESSION_SETUP_ANDX 0x00000000 null null null null null null",
                "TREE_CONNECT_ANDX 0x00000000 null null null null \\\\10.128.0.243\\IPC$ pipe");
    }

    @Test
    void smb1UserNamesAreNotWrittenOutsideIdentifiedMode() {
        PrivacyPolicy p = Analyze.labPolicy().withMode(PrivacyMode.PSEUDONYMOUS).withSubscribers(SubscriberNetworks.parse("127.0.0.0/8"));
        List<EventRecord> e = events(SMB1, p, "smb");
        assertThat(e).hasSize(15).allSatisfy(x -> assertThat(x.fields())
                .doesNotContainKeys("ntlm.user", "ntlm.workstation", "smb.tree").containsKey("smb.command"));
    }

    static String orNull(String s) {
        return s.isEmpty() ? "null" : s;
    }

    static String dialect(int d) {
        return (d >> 8) + "." + ((d >> 4) & 0xF) + ((d & 0xF) == 0 ? "" : "." + (d & 0xF));
    }

    @Test
    void userNamesWorkstationsAndSharePathsAreNotWrittenOutsideIdentifiedMode() throws Exception {
        PrivacyPolicy p = Analyze.labPolicy().withMode(PrivacyMode.PSEUDONYMOUS).withSubscribers(SubscriberNetworks.parse("127.0.0.0/8"));
        List<EventRecord> e = events(PCAP, p, "smb");
        assertThat(e).hasSize(13).allSatisfy(x -> assertThat(x.fields())
                .doesNotContainKeys("ntlm.user", "ntlm.workstation", "smb.tree").containsKeys("smb.command", "smb.status"));
        assertThat(e.stream().filter(x -> "FATHOMTEST".equals(x.fields().get("ntlm.domain")))).hasSize(3);
    }

    @Test
    void ntlmInHttpAgreesWithTshark() throws Exception {
        Path pcap = CaptureAnalyzerTest.CORPUS.resolve("webdav.pcap");
        assumeTrue(Files.exists(pcap), "nDPI corpus not present");
        List<String[]> rows = Tshark.fields(pcap, "ntlmssp.messagetype == 3", "tcp.srcport", "ntlmssp.auth.username",
                "ntlmssp.auth.domain", "ntlmssp.auth.hostname");
        assumeTrue(rows != null, "tshark not installed");
        List<String> theirs = rows.stream().map(r -> String.join(" ", r)).toList();
        List<String> ours = events(pcap, Analyze.labPolicy(), "http").stream().filter(e -> e.fields().containsKey("ntlm.user"))
                .map(e -> e.srcPort() + " " + e.fields().get("ntlm.user") + " " + e.fields().get("ntlm.domain") + " "
                        + e.fields().get("ntlm.workstation")).toList();
        assertThat(theirs).isNotEmpty();
        assertThat(ours).isEqualTo(theirs);
    }
}
