package io.cvimport.customvision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A short, stable name for a secret: the first 16 hex digits of its SHA-256. */
public final class Fingerprint {

    /** Cloned for each use: cheaper than looking the algorithm up among the providers each time. */
    private static final MessageDigest SHA_256 = sha256();

    private Fingerprint() {
    }

    public static String of(String secret) {
        try {
            byte[] digest = ((MessageDigest) SHA_256.clone()).digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        }
        catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
