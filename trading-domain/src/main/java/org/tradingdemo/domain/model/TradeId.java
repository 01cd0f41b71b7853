package org.tradingdemo.domain.model;

/** Identifies a trade. Letters, digits and {@code -_.:}, 1 to 64 characters. */
public record TradeId(String value) {

    public TradeId {
        value = Ids.require(value, "tradeId");
    }

    public static TradeId of(String value) {
        return new TradeId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
