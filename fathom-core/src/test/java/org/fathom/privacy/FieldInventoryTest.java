package org.fathom.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every metadata key a dissector can write must have a decided treatment in the inventory. */
class FieldInventoryTest {
    private static final Pattern KEY = Pattern.compile("\"([a-z0-9_]+\\.[a-z0-9_.]+)\"");

    @Test
    void everyKeyADissectorPutsIsListed() throws Exception {
        TreeSet<String> unlisted = new TreeSet<>();
        int seen = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/org/fathom/protocol"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.contains("put(") || line.strip().startsWith("*") || line.strip().startsWith("//") || line.strip().startsWith("/*")) {
                        continue;
                    }
                    Matcher m = KEY.matcher(line);
                    while (m.find()) {
                        seen++;
                        if (!FieldInventory.known(m.group(1))) {
                            unlisted.add(m.group(1) + " (" + f.getFileName() + ")");
                        }
                    }
                }
            }
        }
        assertThat(seen).isGreaterThan(50);
        assertThat(unlisted).as("metadata keys without a privacy treatment: add them to FieldInventory and docs/PRIVACY.md").isEmpty();
    }
}
