package org.fathom.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The scans that gate the scrubbing regular expressions must never miss a literal those find. */
class LiteralScanTest {
    // the same expressions the redactor scrubs with
    private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![0-9])");
    private static final Pattern IPV6 = Pattern.compile("(?<![0-9A-Za-z:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Za-z:])");

    @Provide
    Arbitrary<String> addressLike() {
        // tokens that make literals and near-literals common
        return Arbitraries.of("0", "7", "25", "255", "1234", "12345", ".", ".", ":", ":", "::", "ff", "Ab", "x", " ", "/", "-")
                .list().ofMaxSize(24).map(l -> String.join("", l));
    }

    @Property(tries = 20_000)
    void ipv4ScanFindsEveryLiteral(@ForAll("addressLike") String s) {
        if (IPV4.matcher(s).find()) {
            assertThat(Redactor.mayHoldIpv4(s)).as(s).isTrue();
        }
    }

    @Property(tries = 20_000)
    void ipv6ScanFindsEveryLiteral(@ForAll("addressLike") String s) {
        if (IPV6.matcher(s).find()) {
            assertThat(Redactor.mayHoldIpv6(s)).as(s).isTrue();
        }
    }

    @Property
    void scansSeeLiteralsInsideText(@ForAll("addressLike") String before, @ForAll("addressLike") String after) {
        assertThat(Redactor.mayHoldIpv4(before + " 192.168.1.20 " + after)).isTrue();
        assertThat(Redactor.mayHoldIpv6(before + " fe80::1 " + after)).isTrue();
        assertThat(Redactor.mayHoldIpv6("2001:db8:0:0:0:0:0:1")).isTrue();
    }

    @Property
    void hostNamesAndVersionsArePassedOver(@ForAll("addressLike") String ignored) {
        assertThat(Redactor.mayHoldIpv4("Mozilla/5.0 (X11; Linux x86_64)")).isFalse();
        assertThat(Redactor.mayHoldIpv6("www.example.com")).isFalse();
        assertThat(Redactor.mayHoldIpv6("TLS_AES_128_GCM_SHA256: x")).isFalse();
    }
}
