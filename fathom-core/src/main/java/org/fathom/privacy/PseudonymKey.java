package org.fathom.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/** The master pseudonymisation key: 32 random bytes, hex in a file readable by its owner only. */
final class PseudonymKey {
    private PseudonymKey() {}

    static byte[] loadOrCreate(Path file, AuditLog audit) throws IOException {
        if (Files.exists(file)) {
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
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return loadOrCreate(file, audit); // another process made it first
        }
        Files.writeString(file, HexFormat.of().formatHex(k) + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        audit.append("pseudonym_key_created", Map.of("key_file", file.toAbsolutePath().toString()));
        return k;
    }
}
