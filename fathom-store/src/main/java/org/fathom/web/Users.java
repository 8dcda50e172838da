package org.fathom.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The dashboard's users: a file of lines {@code NAME:pbkdf2-sha256:ITERATIONS:SALT:HASH} (salt
 * and hash in base64; '#' comments and blank lines ignored), made with {@code fathom passwd NAME}.
 * Passwords are checked with PBKDF2-HMAC-SHA256 from the JDK, compared in constant time.
 */
public final class Users {
    public static final String SCHEME = "pbkdf2-sha256";
    public static final int DEFAULT_ITERATIONS = 310_000;
    static final int MIN_ITERATIONS = 10_000;
    static final int MAX_ITERATIONS = 10_000_000;
    static final int MAX_USERS = 10_000;

    private record Entry(int iterations, byte[] salt, byte[] hash) {}

    private final Map<String, Entry> users;
    /** A hash to check unknown names against, so a wrong name costs as long as a wrong password. */
    private final Entry decoy;

    private Users(Map<String, Entry> users) {
        this.users = users;
        this.decoy = new Entry(DEFAULT_ITERATIONS, new byte[16], new byte[32]);
    }

    /**
     * Reads a users file.
     *
     * @throws IllegalArgumentException naming the file and line of a bad entry
     */
    public static Users load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file (users file)");
        }
        if (Files.size(file) > 4 << 20) {
            throw new IllegalArgumentException(file + ": too large for a users file");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Entry> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1) + ": ";
            String[] f = line.split(":", -1);
            if (f.length != 5 || f[0].isEmpty()) {
                throw new IllegalArgumentException(where + "expected NAME:" + SCHEME + ":ITERATIONS:SALT:HASH (make one with 'fathom passwd NAME')");
            }
            if (!f[1].equals(SCHEME)) {
                throw new IllegalArgumentException(where + "unknown password scheme '" + f[1] + "' (only " + SCHEME + ")");
            }
            int it;
            byte[] salt;
            byte[] hash;
            try {
                it = Integer.parseInt(f[2]);
                salt = Base64.getDecoder().decode(f[3]);
                hash = Base64.getDecoder().decode(f[4]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "bad iterations, salt or hash (" + e.getMessage() + ")");
            }
            if (it < MIN_ITERATIONS || it > MAX_ITERATIONS) {
                throw new IllegalArgumentException(where + "iterations must be between " + MIN_ITERATIONS + " and " + MAX_ITERATIONS);
            }
            if (salt.length < 8 || hash.length < 16) {
                throw new IllegalArgumentException(where + "salt or hash too short");
            }
            if (users.put(f[0], new Entry(it, salt, hash)) != null) {
                throw new IllegalArgumentException(where + "user '" + f[0] + "' given twice");
            }
            if (users.size() > MAX_USERS) {
                throw new IllegalArgumentException(where + "more than " + MAX_USERS + " users");
            }
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(file + ": no users in the file");
        }
        return new Users(users);
    }

    /** Whether the name and password match an entry. */
    public boolean check(String name, String password) {
        Entry e = users.get(name);
        Entry against = e == null ? decoy : e;   // the decoy costs the default rounds
        byte[] h = pbkdf2(password, against.salt(), against.iterations(), against.hash().length);
        return MessageDigest.isEqual(h, against.hash()) && e != null;
    }

    /** A users-file line for {@code name} with a fresh salt. */
    public static String line(String name, String password) {
        return line(name, password, DEFAULT_ITERATIONS);
    }

    /** A users-file line with {@code iterations} rounds (at least {@value #MIN_ITERATIONS}; tests use few). */
    public static String line(String name, String password, int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be between " + MIN_ITERATIONS + " and " + MAX_ITERATIONS);
        }
        if (name.isEmpty() || name.contains(":") || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a user name must be non-empty, without ':' or white space");
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, iterations, 32);
        return name + ":" + SCHEME + ":" + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash);
    }

    static byte[] pbkdf2(String password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
