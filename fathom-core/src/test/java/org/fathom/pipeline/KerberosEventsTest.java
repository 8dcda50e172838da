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
import org.fathom.record.CollectingSink;
import org.fathom.record.EventRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Test;

/**
 * One {@code kerberos} event per message (AS-REQ, AS-REP, TGS-REQ, TGS-REP, KRB-ERROR) over UDP
 * and TCP, on the nDPI corpus captures with Kerberos, message by message against tshark's
 * {@code kerberos.CNameString}, {@code kerberos.SNameString}, {@code kerberos.realm}/{@code crealm},
 * {@code kerberos.error_code} and the encryption types ({@code kerberos.ENCTYPE} of a request,
 * {@code kerberos.etype} of a reply's ticket and enc-part).
 */
class KerberosEventsTest {
    static final List<String> CAPTURES = List.of("kerberos.pcap", "kerberos-error.pcap", "kerberos-login.pcap");

    static List<EventRecord> kerberos(Path pcap, PrivacyPolicy p) {
        return Analyze.withEvents(pcap, 1, p).events().stream().filter(e -> e.event().equals("kerberos")).toList();
    }

    @Test
    void everyMessageAgreesWithTshark() throws Exception {
        assumeTrue(Files.isDirectory(CaptureAnalyzerTest.CORPUS), "nDPI corpus not present");
        int compared = 0;
        for (String c : CAPTURES) {
            Path pcap = CaptureAnalyzerTest.CORPUS.resolve(c);
            List<String[]> all = Tshark.fields(pcap, "kerberos", "frame.number", "kerberos.msg_type", "kerberos.CNameString", "kerberos.SNameString",
                    "kerberos.realm", "kerberos.crealm", "kerberos.error_code", "kerberos.ENCTYPE", "kerberos.etype");
            assumeTrue(all != null, "tshark not installed");
            List<String[]> rows = new ArrayList<>();
            for (String[] r : all) {
                // kerberos.pcap frame 32: a KRB-ERROR on a connection whose capture begins inside the
                // client's message (its first bytes are not a message; nDPI too matches it by port only)
                if (!(c.equals("kerberos.pcap") && r[0].equals("32"))) {
                    rows.add(java.util.Arrays.copyOfRange(r, 1, r.length));
                }
            }
            List<EventRecord> ours = kerberos(pcap, Analyze.labPolicy());
            assertThat(ours).as(c).hasSize(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                String[] r = rows.get(i);
                Map<String, Object> f = ours.get(i).fields();
                int type = Integer.parseInt(r[0].split(",")[0]);   // an AP-REQ (14) inside a TGS-REQ's padata follows
                String what = c + " message " + i + " " + String.join("|", r) + " ours " + f;
                assertThat(f.get("kerberos.msg_type")).as(what).isEqualTo(switch (type) {
                    case 10 -> "AS-REQ";
                    case 11 -> "AS-REP";
                    case 12 -> "TGS-REQ";
                    case 13 -> "TGS-REP";
                    default -> "KRB-ERROR";
                });
                // the client principal: tshark lists its components
                assertThat(components(f.get("kerberos.cname"))).as(what).isEqualTo(r[1]);
                // the service principal: a TGS-REQ's padata carries a ticket with its own sname before the body's
                assertThat(r[2]).as(what).endsWith(components(f.get("kerberos.sname")));
                assertThat(components(f.get("kerberos.sname"))).as(what).isNotEmpty();
                // the realm: a request's body realm (after its ticket's), a reply's crealm, an error's realm
                String realm = type == 11 || type == 13 ? r[4] : last(r[3]);
                assertThat(f.get("kerberos.realm")).as(what).isEqualTo(realm);
                if (type == 30) {
                    assertThat(f.get("kerberos.error_code")).as(what).isEqualTo(Long.parseLong(r[5]));
                } else {
                    if (type == 10 || type == 12) {
                        assertThat(list(f.get("kerberos.etypes"))).as(what).isEqualTo(r[6]);
                    } else {
                        // a reply's ticket and enc-part (a PA-FX-FAST padata before them may name one more)
                        assertThat(r[7]).as(what).endsWith(list(f.get("kerberos.etypes")));
                        assertThat(list(f.get("kerberos.etypes")).split(",")).as(what).hasSize(2);
                    }
                }
                compared++;
            }
        }
        assertThat(compared).isEqualTo(46);
    }

    @Test
    void overTcpAndUdp() throws Exception {
        assumeTrue(Files.isDirectory(CaptureAnalyzerTest.CORPUS), "nDPI corpus not present");
        assertThat(kerberos(CaptureAnalyzerTest.CORPUS.resolve("kerberos.pcap"), Analyze.labPolicy()))
                .hasSize(18).allSatisfy(e -> assertThat(e.l4()).isEqualTo("TCP"));
        assertThat(kerberos(CaptureAnalyzerTest.CORPUS.resolve("kerberos-login.pcap"), Analyze.labPolicy())
                .stream().map(EventRecord::l4).distinct()).containsExactlyInAnyOrder("UDP", "TCP");
    }

    @Test
    void theClientPrincipalIsAUserName() throws Exception {
        assumeTrue(Files.isDirectory(CaptureAnalyzerTest.CORPUS), "nDPI corpus not present");
        PrivacyPolicy p = Analyze.labPolicy().withMode(PrivacyMode.PSEUDONYMOUS).withSubscribers(SubscriberNetworks.parse("0.0.0.0/0"));
        List<EventRecord> e = kerberos(CaptureAnalyzerTest.CORPUS.resolve("kerberos-login.pcap"), p);
        assertThat(e).isNotEmpty().allSatisfy(x -> assertThat(x.fields()).doesNotContainKey("kerberos.cname")
                .containsKeys("kerberos.msg_type", "kerberos.sname", "kerberos.realm"));
    }

    static String components(Object principal) {
        return principal == null ? "" : ((String) principal).replace('/', ',');
    }

    static String last(String list) {
        String[] s = list.split(",");
        return s[s.length - 1];
    }

    static String list(Object o) {
        if (o == null) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (Object x : (List<?>) o) {
            out.add(String.valueOf(x));
        }
        return String.join(",", out);
    }
}
