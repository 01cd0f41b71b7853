package org.tradingdemo.domain.model;

/**
 * <pre>
 * pending ──► executed | pending_approval | rejected | failed | cancelled
 * pending_approval ──► executed | rejected | cancelled | failed
 * executed, rejected, cancelled, failed: final
 * </pre>
 */
public enum TradeStatus implements WireName {
    PENDING, PENDING_APPROVAL, EXECUTED, CANCELLED, REJECTED, FAILED;

    public boolean isFinal() {
        return this == EXECUTED || this == CANCELLED || this == REJECTED || this == FAILED;
    }

    public boolean canMoveTo(TradeStatus next) {
        return switch (this) {
            case PENDING -> next != PENDING;
            case PENDING_APPROVAL -> next == EXECUTED || next == REJECTED || next == CANCELLED || next == FAILED;
            case EXECUTED, CANCELLED, REJECTED, FAILED -> false;
        };
    }

    public static TradeStatus parse(String value) {
        return WireName.parse(TradeStatus.class, value, "status");
    }
}
