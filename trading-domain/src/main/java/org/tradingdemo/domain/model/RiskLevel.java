package org.tradingdemo.domain.model;

/** The risk of one trade as judged by the oversight policy. */
public enum RiskLevel implements WireName {
    LOW, MEDIUM, HIGH;

    public RiskLevel max(RiskLevel other) {
        return compareTo(other) >= 0 ? this : other;
    }

    public static RiskLevel parse(String value) {
        return WireName.parse(RiskLevel.class, value, "riskLevel");
    }
}
