package org.tradingdemo.domain.model;

/** How much risk the agent's owner accepts; an input to the risk rules of {@code OversightPolicy}. */
public enum RiskTolerance implements WireName {
    LOW, MEDIUM, HIGH;

    public static RiskTolerance parse(String value) {
        return WireName.parse(RiskTolerance.class, value, "riskTolerance");
    }
}
