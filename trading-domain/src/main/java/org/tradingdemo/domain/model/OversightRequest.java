package org.tradingdemo.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A trade waiting for a human. The first decision wins: every transition leaves {@code pending}
 * and none leaves a final state. A decision at or after {@code expiresAt} is refused; the request
 * then only expires.
 */
public record OversightRequest(OversightRequestId id, AgentId agentId, TradeId tradeId, String reason,
                               RiskLevel riskLevel, OversightStatus status, Instant createdAt, Instant expiresAt,
                               Optional<Instant> processedAt, Optional<UserId> processedBy,
                               Optional<String> comment) {

    public static final int MAX_COMMENT_LENGTH = 1000;

    public OversightRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(tradeId, "tradeId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(riskLevel, "riskLevel");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        processedAt = processedAt == null ? Optional.empty() : processedAt;
        processedBy = processedBy == null ? Optional.empty() : processedBy;
        comment = comment == null ? Optional.empty() : comment;
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("expiresAt must be after createdAt");
        }
    }

    public static OversightRequest open(OversightRequestId id, Trade trade, RiskAssessment assessment,
                                        Instant now, java.time.Duration ttl) {
        return new OversightRequest(id, trade.agentId(), trade.id(), assessment.summary(), assessment.level(),
                OversightStatus.PENDING, now, now.plus(ttl), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean isPending() {
        return status == OversightStatus.PENDING;
    }

    /** Pending and past its deadline: only {@link #expire} applies. */
    public boolean isOverdue(Instant now) {
        return isPending() && !now.isBefore(expiresAt);
    }

    /** Whether a human may still decide: pending and not overdue. */
    public boolean isDecidable(Instant now) {
        return isPending() && !isOverdue(now);
    }

    public OversightRequest approve(UserId by, Optional<String> note, Instant now) {
        requireDecidable(OversightStatus.APPROVED, now);
        return close(OversightStatus.APPROVED, now, Optional.of(by), note);
    }

    /** A rejection must say why. */
    public OversightRequest reject(UserId by, String note, Instant now) {
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("comment is required to reject");
        }
        requireDecidable(OversightStatus.REJECTED, now);
        return close(OversightStatus.REJECTED, now, Optional.of(by), Optional.of(note.strip()));
    }

    public OversightRequest expire(Instant now) {
        if (!isOverdue(now)) {
            throw new IllegalTransitionException("oversight request", status.wireName() + " (not overdue)", "expired");
        }
        return close(OversightStatus.EXPIRED, now, Optional.empty(), Optional.empty());
    }

    public OversightRequest cancel(String why, Instant now) {
        if (!isPending()) {
            throw new IllegalTransitionException("oversight request", status.wireName(), "cancelled");
        }
        return close(OversightStatus.CANCELLED, now, Optional.empty(), Optional.ofNullable(why));
    }

    private void requireDecidable(OversightStatus next, Instant now) {
        if (!isPending()) {
            throw new IllegalTransitionException("oversight request", status.wireName(), next.wireName());
        }
        if (isOverdue(now)) {
            throw new IllegalTransitionException("oversight request", "pending (expired at " + expiresAt + ")", next.wireName());
        }
    }

    private OversightRequest close(OversightStatus next, Instant now, Optional<UserId> by, Optional<String> note) {
        Optional<String> clipped = note.map(String::strip)
                .map(n -> n.length() <= MAX_COMMENT_LENGTH ? n : n.substring(0, MAX_COMMENT_LENGTH));
        return new OversightRequest(id, agentId, tradeId, reason, riskLevel, next, createdAt, expiresAt,
                Optional.of(now), by, clipped);
    }
}
