package org.crossl.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex SHA-256 of strings, for keys that tie saved state (checkpoints, evaluation progress) to the config and data that made it. */
public final class Fingerprint {
    private Fingerprint() {
    }

    /** The parts are separated by a zero byte, so ("ab", "c") and ("a", "bc") differ. */
    public static String sha256(String... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                d.update(p.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
