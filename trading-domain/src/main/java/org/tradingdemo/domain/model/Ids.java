package org.tradingdemo.domain.model;

import java.util.regex.Pattern;

/** The one rule every identifier follows. */
final class Ids {
    static final int MAX_LENGTH = 64;
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private Ids() {
    }

    static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(name + " must be at most " + MAX_LENGTH + " characters");
        }
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " may contain only letters, digits and . _ : -");
        }
        return value;
    }
}
