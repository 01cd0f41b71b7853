package org.tradingdemo.domain.model;

public enum AlertSeverity implements WireName {
    INFO, WARNING, CRITICAL;

    public static AlertSeverity parse(String value) {
        return WireName.parse(AlertSeverity.class, value, "severity");
    }
}
