package org.tradingdemo.launcher;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A configured secret (the JWT key, a demo password). Not a record on purpose: a record's
 * {@code toString}, {@code equals} and accessor would all hand the value out. This one prints as
 * {@code ****} and gives the value only to the code that needs it.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The UTF-8 bytes (a fresh copy): how a key given as text becomes an HMAC key. */
    public byte[] utf8() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** The characters (a fresh copy), for password hashing. */
    public char[] chars() {
        return value.toCharArray();
    }

    /** The text, for the one place that must show it (the first-start credentials). */
    public String reveal() {
        return value;
    }

    public int byteLength() {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public String toString() {
        return "****";
    }
}
