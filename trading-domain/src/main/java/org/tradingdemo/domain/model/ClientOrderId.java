package org.tradingdemo.domain.model;

/**
 * The caller's own id for an order (or its {@code Idempotency-Key}); the same value for the same
 * agent always returns the original trade. Letters, digits and {@code -_.:}, 1 to 64 characters.
 */
public record ClientOrderId(String value) {

    public ClientOrderId {
        value = Ids.require(value, "clientOrderId");
    }

    public static ClientOrderId of(String value) {
        return new ClientOrderId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
