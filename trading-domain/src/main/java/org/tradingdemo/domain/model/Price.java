package org.tradingdemo.domain.model;

import java.math.BigDecimal;

/** A strictly positive USD price per unit, up to 8 decimals and at most 1e9, in canonical form. */
public record Price(BigDecimal value) implements Comparable<Price> {

    public Price {
        value = Decimals.positive(value, "price");
    }

    public static Price of(String value) {
        return new Price(new BigDecimal(value));
    }

    public static Price of(long value) {
        return new Price(BigDecimal.valueOf(value));
    }

    @Override
    public int compareTo(Price other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value.toPlainString();
    }
}
