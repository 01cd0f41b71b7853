package org.tradingdemo.domain.model;

/** Identifies an agent. Letters, digits and {@code -_.:}, 1 to 64 characters. */
public record AgentId(String value) {

    public AgentId {
        value = Ids.require(value, "agentId");
    }

    public static AgentId of(String value) {
        return new AgentId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
