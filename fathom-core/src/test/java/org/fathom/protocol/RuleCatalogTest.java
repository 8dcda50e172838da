package org.fathom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What both catalogs share: rule files, their errors, the bundled rules and overriding. */
class RuleCatalogTest {
    @Test
    void malformedFileNamesFileAndLine(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> load(new AddressCatalog(), dir, "8.8.8.0/24 Google Web\n8.8.4.0/33 Google Web\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir.resolve("bad.rules") + " line 2: '8.8.4.0/33' is not an address block (a.b.c.d/n or an IPv6 prefix)");
        assertThatThrownBy(() -> load(new ServiceCatalog(), dir, "# header\nexample.com Example Web\n\nexample.org Example\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir.resolve("bad.rules") + " line 4: expected 'suffix application category', got 'example.org Example'");
        assertThatThrownBy(() -> load(new AddressCatalog(), dir, "1.2.3.0/24 App\n"))
                .hasMessage(dir.resolve("bad.rules") + " line 1: expected 'cidr application category', got '1.2.3.0/24 App'");
        assertThatThrownBy(() -> new AddressCatalog().add("example.com", new Service("App", "Web")))
                .hasMessage("'example.com' is not an address block (a.b.c.d/n or an IPv6 prefix)");
        assertThatThrownBy(() -> new ServiceCatalog().add("a..b", new Service("App", "Web")))
                .hasMessage("'a..b' is not a domain suffix");
    }

    private static void load(RuleCatalog<?, ?> c, Path dir, String rules) throws IOException {
        Path f = dir.resolve("bad.rules");
        Files.writeString(f, rules);
        c.load(f);
    }

    @Test
    void bundledRulesAreReadOnceAndUserRulesStayInTheirCatalog() {
        sharedButSeparate(ServiceCatalog.bundled(), ServiceCatalog.bundled(), "www.netflix.com", "netflix.com", "NetFlix");
        sharedButSeparate(AddressCatalog.bundled(), AddressCatalog.bundled(), "8.8.8.8", "8.8.8.0/24", "Google");
        assertThat(ServiceCatalog.bundled().lookup("www.netflix.com").name()).isEqualTo("NetFlix");
        assertThat(AddressCatalog.bundled().lookup("8.8.8.8").name()).isEqualTo("Google");
    }

    private static void sharedButSeparate(RuleCatalog<?, ?> a, RuleCatalog<?, ?> b, String probe, String key, String bundledName) {
        assertThat(a.table()).isSameAs(b.table()); // one parsed and compiled bundle per process
        int size = b.size();
        a.add(key, new Service("Mine", "Network"));
        assertThat(a.lookup(probe).name()).isEqualTo("Mine");
        assertThat(a.size()).isEqualTo(size); // an override, not a new key
        assertThat(b.lookup(probe).name()).isEqualTo(bundledName);
        assertThat(b.size()).isEqualTo(size);
    }

    @Test
    void laterRulesOverrideEarlierOnesAndCountOnce() {
        ServiceCatalog s = new ServiceCatalog();
        s.add("example.com", new Service("One", "Web"));
        s.add("example.com", new Service("Two", "Web"));
        s.add("ocsp*", new Service("OCSP", "Network"));
        assertThat(s.lookup("www.example.com").name()).isEqualTo("Two");
        assertThat(s.lookup("ocsp2.example.org").name()).isEqualTo("OCSP");
        assertThat(s.size()).isEqualTo(2);
        AddressCatalog a = new AddressCatalog();
        a.add("10.0.0.0/8", new Service("One", "Network"));
        a.add("10.1.2.3/8", new Service("Two", "Network")); // the same block
        assertThat(a.lookup("10.200.0.1").name()).isEqualTo("Two");
        assertThat(a.size()).isEqualTo(1);
    }
}
