package org.tradingdemo.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A person who logs in. The password is never held, only its hash in the hasher's own encoded
 * form (algorithm, parameters, salt and hash).
 */
public record User(UserId id, String username, String passwordHash, Role role, Instant createdAt) {

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,31}");

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
        username = requireUsername(username);
        if (passwordHash == null || passwordHash.isBlank()) {
            throw new IllegalArgumentException("passwordHash is required");
        }
    }

    /** 2 to 32 characters: lower-case letters, digits and {@code . _ -}, starting with a letter or digit. */
    public static String requireUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException(
                    "username must be 2-32 lower-case letters, digits or . _ - starting with a letter or digit");
        }
        return username;
    }

    /** Never prints the hash. */
    @Override
    public String toString() {
        return "User[id=" + id + ", username=" + username + ", role=" + role.wireName() + "]";
    }
}
