package org.tradingdemo.domain.model;

/** Identifies an alert. Letters, digits and {@code -_.:}, 1 to 64 characters. */
public record AlertId(String value) {

    public AlertId {
        value = Ids.require(value, "alertId");
    }

    public static AlertId of(String value) {
        return new AlertId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
