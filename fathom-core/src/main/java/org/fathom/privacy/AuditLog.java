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

    /** Longest line {@link #verify} reads: an entry is a few hundred bytes; anything longer is not an entry. */
    static final int MAX_LINE = 1 << 20;

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
     * Creating and verifying happen under the same exclusive lock as {@link #append}, so a
     * concurrent run's half-written entry is never read; every append then re-reads the newest
     * entry under the lock, so runs that share a log always chain to the true head.
     *
     * @throws IOException when the file cannot be read or created
     * @throws IllegalArgumentException when the path exists and is not a regular file (a device,
     *         a folder, a pipe): a log must be a file that can be read back and appended to
     * @throws IllegalStateException naming the first broken entry of an existing log
     */
    public static AuditLog open(Path file) throws IOException {
        requireRegularFileOrAbsent(file, "audit log");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        synchronized (AuditLog.class) {   // file locks are per process: one holder at a time within it
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock lock = ch.lock()) {
                requireRegularFileOrAbsent(file, "audit log");   // it may have been swapped since the first look
                Verification v = verify(file);
                if (!v.ok()) {
                    throw new IllegalStateException("audit log " + file + " is broken at entry " + v.brokenEntry() + " (line "
                            + v.brokenLine() + "): " + v.problem() + "; it must be repaired or archived before more runs are logged");
                }
                return new AuditLog(file, v.entries(), v.head());
            }
        }
    }

    /**
     * Refuses a path that exists and is not a regular file (after links): /dev/null, /dev/zero, a
     * folder or a pipe would be read without end, or swallow the entries.
     */
    static void requireRegularFileOrAbsent(Path file, String what) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " " + file + " is not a regular file"
                    + (Files.isDirectory(file) ? " (a folder)" : " (a device, pipe or socket)") + ": name a file");
        }
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
                adoptLastEntry(ch, size);   // under the lock: the true head, whoever appended last
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
                seq++;
                head = hash;
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot append to audit log " + file, ex);
            }
        }
    }

    /** Reads the newest entry (another run may have appended since this one last looked): the chain continues from it. */
    private void adoptLastEntry(FileChannel ch, long size) throws IOException {
        if (size == 0) {
            seq = 0;
            head = GENESIS;
            return;
        }
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

    /**
     * Checks the whole chain; names the first entry that does not verify. Reads line by line in
     * bounded memory: a line longer than {@link #MAX_LINE} is not an entry.
     *
     * @throws IllegalArgumentException when the path is not a regular file
     */
    public static Verification verify(Path file) throws IOException {
        requireRegularFileOrAbsent(file, "audit log");
        String prev = GENESIS;
        long n = 0;
        MessageDigest sha = sha256();
        try (java.io.InputStream in = Files.newInputStream(file)) {
            Lines lines = new Lines(in);
            for (long i = 0; ; i++) {
                if (!lines.next()) {
                    break;
                }
                long entry = n + 1;
                if (lines.length == 0) {
                    if (!lines.next()) {
                        break;   // a blank last line
                    }
                    return new Verification(false, n, prev, entry, i + 1, "entry is not a hashed log line");
                }
                if (lines.length > MAX_LINE) {
                    return new Verification(false, n, prev, entry, i + 1, "entry is not a hashed log line (longer than "
                            + MAX_LINE + " bytes)");
                }
                String problem = check(lines.line, lines.length, entry, prev, sha);
                if (problem != null) {
                    return new Verification(false, n, prev, entry, i + 1, problem);
                }
                prev = new String(lines.line, lines.length - 66, 64, StandardCharsets.ISO_8859_1);
                n++;
            }
        }
        return new Verification(true, n, prev, -1, -1, null);
    }

    /**
     * The file's lines as bytes, read in blocks (the log is read at every start, and grows with
     * every run: a byte at a time it cost a tenth of a second at a thousand entries). At most
     * MAX_LINE + 1 bytes of a line are kept; {@link #length} is the whole line's length.
     */
    private static final class Lines {
        private final java.io.InputStream in;
        private final byte[] block = new byte[64 * 1024];
        private int at;
        private int end;
        byte[] line = new byte[1024];
        int length;

        Lines(java.io.InputStream in) {
            this.in = in;
        }

        /** The next line (without its newline) into line/length; false at the end of the file. */
        boolean next() throws IOException {
            length = 0;
            boolean any = false;
            while (true) {
                if (at == end) {
                    end = in.read(block);
                    at = 0;
                    if (end <= 0) {
                        end = 0;
                        return any;
                    }
                }
                any = true;
                int nl = at;
                while (nl < end && block[nl] != '\n') {
                    nl++;
                }
                keep(nl - at);
                boolean found = nl < end;
                at = found ? nl + 1 : nl;
                if (found) {
                    return true;
                }
            }
        }

        private void keep(int count) {
            int room = MAX_LINE + 1 - Math.min(length, MAX_LINE + 1);
            int take = Math.min(count, room);
            if (take > 0) {
                if (length + take > line.length) {
                    line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE + 1, Math.max(line.length * 2, length + take)));
                }
                System.arraycopy(block, at, line, length, take);
            }
            length += count;
        }
    }

    private static final byte[] HASH_KEY = ",\"hash\":\"".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    /**
     * Null if the line (its first {@code len} bytes) is entry {@code entry} chained to
     * {@code prev}, else what is wrong with it. The hash is over the entry's bytes as written
     * (UTF-8) without its {@code ,"hash":...} member.
     */
    private static String check(byte[] line, int len, long entry, String prev, MessageDigest sha) {
        int h = len - (HASH_KEY.length + 64 + 2);
        if (h < 1 || line[len - 2] != '"' || line[len - 1] != '}' || !startsWith(line, h, HASH_KEY)) {
            return "entry is not a hashed log line";
        }
        for (int i = h + HASH_KEY.length; i < len - 2; i++) {
            if (line[i] == ',') {
                return "entry is not a hashed log line";   // the hash member is not the last one
            }
        }
        if (indexOf(line, h, ("\"prev\":\"" + prev + "\"").getBytes(StandardCharsets.ISO_8859_1)) < 0) {
            return "does not chain to the previous entry";
        }
        if (indexOf(line, h, ("\"seq\":" + entry + ",").getBytes(StandardCharsets.ISO_8859_1)) < 0) {
            return "sequence number is not " + entry;
        }
        sha.reset();
        sha.update(line, 0, h);
        sha.update((byte) '}');
        byte[] d = sha.digest();
        int c = h + HASH_KEY.length;
        for (int i = 0; i < d.length; i++) {
            if (line[c + 2 * i] != HEX[(d[i] >> 4) & 15] || line[c + 2 * i + 1] != HEX[d[i] & 15]) {
                return "content does not match its hash";
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] a, int at, byte[] p) {
        for (int i = 0; i < p.length; i++) {
            if (a[at + i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    /** First index of {@code p} in the first {@code len} bytes of {@code a}, or -1. */
    private static int indexOf(byte[] a, int len, byte[] p) {
        outer:
        for (int i = 0; i + p.length <= len; i++) {
            for (int j = 0; j < p.length; j++) {
                if (a[i + j] != p[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String s) {
        return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
