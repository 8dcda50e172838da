package org.fathom.protocol.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;

/** The DHCP and DHCPv6 events paths on hostile messages: never throw, at most one event per message, bounded. */
class DhcpEventsProperties {
    @Property(tries = 1000)
    void dhcpv4OptionsNeverThrow(@ForAll @Size(max = 120) byte[] options, @ForAll @IntRange(min = 1, max = 2) int op) {
        byte[] m = DhcpDissectorTest.discover();
        byte[] b = java.util.Arrays.copyOf(m, 240 + options.length);
        b[0] = (byte) op;
        System.arraycopy(options, 0, b, 240, options.length);
        TestFlow c = TestFlow.udp(67);
        c.transactions = true;
        int r1 = c.feed(new DhcpDissector(), true, m);
        int r2 = c.feed(new DhcpDissector(), false, b);
        assertThat(r1).isEqualTo(Dissector.MATCH);
        assertThat(r2).isEqualTo(Dissector.MATCH);
        assertThat(c.events.size()).isBetween(1, 2);
    }

    @Property(tries = 1000)
    void dhcpv6OptionsNeverThrow(@ForAll @Size(max = 120) byte[] options, @ForAll @IntRange(min = 1, max = 13) int type) {
        byte[] b = new byte[4 + options.length];
        b[0] = (byte) type;
        System.arraycopy(options, 0, b, 4, options.length);
        TestFlow c = TestFlow.udp(547);
        c.clientPort = 546;
        c.transactions = true;
        c.feed(new Dhcpv6Dissector(), true, DhcpDissectorTest.solicit());
        assertThat(c.feed(new Dhcpv6Dissector(), false, b)).isEqualTo(Dissector.MATCH);
        assertThat(c.events.size()).isBetween(1, 2);
    }

    @Property(tries = 500)
    void dhcpv6OptionTreesNeverThrow(@ForAll @Size(max = 60) byte[] inner, @ForAll @IntRange(min = 0, max = 64) int code) {
        // a well-formed outer option (IA_NA, FQDN, vendor class, ORO or any) around hostile content
        int[] codes = {3, 39, 16, 6, code};
        for (int oc : codes) {
            byte[] b = new byte[8 + inner.length];
            b[0] = 7;
            b[4] = (byte) (oc >> 8);
            b[5] = (byte) oc;
            b[6] = (byte) (inner.length >> 8);
            b[7] = (byte) inner.length;
            System.arraycopy(inner, 0, b, 8, inner.length);
            TestFlow c = TestFlow.udp(547);
            c.clientPort = 546;
            c.transactions = true;
            assertThat(c.feed(new Dhcpv6Dissector(), false, b)).isEqualTo(Dissector.MATCH);
            assertThat(c.events).hasSize(1);
        }
    }
}
