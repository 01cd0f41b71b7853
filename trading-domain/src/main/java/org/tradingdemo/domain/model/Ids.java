package org.tradingdemo.domain.model;

/** The one rule every identifier follows. */
final class Ids {
    static final int MAX_LENGTH = 64;

    private Ids() {
    }

    static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(name + " must be at most " + MAX_LENGTH + " characters");
        }
        if (!allowed(value)) {
            throw new IllegalArgumentException(name + " may contain only letters, digits and . _ : -");
        }
        return value;
    }

    /** {@code [A-Za-z0-9._:-]+}, checked by hand: ids are made on every trade, so this is hot. */
    private static boolean allowed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
