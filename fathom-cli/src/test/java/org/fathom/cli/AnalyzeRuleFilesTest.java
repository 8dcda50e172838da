package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fathom analyze --services FILE --addresses FILE}. */
class AnalyzeRuleFilesTest {
    @TempDir
    Path dir;

    private String err = "";

    private int run(String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            return Main.run(args);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    /** A classic pcap with one Ethernet/IPv4/UDP packet 192.168.1.10:40000 -> 149.154.167.51:5222. */
    private Path capture() throws IOException {
        byte[] payload = {1, 2, 3, 4};
        int ipLen = 20 + 8 + payload.length;
        ByteBuffer frame = ByteBuffer.allocate(14 + ipLen).order(ByteOrder.BIG_ENDIAN);
        frame.put(new byte[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6}).putShort((short) 0x0800);
        frame.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {(byte) 192, (byte) 168, 1, 10}).put(new byte[] {(byte) 149, (byte) 154, (byte) 167, 51});
        frame.putShort((short) 40000).putShort((short) 5222).putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        ByteBuffer pcap = ByteBuffer.allocate(24 + 16 + frame.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        pcap.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        pcap.putInt(1_700_000_000).putInt(0).putInt(frame.capacity()).putInt(frame.capacity()).put(frame.array());
        Path p = dir.resolve("one.pcap");
        Files.write(p, pcap.array());
        return p;
    }

    @Test
    void userAddressRulesNameTheFlow() throws IOException {
        Path rules = dir.resolve("mine.rules");
        Files.writeString(rules, "# our chat cluster\n149.154.167.0/24  MyChat  Chat\n");
        Path services = dir.resolve("mine.services");
        Files.writeString(services, "chat.example  MyChat  Chat\n");
        Path out = dir.resolve("flows.jsonl");
        int rc = run("analyze", "-q", "--services", services.toString(), "--addresses", rules.toString(),
                "--flows", out.toString(), capture().toString());
        assertThat(rc).as(err).isZero();
        String flows = Files.readString(out);
        assertThat(flows).contains("\"application\":\"MyChat\"").contains("\"category\":\"Chat\"")
                .contains("\"confidence\":\"ip\"");
    }

    @Test
    void bundledAddressRulesWithoutOptions() throws IOException {
        Path out = dir.resolve("flows.jsonl");
        assertThat(run("analyze", "-q", "--flows", out.toString(), capture().toString())).as(err).isZero();
        assertThat(Files.readString(out)).contains("\"application\":\"Telegram\"");
    }

    @Test
    void malformedRuleFileIsOneClearLineAndExit2() throws IOException {
        Path rules = dir.resolve("bad.rules");
        Files.writeString(rules, "149.154.167.0/24 MyChat Chat\n149.154.300.0/24 MyChat Chat\n");
        int rc = run("analyze", "-q", "--addresses", rules.toString(), capture().toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.strip()).isEqualTo("fathom: " + rules + " line 2: '149.154.300.0/24' is not an address block (a.b.c.d/n or an IPv6 prefix)");

        Path services = dir.resolve("bad.services");
        Files.writeString(services, "example.com Example\n");
        rc = run("analyze", "-q", "--services", services.toString(), capture().toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.strip()).isEqualTo("fathom: " + services + " line 1: expected 'suffix application category', got 'example.com Example'");
    }

    @Test
    void missingRuleFileIsAUsageError() throws IOException {
        int rc = run("analyze", "-q", "--services", dir.resolve("nope.rules").toString(), capture().toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err).startsWith("fathom: " + dir.resolve("nope.rules") + ": cannot read service rules");
        assertThat(err.strip().lines().count()).isEqualTo(1);
    }
}
