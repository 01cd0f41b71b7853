package org.tradingdemo.domain.model;

import java.math.BigDecimal;

/** Shared checks for the decimal value objects ({@link Quantity}, {@link Price}). */
final class Decimals {
    /** Eight decimals: enough for satoshis and sub-cent crypto prices. */
    static final int MAX_SCALE = 8;
    static final BigDecimal MAX_VALUE = new BigDecimal("1000000000");

    private Decimals() {
    }

    /** Validates a strictly positive decimal with at most 8 decimals and returns its canonical form. */
    static BigDecimal positive(BigDecimal value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.signum() <= 0) {
            throw new IllegalArgumentException(name + " must be greater than 0");
        }
        if (value.compareTo(MAX_VALUE) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + MAX_VALUE.toPlainString());
        }
        BigDecimal canonical = value.stripTrailingZeros();
        if (canonical.scale() > MAX_SCALE) {
            throw new IllegalArgumentException(name + " must have at most " + MAX_SCALE + " decimals");
        }
        return canonical.scale() < 0 ? canonical.setScale(0) : canonical;
    }
}
