package org.fathom.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fathom.output.Json;

/**
 * An append-only, tamper-evident log of every privacy-relevant event: each run's policy, any
 * narrowing of the subscriber networks, every use of an authorisation to see identities, key
 * creation. Each entry is one JSON line holding the SHA-256 of the previous entry, so changing,
 * inserting or removing an entry breaks the chain from there on ({@link #verify}). Removing the
 * newest entries is only visible against a head hash kept elsewhere; the run summary prints it.
 */
public final class AuditLog {
    static final String GENESIS = "0".repeat(64);

    private final Path file;
    private long seq;
    private String head;

    private AuditLog(Path file, long seq, String head) {
        this.file = file;
        this.seq = seq;
        this.head = head;
    }

    /**
     * Opens (or creates) the log. An existing log must verify: a broken log is not appended to.
     *
     * @throws IOException when the file cannot be read or created
     * @throws IllegalStateException naming the first broken entry of an existing log
     */
    public static AuditLog open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!Files.exists(file)) {
            Files.createFile(file);
            return new AuditLog(file, 0, GENESIS);
        }
        Verification v = verify(file);
        if (!v.ok()) {
            throw new IllegalStateException("audit log " + file + " is broken at entry " + v.brokenEntry() + " (line "
                    + v.brokenLine() + "): " + v.problem() + "; it must be repaired or archived before more runs are logged");
        }
        return new AuditLog(file, v.entries(), v.head());
    }

    public Path file() {
        return file;
    }

    /** Hash of the newest entry: keep it elsewhere to detect removal of the newest entries. */
    public String head() {
        return head;
    }

    public long entries() {
        return seq;
    }

    /** Appends one entry: {@code event} with its details (values: String, Number, Boolean, List). */
    public synchronized void append(String event, Map<String, Object> details) {
        TreeMap<String, Object> e = new TreeMap<>();
        e.put("seq", seq + 1);
        e.put("time", Instant.now().toString());
        e.put("event", event);
        e.put("details", new TreeMap<>(details));
        e.put("prev", head);
        String body = Json.write(e);
        String hash = sha256(body);
        String line = body.substring(0, body.length() - 1) + ",\"hash\":\"" + hash + "\"}\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot append to audit log " + file, ex);
        }
        seq++;
        head = hash;
    }

    /** The result of checking a log: the first broken entry, if any. */
    public record Verification(boolean ok, long entries, String head, long brokenEntry, long brokenLine, String problem) {
    }

    /** Checks the whole chain; names the first entry that does not verify. */
    public static Verification verify(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        String prev = GENESIS;
        long n = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            long entry = n + 1;
            if (line.isEmpty() && i == lines.size() - 1) {
                break;
            }
            int h = line.lastIndexOf(",\"hash\":\"");
            if (h < 0 || !line.endsWith("\"}") || line.length() - h != 9 + 64 + 2) {
                return new Verification(false, n, prev, entry, i + 1, "entry is not a hashed log line");
            }
            String body = line.substring(0, h) + "}";
            String claimed = line.substring(h + 9, h + 9 + 64);
            if (!body.contains("\"prev\":\"" + prev + "\"")) {
                return new Verification(false, n, prev, entry, i + 1, "does not chain to the previous entry");
            }
            if (!body.contains("\"seq\":" + entry + ",")) {
                return new Verification(false, n, prev, entry, i + 1, "sequence number is not " + entry);
            }
            String actual = sha256(new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            if (!actual.equals(claimed)) {
                return new Verification(false, n, prev, entry, i + 1, "content does not match its hash");
            }
            prev = claimed;
            n++;
        }
        return new Verification(true, n, prev, -1, -1, null);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
