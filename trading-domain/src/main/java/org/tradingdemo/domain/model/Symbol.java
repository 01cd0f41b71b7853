package org.tradingdemo.domain.model;

import java.util.regex.Pattern;

/**
 * An instrument symbol: an upper-case letter followed by up to 9 upper-case letters or digits,
 * optionally one {@code .} or {@code /} separated suffix of up to 10 ({@code AAPL}, {@code BRK.B},
 * {@code BTC/USD}); 15 characters at most in all.
 */
public record Symbol(String value) implements Comparable<Symbol> {

    public static final int MAX_LENGTH = 15;
    private static final Pattern FORMAT = Pattern.compile("[A-Z][A-Z0-9]{0,9}(?:[./][A-Z0-9]{1,10})?");

    public Symbol {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("symbol is required");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("symbol must be at most " + MAX_LENGTH + " characters");
        }
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "symbol must be upper-case letters and digits, optionally with one '.' or '/' suffix (AAPL, BRK.B, BTC/USD)");
        }
    }

    public static Symbol of(String value) {
        return new Symbol(value);
    }

    @Override
    public int compareTo(Symbol other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
