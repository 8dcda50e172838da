package org.fathom.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
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
    /** Size of the file after this instance's last look at it: any other size means another writer appended. */
    private long knownSize;

    private AuditLog(Path file, long seq, String head) throws IOException {
        this.file = file;
        this.seq = seq;
        this.head = head;
        this.knownSize = Files.size(file);
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

    /**
     * Appends one entry: {@code event} with its details (values: String, Number, Boolean, List).
     * Several processes (and several instances in one process) may share a log: the append holds
     * an exclusive lock on the file and chains to whatever entry is last at that moment.
     */
    public void append(String event, Map<String, Object> details) {
        synchronized (AuditLog.class) {   // file locks are per process: one holder at a time within it
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock lock = ch.lock()) {
                long size = ch.size();
                if (size != knownSize) {
                    adoptLastEntry(ch, size);
                }
                TreeMap<String, Object> e = new TreeMap<>();
                e.put("seq", seq + 1);
                e.put("time", Instant.now().toString());
                e.put("event", event);
                e.put("details", new TreeMap<>(details));
                e.put("prev", head);
                String body = Json.write(e);
                String hash = sha256(body);
                byte[] line = (body.substring(0, body.length() - 1) + ",\"hash\":\"" + hash + "\"}\n").getBytes(StandardCharsets.UTF_8);
                ByteBuffer buf = ByteBuffer.wrap(line);
                long at = size;
                while (buf.hasRemaining()) {
                    at += ch.write(buf, at);
                }
                ch.force(true);
                knownSize = at;
                seq++;
                head = hash;
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot append to audit log " + file, ex);
            }
        }
    }

    /** Another writer appended since this instance last looked: continue the chain from its last entry. */
    private void adoptLastEntry(FileChannel ch, long size) throws IOException {
        int tail = (int) Math.min(size, 64 * 1024);
        ByteBuffer b = ByteBuffer.allocate(tail);
        while (b.hasRemaining() && ch.read(b, size - tail + b.position()) > 0) {
            // read the tail of the file
        }
        String text = new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1);
        int end = text.endsWith("\n") ? text.length() - 1 : text.length();
        String last = text.substring(text.lastIndexOf('\n', end - 1) + 1, end);
        int h = last.lastIndexOf(",\"hash\":\"");
        int q = last.indexOf("\"seq\":");
        if (last.isEmpty()) {
            seq = 0;
            head = GENESIS;
            return;
        }
        if (h < 0 || q < 0 || last.length() - h != 9 + 64 + 2) {
            throw new IllegalStateException("audit log " + file + " ends in a line that is not a hashed log entry");
        }
        int d = q + 6;
        int e = d;
        while (e < last.length() && Character.isDigit(last.charAt(e))) {
            e++;
        }
        seq = Long.parseLong(last.substring(d, e));
        head = last.substring(h + 9, h + 9 + 64);
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
