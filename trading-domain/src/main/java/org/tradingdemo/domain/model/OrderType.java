package org.tradingdemo.domain.model;

/** {@code limit} orders carry their price; {@code market} orders may take it from market data. */
public enum OrderType implements WireName {
    MARKET, LIMIT;

    public static OrderType parse(String value) {
        return WireName.parse(OrderType.class, value, "type");
    }
}
