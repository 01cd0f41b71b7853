package org.tradingdemo.domain.model;

/** Identifies an oversight (approval) request. Letters, digits and {@code -_.:}, 1 to 64 characters. */
public record OversightRequestId(String value) {

    public OversightRequestId {
        value = Ids.require(value, "oversightRequestId");
    }

    public static OversightRequestId of(String value) {
        return new OversightRequestId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
