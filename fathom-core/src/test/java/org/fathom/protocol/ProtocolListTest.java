package org.fathom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What {@code fathom protocols} lists: counted against nDPI's reference list, and each name reachable. */
class ProtocolListTest {
    private static final Path REFERENCE = Path.of("..", "..", "shared", "reference", "ndpi-protocols.tsv");
    private static final List<ProtocolList.Entry> ALL = ProtocolList.defaults();

    @Test
    void listsAtLeast300OfNdpisReferenceNames() throws IOException {
        Path ref = REFERENCE.toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(ref), "reference list absent: " + ref);
        Set<String> listed = new HashSet<>(ProtocolList.names(ALL));
        Set<String> missing = new TreeSet<>();
        int found = 0;
        for (String line : Files.readAllLines(ref)) {
            if (line.startsWith("#") || line.startsWith("name\t") || line.isBlank()) {
                continue;
            }
            String name = line.split("\t")[0];
            if (listed.contains(name)) {
                found++;
            } else {
                missing.add(name);
            }
        }
        System.out.println("fathom protocols lists " + found + " reference names; not listed: " + missing);
        assertThat(found).isGreaterThanOrEqualTo(300);
    }

    @Test
    void everyDomainAndAddressNameIsReachedByItsOwnEvidence() {
        ServiceCatalog services = ServiceCatalog.bundled();
        AddressCatalog addresses = AddressCatalog.bundled();
        for (ProtocolList.Entry e : ALL) {
            String domain = e.evidence().get(ProtocolList.Method.DOMAIN);
            if (domain != null) {
                String host = domain.replace(ProtocolList.ON_CARRIERS, "");
                host = host.endsWith("*") ? host.substring(0, host.length() - 1) + "x.example.com" : "x." + host;
                Service s = services.lookup(host);
                assertThat(s).as(e.name() + " via " + host).isNotNull();
                assertThat(s.name().equals(e.name()) || e.name().equals(Classifier.callVariant(s.name()))).as(e.name() + " via " + host).isTrue();
            }
            String block = e.evidence().get(ProtocolList.Method.ADDRESS);
            if (block != null) {
                String cidr = block.replace(ProtocolList.ON_CARRIERS, "");
                Service s = addresses.lookup(cidr.substring(0, cidr.indexOf('/')));
                assertThat(s).as(e.name() + " via " + cidr).isNotNull();
                assertThat(s.name().equals(e.name()) || e.name().equals(Classifier.callVariant(s.name()))).as(e.name() + " via " + cidr).isTrue();
            }
        }
    }

    @Test
    void everyPortNameIsTheGuessForItsPort() {
        ProtocolRegistry registry = ProtocolRegistry.defaults();
        PortCatalog ports = PortCatalog.bundled();
        for (PortCatalog.Entry e : ports.entries()) {
            for (int p : e.tcpPorts()) {
                assertThat(registry.byPort(true, p)).as(e.name() + " tcp/" + p + " is taken by a dissector").isNull();
                assertThat(ports.lookup(true, p).name()).as("tcp/" + p).isEqualTo(e.name());
            }
            for (int p : e.udpPorts()) {
                assertThat(registry.byPort(false, p)).as(e.name() + " udp/" + p + " is taken by a dissector").isNull();
                assertThat(ports.lookup(false, p).name()).as("udp/" + p).isEqualTo(e.name());
            }
            assertThat(registry.names()).as(e.name() + " has a dissector: it leaves ports.rules").doesNotContain(e.name());
        }
    }

    /**
     * Every literal name a dissector gives a flow (setProtocol, setApplication, expect) is declared
     * by its descriptor or {@link Dissector#alsoReports}, so the listing cannot drift from the code.
     */
    @Test
    void everyNameADissectorGivesIsDeclared() throws IOException {
        Path src = Path.of("src", "main", "java", "org", "fathom", "protocol");
        assumeTrue(Files.isDirectory(src), "sources absent");
        Set<String> declared = new HashSet<>(ProtocolList.names(ALL));
        Pattern call = Pattern.compile("ctx\\.(setProtocol|setApplication)\\(\"([^\"]+)\"|ctx\\.expect\\([^;]*?\"([^\"]+)\",\\s*\"[^\"]+\"\\)");
        List<String> undeclared = new ArrayList<>();
        try (var files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = call.matcher(Files.readString(f));
                while (m.find()) {
                    String name = m.group(2) != null ? m.group(2) : m.group(3);
                    if (!declared.contains(name)) {
                        undeclared.add(f.getFileName() + ": " + name);
                    }
                }
            }
        }
        assertThat(undeclared).isEmpty();
    }

    @Test
    void eachEntryHasACategoryAndAMethod() {
        assertThat(ALL).allSatisfy(e -> {
            assertThat(e.category()).isNotBlank();
            assertThat(e.methods()).isNotEmpty();
            assertThat(e.evidence().keySet()).isEqualTo(e.methods());
        });
        assertThat(ProtocolList.names(ALL)).doesNotHaveDuplicates();
    }
}
