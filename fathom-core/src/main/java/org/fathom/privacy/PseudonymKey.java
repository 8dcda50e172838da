package org.fathom.privacy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/** The master pseudonymisation key: 32 random bytes, hex in a file readable by its owner only. */
final class PseudonymKey {
    private PseudonymKey() {}

    static byte[] loadOrCreate(Path file, AuditLog audit) throws IOException {
        AuditLog.requireRegularFileOrAbsent(file, "pseudonymisation key");
        if (Files.exists(file)) {
            return load(file);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        // Written whole to a temporary file beside it, then linked into place: a concurrent run
        // sees either no key or the complete key, never an empty or half-written file, and when
        // two runs create one at once, exactly one link succeeds and the other run uses that key.
        Path tmp;
        try {
            tmp = Files.createTempFile(parent, ".pseudonym-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(parent, ".pseudonym-", ".tmp");
        }
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap((HexFormat.of().formatHex(k) + "\n").getBytes(StandardCharsets.US_ASCII));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                return load(file); // another run made it first: use that one
            } catch (UnsupportedOperationException | IOException e) {
                if (Files.exists(file)) {
                    return load(file);
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE); // no hard links here: rename into place
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        audit.append("pseudonym_key_created", Map.of("key_file", file.toAbsolutePath().toString()));
        return k;
    }

    private static byte[] load(Path file) throws IOException {
        AuditLog.requireRegularFileOrAbsent(file, "pseudonymisation key");
        if (Files.size(file) > 1024) {
            throw new IOException("pseudonymisation key " + file + " is not 64 hex digits");
        }
        String hex = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            byte[] k = HexFormat.of().parseHex(hex);
            if (k.length != 32) {
                throw new IllegalArgumentException();
            }
            return k;
        } catch (IllegalArgumentException e) {
            throw new IOException("pseudonymisation key " + file + " is not 64 hex digits");
        }
    }
}
