package org.tradingdemo.domain.model;

/** The kinds of metered event. Only {@code trade_executed} counts towards the trading-volume quota. */
public enum UsageType implements WireName {
    AGENT_CREATED, TRADE_EXECUTED, OVERSIGHT_REQUESTED, API_CALL;

    public static UsageType parse(String value) {
        return WireName.parse(UsageType.class, value, "type");
    }
}
