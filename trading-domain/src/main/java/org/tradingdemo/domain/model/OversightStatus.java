package org.tradingdemo.domain.model;

/** {@code pending → approved | rejected | expired | cancelled}; every state but pending is final. */
public enum OversightStatus implements WireName {
    PENDING, APPROVED, REJECTED, EXPIRED, CANCELLED;

    public boolean isFinal() {
        return this != PENDING;
    }

    public static OversightStatus parse(String value) {
        return WireName.parse(OversightStatus.class, value, "status");
    }
}
