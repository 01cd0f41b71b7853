package org.tradingdemo.domain.model;

import java.math.BigDecimal;

/**
 * A strictly positive number of units (shares, coins), up to 8 decimals and at most 1e9.
 * Held in canonical form (no trailing zeros), so {@code 10} and {@code 10.00} are equal.
 */
public record Quantity(BigDecimal value) implements Comparable<Quantity> {

    public Quantity {
        value = Decimals.positive(value, "quantity");
    }

    public static Quantity of(String value) {
        return new Quantity(new BigDecimal(value));
    }

    public static Quantity of(long value) {
        return new Quantity(BigDecimal.valueOf(value));
    }

    public Quantity plus(Quantity other) {
        return new Quantity(value.add(other.value));
    }

    @Override
    public int compareTo(Quantity other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value.toPlainString();
    }
}
