package org.tradingdemo.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Something a human should look at, optionally about one agent. Acknowledged once.
 *
 * @param type a short machine-readable kind such as {@code quota_warning} or {@code risk_limit}
 */
public record Alert(AlertId id, AlertSeverity severity, String type, String message, Optional<AgentId> agentId,
                    Instant createdAt, Optional<Instant> acknowledgedAt, Optional<UserId> acknowledgedBy) {

    public static final int MAX_MESSAGE_LENGTH = 1000;
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(createdAt, "createdAt");
        agentId = agentId == null ? Optional.empty() : agentId;
        acknowledgedAt = acknowledgedAt == null ? Optional.empty() : acknowledgedAt;
        acknowledgedBy = acknowledgedBy == null ? Optional.empty() : acknowledgedBy;
        type = requireType(type);
        message = requireMessage(message);
    }

    public static String requireType(String type) {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("type must be 1-64 lower-case letters, digits or _ . : - starting with a letter");
        }
        return type;
    }

    public static String requireMessage(String message) {
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("message is required");
        }
        String m = message.strip();
        if (m.length() > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("message must be at most " + MAX_MESSAGE_LENGTH + " characters");
        }
        return m;
    }

    public static Alert raise(AlertId id, AlertSeverity severity, String type, String message,
                              Optional<AgentId> agentId, Instant now) {
        return new Alert(id, severity, type, message, agentId, now, Optional.empty(), Optional.empty());
    }

    public boolean isAcknowledged() {
        return acknowledgedAt.isPresent();
    }

    public Alert acknowledge(UserId by, Instant now) {
        if (isAcknowledged()) {
            throw new IllegalTransitionException("alert", "acknowledged", "acknowledged");
        }
        return new Alert(id, severity, type, message, agentId, createdAt, Optional.of(now), Optional.of(by));
    }
}
