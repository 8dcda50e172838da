package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code fathom protocols}. */
class ProtocolsCommandTest {
    private String out = "";
    private String err = "";

    private int run(String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            return Main.run(args);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    private String line(List<String> lines, String name) {
        return lines.stream().filter(l -> l.startsWith(name + "\t")).findFirst().orElseThrow(() -> new AssertionError(name + " not listed"));
    }

    @Test
    void listsEveryNameWithCategoryAndDetection() {
        assertThat(run("protocols")).isZero();
        List<String> lines = Arrays.asList(out.split("\n"));
        assertThat(lines.get(0)).isEqualTo("name\tcategory\tdetection\tevidence");
        assertThat(lines.size() - 1).isGreaterThanOrEqualTo(330);
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l.split("\t")).hasSize(4));
        assertThat(line(lines, "TLS")).startsWith("TLS\tWeb\tdpi,port\t");
        assertThat(line(lines, "NetFlix")).contains("\tdomain,address\t");
        assertThat(line(lines, "VXLAN")).isEqualTo("VXLAN\tNetwork\tport\tport: udp/4789");
        assertThat(line(lines, "WhatsAppCall")).startsWith("WhatsAppCall\tVoIP\tdpi,domain,address\t");
        assertThat(line(lines, "WebDAV")).startsWith("WebDAV\tCollaborative\tdpi\t");
        assertThat(line(lines, "EGP")).contains("IP protocol 8");
        assertThat(err).isEmpty();
    }

    @Test
    void countAndBadOptions() {
        assertThat(run("protocols", "--count")).isZero();
        assertThat(Integer.parseInt(out.strip())).isGreaterThanOrEqualTo(330);
        assertThat(run("protocols", "--bogus")).isEqualTo(2);
        assertThat(err).contains("--bogus").doesNotContain("Exception");
    }
}
