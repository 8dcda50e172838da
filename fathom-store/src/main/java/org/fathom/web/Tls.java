package org.fathom.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A TLS context from PEM files: a certificate chain and an unencrypted PKCS#8 private key (RSA, EC or Ed25519). */
public final class Tls {
    private Tls() {}

    /** @throws IllegalArgumentException in one line naming the file that is wrong and why */
    public static SSLContext context(Path certFile, Path keyFile) {
        List<Certificate> chain = new ArrayList<>();
        try {
            byte[] pem = Files.readAllBytes(certFile);
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            chain.addAll(certs);
        } catch (IOException e) {
            throw new IllegalArgumentException(certFile + ": cannot read the certificate (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(certFile + ": not a PEM certificate (" + e.getMessage() + ")");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(certFile + ": no certificate in the file");
        }
        PrivateKey key = key(keyFile, chain.getFirst().getPublicKey().getAlgorithm());
        try {
            char[] pw = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("fathom", key, pw, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(keyFile + ": the key does not go with the certificate " + certFile + " (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey key(Path keyFile, String algorithm) {
        String text;
        try {
            text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(keyFile + ": cannot read the key (" + e.getMessage() + ")");
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        int b = text.indexOf(begin);
        int e = text.indexOf("-----END PRIVATE KEY-----");
        if (b < 0 || e < b) {
            String hint = text.contains("ENCRYPTED PRIVATE KEY") ? "an encrypted key; decrypt it: openssl pkey -in KEY -out KEY.pem"
                    : text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
                    ? "a PKCS#1/SEC1 key; convert it: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem"
                    : "no '-----BEGIN PRIVATE KEY-----' block";
            throw new IllegalArgumentException(keyFile + ": not an unencrypted PKCS#8 PEM key (" + hint + ")");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException x) {
            throw new IllegalArgumentException(keyFile + ": not a " + algorithm + " private key for the certificate (" + x.getMessage() + ")");
        }
    }
}
