package org.tradingdemo.domain.model;

/** How an agent trades; an input to the risk rules of {@code OversightPolicy}. */
public enum Strategy implements WireName {
    CONSERVATIVE, BALANCED, AGGRESSIVE;

    public static Strategy parse(String value) {
        return WireName.parse(Strategy.class, value, "strategy");
    }
}
