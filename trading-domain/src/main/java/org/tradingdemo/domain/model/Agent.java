package org.tradingdemo.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A trading agent owned by a user. Immutable: every transition returns the next snapshot and
 * refuses illegal moves ({@code active ↔ suspended → terminated}; terminated is final).
 */
public record Agent(AgentId id, String name, AgentStatus status, AgentConfig config, UserId userId,
                    Instant createdAt, Instant updatedAt) {

    public static final int MAX_NAME_LENGTH = 100;
    /** The only agent type of this service, shown on the wire as {@code "type": "trading"}. */
    public static final String TYPE = "trading";

    public Agent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        name = requireName(name);
    }

    /** Validates an agent name: 1 to 100 characters after trimming, no control characters. */
    public static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is required");
        }
        String trimmed = name.strip();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("name must not contain control characters");
        }
        return trimmed;
    }

    public static Agent create(AgentId id, String name, AgentConfig config, UserId owner, Instant now) {
        return new Agent(id, name, AgentStatus.ACTIVE, config, owner, now, now);
    }

    public boolean isActive() {
        return status == AgentStatus.ACTIVE;
    }

    public boolean isOwnedBy(UserId user) {
        return userId.equals(user);
    }

    public boolean canMoveTo(AgentStatus next) {
        return status.canMoveTo(next);
    }

    public Agent suspend(Instant now) {
        return moveTo(AgentStatus.SUSPENDED, now);
    }

    public Agent resume(Instant now) {
        return moveTo(AgentStatus.ACTIVE, now);
    }

    /** Final. The caller (use case) also cancels the agent's open trades in the same transaction. */
    public Agent terminate(Instant now) {
        return moveTo(AgentStatus.TERMINATED, now);
    }

    private Agent moveTo(AgentStatus next, Instant now) {
        if (!status.canMoveTo(next)) {
            throw new IllegalTransitionException("agent", status.wireName(), next.wireName());
        }
        return new Agent(id, name, next, config, userId, createdAt, now);
    }
}
