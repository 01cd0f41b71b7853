package org.tradingdemo.domain.port;

/** One-way password hashing with a per-password salt; the encoded hash names its own parameters. */
public interface PasswordHasher {

    String hash(char[] password);

    /** Constant-time comparison; false for a hash this hasher cannot read. */
    boolean matches(char[] password, String encodedHash);
}
