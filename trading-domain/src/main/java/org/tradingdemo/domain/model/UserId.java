package org.tradingdemo.domain.model;

/** Identifies a user: the owner of agents or the actor of a decision. Letters, digits and {@code -_.:}, 1 to 64 characters. */
public record UserId(String value) {

    public UserId {
        value = Ids.require(value, "userId");
    }

    public static UserId of(String value) {
        return new UserId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
