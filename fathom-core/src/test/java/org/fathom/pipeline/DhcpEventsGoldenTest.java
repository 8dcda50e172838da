package org.fathom.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fathom.net.Addresses;
import org.fathom.privacy.PrivacyMode;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.privacy.SubscriberNetworks;
import org.fathom.record.EventRecord;
import org.fathom.record.FlowRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Test;

/**
 * DHCP events, one per message: {@code captures/events/dhcp.pcap} (made by {@code record-dhcp.sh}
 * beside it: dnsmasq serving busybox udhcpc and ISC dhclient, DHCPv4 with a renewal, a release and
 * a NAK, DHCPv6 with a release) compared message by message with tshark's DHCP and DHCPv6
 * dissectors; the corpus's DHCP messages each give one event.
 */
class DhcpEventsGoldenTest {
    static final Path PCAP = Http2EventsGoldenTest.path("events/dhcp.pcap");
    static final String[] V4 = {null, "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE", "INFORM"};
    static final String[] V6 = {null, "SOLICIT", "ADVERTISE", "REQUEST", "CONFIRM", "RENEW", "REBIND", "REPLY", "RELEASE", "DECLINE",
        "RECONFIGURE", "INFORMATION-REQUEST", "RELAY-FORW", "RELAY-REPL"};
    static final String[] TSHARK = {"frame.time_epoch", "dhcp.option.dhcp", "dhcp.id", "dhcp.option.ip_address_lease_time",
        "dhcp.option.vendor_class_id", "dhcp.option.request_list_item", "dhcp.hw.mac_addr", "dhcp.ip.your", "dhcp.option.hostname",
        "dhcpv6.msgtype", "dhcpv6.xid", "dhcpv6.requested_option_code", "dhcpv6.iaaddr.ip", "dhcpv6.iaaddr.valid_lifetime",
        "dhcpv6.vendorclass.data", "dhcpv6.client_domain"};

    static List<EventRecord> events(Path pcap, PrivacyPolicy p) {
        return Analyze.withEvents(pcap, 1, p).events().stream().filter(e -> e.event().equals("dhcp")).toList();
    }

    static String line(Map<String, Object> f) {
        return f.get("dhcp.message_type") + " " + f.get("dhcp.xid") + " " + f.get("dhcp.lease_time") + " " + f.get("dhcp.vendor_class") + " "
                + f.get("dhcp.requested_options") + " " + f.get("dhcp.client_mac") + " " + f.get("dhcp.assigned_ip") + " "
                + f.get("dhcp.hostname");
    }

    /** tshark's row in the form of {@link #line}. */
    static String line(String[] r) {
        if (!r[1].isEmpty()) {
            String mac = r[6].isEmpty() ? "null" : r[6].split(",")[0];   // the first is chaddr, a second the client identifier
            String yi = r[7].isEmpty() || r[7].equals("0.0.0.0") ? "null" : r[7];
            return V4[Integer.parseInt(r[1])] + " " + r[2] + " " + orNull(r[3]) + " " + orNull(r[4]) + " " + orNull(r[5]) + " " + mac + " " + yi
                    + " " + orNull(r[8]);
        }
        return V6[Integer.parseInt(r[9])] + " " + r[10] + " " + orNull(r[13]) + " " + orNull(r[14]) + " " + orNull(r[11]) + " null "
                + orNull(r[12]) + " " + orNull(r[15]);
    }

    static String orNull(String s) {
        return s.isEmpty() ? "null" : s;
    }

    @Test
    void messagesAgreeWithTshark() throws Exception {
        List<EventRecord> ours = events(PCAP, Analyze.labPolicy());
        List<String> seen = ours.stream().map(e -> line(e.fields())).toList();
        assertThat(seen).hasSize(19);
        assertThat(seen.get(0)).isEqualTo("DISCOVER 0xf5fc5915 null fathom-test 1,3,6,12,15,28,42 ce:35:86:26:f3:1d null fathom-client");
        assertThat(seen.get(8)).startsWith("NAK 0xbc3ddc54 ");
        assertThat(seen.get(16)).isEqualTo("REPLY 0x413b5b 120 null null null fd77::1db null");
        // the renewal (unicast REQUEST and its ACK, one flow) is the one exchange whose reply is
        // in the flow of its request: 0.948 ms; broadcast exchanges are two flows
        List<Object> ms = ours.stream().map(e -> e.fields().get("dhcp.response_ms")).filter(x -> x != null).toList();
        assertThat(ms).containsExactly(0.948);
        List<String[]> rows = Tshark.fields(PCAP, "dhcp || dhcpv6", TSHARK);
        assumeTrue(rows != null, "tshark not installed");
        assertThat(seen).isEqualTo(rows.stream().map(DhcpEventsGoldenTest::line).toList());
        double renew = (Double.parseDouble(rows.get(5)[0]) - Double.parseDouble(rows.get(4)[0])) * 1000;
        assertThat((Double) ms.get(0)).isCloseTo(renew, org.assertj.core.data.Offset.offset(0.001));
        // each event is stamped with its message's capture time
        for (int i = 0; i < rows.size(); i++) {
            assertThat(ours.get(i).timestampNanos() / 1000).isEqualTo(Math.round(Double.parseDouble(rows.get(i)[0]) * 1e6));
        }
    }

