package org.fathom.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.fathom.field.Treatment;
import org.junit.jupiter.api.Test;

/**
 * Every metadata key a dissector can write must have a decided treatment in the inventory. Most
 * dissectors write their registration's typed constants ({@code Registration.TLS_SNI.key()}); the
 * keys still spelt as literals are checked here, and {@link WrittenFieldsTest} checks what the
 * dissectors actually write on real captures.
 */
class FieldInventoryTest {
    private static final Pattern KEY = Pattern.compile("\"([a-z0-9_]+\\.[a-z0-9_.]+)\"");

    @Test
    void everyLiteralKeyADissectorPutsIsListed() throws Exception {
        TreeSet<String> unlisted = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/org/fathom/protocol"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.contains("put(") || line.strip().startsWith("*") || line.strip().startsWith("//") || line.strip().startsWith("/*")) {
                        continue;
                    }
                    Matcher m = KEY.matcher(line);
                    while (m.find()) {
                        if (!FieldInventory.known(m.group(1))) {
                            unlisted.add(m.group(1) + " (" + f.getFileName() + ")");
                        }
                    }
                }
            }
        }
        assertThat(unlisted).as("metadata keys without a privacy treatment: declare them in the package's Registration").isEmpty();
    }

    @Test
    void theInventoryHoldsTheDeclaredFieldsAndTheBaseOnes() {
        assertThat(FieldInventory.all()).hasSizeGreaterThan(190);
        assertThat(FieldInventory.of("tls.sni")).isEqualTo(Treatment.SCRUB);
        assertThat(FieldInventory.of("dhcp.hostname")).isEqualTo(Treatment.DROP);
        assertThat(FieldInventory.of("sip.call_id")).isEqualTo(Treatment.TOKEN);
        assertThat(FieldInventory.of("flow_id")).isEqualTo(Treatment.KEEP);
        assertThat(FieldInventory.known("no.such_field")).isFalse();
        assertThat(FieldInventory.of("no.such_field")).isEqualTo(Treatment.DROP);
    }
}
