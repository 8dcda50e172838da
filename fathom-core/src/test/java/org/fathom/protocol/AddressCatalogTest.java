package org.fathom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressCatalogTest {
    private static AddressCatalog of(String rules) throws IOException {
        AddressCatalog c = new AddressCatalog();
        c.load(new BufferedReader(new StringReader(rules)), "test.rules");
        return c;
    }

    private static String name(AddressCatalog c, String address) {
        Service s = c.lookup(address);
        return s == null ? null : s.name();
    }

    @Test
    void longestIpv4PrefixWins() throws IOException {
        AddressCatalog c = of("""
                10.0.0.0/8        Wide     Network
                10.1.0.0/16       Middle   Network
                10.1.2.0/24       Narrow   Network
                10.1.2.3          Host     Network
                0.0.0.0/0         Default  Network
                """);
        assertThat(name(c, "10.9.9.9")).isEqualTo("Wide");
        assertThat(name(c, "10.1.9.9")).isEqualTo("Middle");
        assertThat(name(c, "10.1.2.9")).isEqualTo("Narrow");
        assertThat(name(c, "10.1.2.3")).isEqualTo("Host");
        assertThat(name(c, "11.0.0.1")).isEqualTo("Default");
        assertThat(name(c, "::1")).isNull(); // 0.0.0.0/0 covers IPv4 only
        assertThat(c.lengths()).isEqualTo(5);
    }

    @Test
    void longestIpv6PrefixWinsAndFamiliesStayApart() throws IOException {
        AddressCatalog c = of("""
                2a03:2880::/32               Facebook  SocialNetwork
                2a03:2880:f000::/36          Edge      SocialNetwork
                2a03:2880:f003:c07:face::1   One       SocialNetwork
                ::/0                         Any6      Network
                192.0.2.0/24                 Doc       Network
                """);
        assertThat(name(c, "2a03:2880:1::1")).isEqualTo("Facebook");
        assertThat(name(c, "2a03:2880:f0ff::1")).isEqualTo("Edge");
        assertThat(name(c, "2a03:2880:f003:c07:face::1")).isEqualTo("One");
        assertThat(name(c, "2a03:2880:f003:c07:face::2")).isEqualTo("Edge");
        assertThat(name(c, "2001:db8::1")).isEqualTo("Any6");
        // IPv4 is held IPv4-mapped: ::/0 covers it too, a longer IPv4 rule wins
        assertThat(name(c, "192.0.2.7")).isEqualTo("Doc");
        assertThat(name(c, "::ffff:192.0.2.7")).isEqualTo("Doc");
        assertThat(name(c, "198.51.100.1")).isEqualTo("Any6");
    }

    @Test
    void lookupByHalvesMatchesTheEngineForm() throws IOException {
        AddressCatalog c = of("157.240.0.0/16 Facebook SocialNetwork\n2a00:1450::/32 Google Web\n");
        long v4 = (157L << 24) | (240L << 16) | (1 << 8) | 35;
        assertThat(c.lookup(0, 0x0000_FFFF_0000_0000L | v4).name()).isEqualTo("Facebook");
        assertThat(c.lookup(0x2a00_1450_4007_0805L, 0x2004L).name()).isEqualTo("Google");
        assertThat(c.lookup(0x2a00_1451_0000_0000L, 1)).isNull();
    }

    @Test
    void hostBitsAreIgnoredAndLaterRulesOverride(@TempDir Path dir) throws IOException {
        AddressCatalog c = of("17.1.2.3/8 Apple Web\n");
        assertThat(name(c, "17.200.0.1")).isEqualTo("Apple");
        Path f = dir.resolve("mine.rules");
        Files.writeString(f, "17.0.0.0/8 Fruit Web\n17.5.0.0/16 Orchard Cloud\n");
        c.load(f);
        assertThat(c.lookup("17.200.0.1")).isEqualTo(new Service("Fruit", "Web"));
        assertThat(c.lookup("17.5.1.1")).isEqualTo(new Service("Orchard", "Cloud"));
        assertThat(c.size()).isEqualTo(2);
    }

    @Test
    void rejectsMalformedBlocks() {
        for (String bad : new String[] {"1.2.3/24", "1.2.3.256", "01.2.3.4", "1.2.3.4/", "1.2.3.4/x", "::1/129",
                                        "example.com", "2001:db8::g/32", "1.2.3.4.5"}) {
            assertThatThrownBy(() -> of(bad + " App Web")).as(bad).hasMessageContaining("test.rules line 1");
        }
        assertThatThrownBy(() -> of("1.2.3.0/24 App")).hasMessageContaining("expected 'cidr application category'");
    }

    @Test
    void bundledBlocks() {
        AddressCatalog c = AddressCatalog.bundled();
        assertThat(name(c, "8.8.8.8")).isEqualTo("Google");
        assertThat(name(c, "142.250.185.78")).isEqualTo("Google");
        assertThat(name(c, "2a00:1450:4001:80b::200e")).isEqualTo("Google");
        assertThat(name(c, "157.240.20.35")).isEqualTo("Facebook");
        assertThat(name(c, "2a03:2880:f12c:183:face:b00c:0:25de")).isEqualTo("Facebook");
        assertThat(name(c, "17.253.144.10")).isEqualTo("Apple");
        assertThat(name(c, "149.154.167.51")).isEqualTo("Telegram");
        assertThat(name(c, "45.57.40.1")).isEqualTo("NetFlix");
        assertThat(name(c, "104.16.132.229")).isEqualTo("Cloudflare");
        assertThat(name(c, "162.159.192.1")).isEqualTo("CloudflareWarp"); // carved out of Cloudflare's /15
        assertThat(name(c, "52.97.1.1")).isEqualTo("Outlook");            // carved out of Azure's /11
        assertThat(name(c, "52.113.0.1")).isEqualTo("Skype_Teams");
        assertThat(name(c, "52.100.0.1")).isEqualTo("Azure");
        assertThat(name(c, "54.239.28.85")).isEqualTo("AmazonAWS");
        assertThat(name(c, "35.186.224.25")).isEqualTo("GoogleCloud");
        assertThat(name(c, "192.168.1.1")).isNull();
        assertThat(name(c, "10.0.0.1")).isNull();
        assertThat(name(c, "fe80::1")).isNull();

    }

    @Test
    void shortAndCatchAllPrefixesReachEveryBlockTheyCover() throws IOException {
        AddressCatalog c = of("""
                ::/0 Everything Web
                ::ffff:0:0/96 AllOfIpv4 Web
                2000::/3 GlobalUnicast Web
                2a03:2880::/29 Facebook SocialNetwork
                10.0.0.0/7 TenEleven Web
                """);
        assertThat(name(c, "8.8.8.8")).isEqualTo("AllOfIpv4");
        assertThat(name(c, "11.200.1.1")).isEqualTo("TenEleven");
        assertThat(name(c, "2a03:2887:ffff::1")).isEqualTo("Facebook");
        assertThat(name(c, "3fff::1")).isEqualTo("GlobalUnicast");
        assertThat(name(c, "fe80::1")).isEqualTo("Everything");
        assertThat(name(c, "::1")).isEqualTo("Everything");
        AddressCatalog v6only = of("2000::/3 GlobalUnicast Web\n");
        assertThat(name(v6only, "8.8.8.8")).isNull();
        assertThat(name(v6only, "fe80::1")).isNull();
        assertThat(name(v6only, "2001:db8::1")).isEqualTo("GlobalUnicast");
    }

    @Test
    void agreesWithALinearScanOnRandomAddresses() throws IOException {
        Random r = new Random(42);
        StringBuilder rules = new StringBuilder();
        int n = 300;
        long[] net = new long[n];
        int[] len = new int[n];
        for (int i = 0; i < n; i++) {
            len[i] = 8 + r.nextInt(25);
            net[i] = (r.nextInt() & 0xFFFFFFFFL) & (0xFFFFFFFFL << (32 - len[i])) & 0xFFFFFFFFL;
            rules.append(((net[i] >>> 24) & 255) + "." + ((net[i] >>> 16) & 255) + "." + ((net[i] >>> 8) & 255) + "." + (net[i] & 255))
                    .append('/').append(len[i]).append(" R").append(i).append(" Web\n");
        }
        AddressCatalog c = of(rules.toString());
        for (int k = 0; k < 20_000; k++) {
            long a = r.nextInt() & 0xFFFFFFFFL;
            if (k % 2 == 0) {
                int i = r.nextInt(n); // an address inside some rule
                a = net[i] | (r.nextInt() & 0xFFFFFFFFL & ((1L << (32 - len[i])) - 1));
            }
            int best = -1;
            for (int i = 0; i < n; i++) {
                long mask = (0xFFFFFFFFL << (32 - len[i])) & 0xFFFFFFFFL;
                if ((a & mask) == net[i] && (best < 0 || len[i] > len[best] || len[i] == len[best] && i > best)) {
                    best = i;
                }
            }
            Service s = c.lookup(0, 0x0000_FFFF_0000_0000L | a);
            assertThat(s == null ? null : s.name()).isEqualTo(best < 0 ? null : "R" + best);
        }
    }

    @Property(tries = 300)
    void parsingNeverThrowsAnythingButIllegalArgument(@ForAll String text) {
        AddressCatalog c = new AddressCatalog();
        try {
            c.add(text, new Service("X", "Web"));
            assertThat(c.lookup(text)).isNotNull();
        } catch (IllegalArgumentException expected) {
            // fine: not an address block
        }
    }

    @Test
    void textLookupAgreesWithJdkParsing() throws Exception {
        AddressCatalog c = of("2001:db8::/32 Doc Web\n");
        for (String a : new String[] {"2001:db8::1", "2001:0db8:0:0:0:0:0:1", "2001:DB8::1"}) {
            assertThat(InetAddress.ofLiteral(a).getAddress()).hasSize(16);
            assertThat(name(c, a)).isEqualTo("Doc");
        }
    }
}