    @Test
    void eventsDoNotDependOnTheNumberOfWorkers() {
        List<String> one = Analyze.withEvents(PCAP, 1, Analyze.labPolicy()).events().stream().map(DhcpEventsGoldenTest::event).sorted().toList();
        List<String> three = Analyze.withEvents(PCAP, 3, Analyze.labPolicy()).events().stream().map(DhcpEventsGoldenTest::event).sorted().toList();
        assertThat(three).hasSize(19).isEqualTo(one);
    }

    static String event(EventRecord e) {
        return e.timestampNanos() + " " + e.srcPort() + " " + e.dstPort() + " " + new java.util.TreeMap<>(e.fields());
    }

    @Test
    void flowRecordsAreAsWithoutEvents() {
        List<String> with = Analyze.withEvents(PCAP, 1, Analyze.labPolicy()).flows().stream().map(DhcpEventsGoldenTest::flow).sorted().toList();
        List<String> without = Analyze.flows(PCAP, 1, Analyze.labPolicy()).stream().map(DhcpEventsGoldenTest::flow).sorted().toList();
        assertThat(with).isEqualTo(without).hasSize(5);
    }

    static String flow(FlowRecord f) {
        var m = new java.util.TreeMap<>(f.metadata());
        m.remove("flow_id");   // keyed per run
        return f.protocol() + " " + m;
    }

    @Test
    void hostNamesAndHardwareAddressesAreNotWrittenAndAssignedAddressesArePseudonymised() {
        PrivacyPolicy p = Analyze.labPolicy().withMode(PrivacyMode.PSEUDONYMOUS).withSubscribers(SubscriberNetworks.parse("10.0.0.0/8,fc00::/7"));
        List<EventRecord> e = events(PCAP, p);
        assertThat(e).hasSize(19).allSatisfy(x -> assertThat(x.fields())
                .doesNotContainKeys("dhcp.hostname", "dhcp.client_mac").containsKeys("dhcp.message_type", "dhcp.xid"));
        List<String> assigned = new ArrayList<>();
        for (EventRecord x : e) {
            Object a = x.fields().get("dhcp.assigned_ip");
            if (a != null) {
                assertThat(a).isNotIn("10.77.0.120", "fd77::1db");
                assigned.add((String) a);
            }
            // an address offered to the client it is sent to carries the same pseudonym as that client
            if (a != null && a.toString().indexOf(':') < 0 && x.dstPort() == 68) {
                assertThat(a).isEqualTo(Addresses.format(x.dstHi(), x.dstLo()));
            }
        }
        assertThat(assigned).hasSize(9);   // OFFER, ACK x 3 (one a renewal), OFFER; ADVERTISE, REQUEST, REPLY, RELEASE
        assertThat(assigned.stream().filter(a -> a.indexOf(':') < 0).distinct()).hasSize(1);
        assertThat(assigned.stream().filter(a -> a.indexOf(':') >= 0).distinct()).hasSize(1);
    }

    @Test
    void corpusMessagesEachGiveOneEvent() throws Exception {
        List<String> names = List.of("android.pcap", "iphone.pcap", "teams.pcap", "1kxun.pcap", "signal.pcap", "tor.pcap", "zoom.pcap",
                "wa_video.pcap", "alexa-app.pcapng", "telegram.pcap");
        int compared = 0;
        for (String name : names) {
            Path pcap = CaptureAnalyzerTest.CORPUS.resolve(name);
            assumeTrue(Files.exists(pcap), "nDPI corpus not present");
            List<String[]> rows = Tshark.fields(pcap, "dhcp || dhcpv6", TSHARK);
            assumeTrue(rows != null, "tshark not installed");
            List<String> theirs = rows.stream().map(DhcpEventsGoldenTest::line).sorted().toList();
            List<String> ours = events(pcap, Analyze.labPolicy()).stream().map(e -> line(e.fields())).sorted().toList();
            assertThat(ours).as(name).isEqualTo(theirs);
            compared += ours.size();
        }
        assertThat(compared).isGreaterThan(50);
    }
}
