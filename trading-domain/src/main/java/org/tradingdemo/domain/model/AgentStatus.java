package org.tradingdemo.domain.model;

/** {@code active ↔ suspended → terminated}; terminated is final. */
public enum AgentStatus implements WireName {
    ACTIVE, SUSPENDED, TERMINATED;

    public boolean canMoveTo(AgentStatus next) {
        return switch (this) {
            case ACTIVE -> next == SUSPENDED || next == TERMINATED;
            case SUSPENDED -> next == ACTIVE || next == TERMINATED;
            case TERMINATED -> false;
        };
    }

    public static AgentStatus parse(String value) {
        return WireName.parse(AgentStatus.class, value, "status");
    }
}
