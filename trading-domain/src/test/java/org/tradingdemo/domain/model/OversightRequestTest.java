package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.domain.model.ModelTestData.AGENT;
import static org.tradingdemo.domain.model.ModelTestData.APPROVER;
import static org.tradingdemo.domain.model.ModelTestData.T0;
import static org.tradingdemo.domain.model.ModelTestData.buy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OversightRequestTest {

    private static final Duration TTL = Duration.ofMinutes(30);
    private static final Instant EXPIRES = T0.plus(TTL);
    private static final Instant BEFORE_EXPIRY = EXPIRES.minusNanos(1);
    private static final Instant AFTER_EXPIRY = EXPIRES.plusSeconds(1);
    private static final Trade TRADE = buy("trade-1", "1000", "60").awaitApproval("res-1");
    private static final RiskAssessment ASSESSMENT = new RiskAssessment(RiskLevel.MEDIUM, true,
            List.of("amount 60000.00 exceeds the approval threshold of 50000.00"));

    private static OversightRequest pending() {
        return OversightRequest.open(OversightRequestId.of("req-1"), TRADE, ASSESSMENT, T0, TTL);
    }

    enum Action {
        APPROVE, REJECT, EXPIRE, CANCEL;

        OversightRequest apply(OversightRequest r) {
            return switch (this) {
                case APPROVE -> r.approve(APPROVER, Optional.of("ok"), T0.plusSeconds(10));
                case REJECT -> r.reject(APPROVER, "too big", T0.plusSeconds(10));
                case EXPIRE -> r.expire(AFTER_EXPIRY);
                case CANCEL -> r.cancel("agent terminated", T0.plusSeconds(10));
            };
        }

        OversightStatus result() {
            return switch (this) {
                case APPROVE -> OversightStatus.APPROVED;
                case REJECT -> OversightStatus.REJECTED;
                case EXPIRE -> OversightStatus.EXPIRED;
                case CANCEL -> OversightStatus.CANCELLED;
            };
        }
    }

    @Test
    void opensPendingForTheTrade() {
        OversightRequest r = pending();
        assertEquals(OversightRequestId.of("req-1"), r.id());
        assertEquals(AGENT, r.agentId());
        assertEquals(TRADE.id(), r.tradeId());
        assertEquals(ASSESSMENT.summary(), r.reason());
        assertEquals(RiskLevel.MEDIUM, r.riskLevel());
        assertEquals(OversightStatus.PENDING, r.status());
        assertEquals(T0, r.createdAt());
        assertEquals(EXPIRES, r.expiresAt());
        assertEquals(Optional.empty(), r.processedAt());
        assertEquals(Optional.empty(), r.processedBy());
        assertEquals(Optional.empty(), r.comment());
        assertTrue(r.isPending());
    }

    @Test
    void opensWithTheDefaultReasonWhenNoRuleFired() {
        OversightRequest r = OversightRequest.open(OversightRequestId.of("req-2"), TRADE,
                new RiskAssessment(RiskLevel.HIGH, true, List.of()), T0, TTL);
        assertEquals("manual review requested", r.reason());
        assertEquals(RiskLevel.HIGH, r.riskLevel());
    }

    @Test
    void expiryMustBeAfterCreation() {
        assertThrows(IllegalArgumentException.class,
                () -> OversightRequest.open(OversightRequestId.of("r"), TRADE, ASSESSMENT, T0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> OversightRequest.open(OversightRequestId.of("r"), TRADE, ASSESSMENT, T0, Duration.ofSeconds(-1)));
        assertEquals(T0.plusNanos(1),
                OversightRequest.open(OversightRequestId.of("r"), TRADE, ASSESSMENT, T0, Duration.ofNanos(1)).expiresAt());
    }

    @Test
    void approveRecordsWhoWhenAndNote() {
        Instant at = T0.plusSeconds(5);
        OversightRequest r = pending().approve(APPROVER, Optional.of("  looks fine  "), at);
        assertEquals(OversightStatus.APPROVED, r.status());
        assertEquals(Optional.of(at), r.processedAt());
        assertEquals(Optional.of(APPROVER), r.processedBy());
        assertEquals(Optional.of("looks fine"), r.comment());
        assertFalse(r.isPending());
        assertTrue(r.status().isFinal());
    }

    @Test
    void approveWithoutNote() {
        OversightRequest r = pending().approve(APPROVER, Optional.empty(), T0.plusSeconds(5));
        assertEquals(Optional.empty(), r.comment());
    }

    @Test
    void rejectRecordsTheStrippedComment() {
        Instant at = T0.plusSeconds(5);
        OversightRequest r = pending().reject(APPROVER, "  too concentrated ", at);
        assertEquals(OversightStatus.REJECTED, r.status());
        assertEquals(Optional.of("too concentrated"), r.comment());
        assertEquals(Optional.of(APPROVER), r.processedBy());
        assertEquals(Optional.of(at), r.processedAt());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "   ", "\t\n"})
    void rejectNeedsAComment(String note) {
        OversightRequest r = pending();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.reject(APPROVER, note, T0.plusSeconds(5)));
        assertEquals("comment is required to reject", e.getMessage());
    }

    @Test
    void commentIsClippedTo1000Characters() {
        OversightRequest r = pending().reject(APPROVER, "c".repeat(1500), T0.plusSeconds(5));
        assertEquals(1000, r.comment().orElseThrow().length());
    }

    @Test
    void cancelFromPending() {
        Instant at = T0.plusSeconds(5);
        OversightRequest r = pending().cancel("agent terminated", at);
        assertEquals(OversightStatus.CANCELLED, r.status());
        assertEquals(Optional.of("agent terminated"), r.comment());
        assertEquals(Optional.of(at), r.processedAt());
        assertEquals(Optional.empty(), r.processedBy());
        assertEquals(Optional.empty(), pending().cancel(null, at).comment());
    }

    @Test
    void cancelIsAllowedEvenWhenOverdue() {
        assertEquals(OversightStatus.CANCELLED, pending().cancel("shutdown", AFTER_EXPIRY).status());
    }

    @Test
    void decisionJustBeforeExpiryIsAccepted() {
        assertEquals(OversightStatus.APPROVED, pending().approve(APPROVER, Optional.empty(), BEFORE_EXPIRY).status());
        assertEquals(OversightStatus.REJECTED, pending().reject(APPROVER, "no", BEFORE_EXPIRY).status());
        assertTrue(pending().isDecidable(BEFORE_EXPIRY));
        assertFalse(pending().isOverdue(BEFORE_EXPIRY));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 3600})
    void decisionAtOrAfterExpiryIsRefused(long secondsAfterExpiry) {
        Instant at = EXPIRES.plusSeconds(secondsAfterExpiry);
        OversightRequest r = pending();
        assertTrue(r.isOverdue(at));
        assertFalse(r.isDecidable(at));
        assertThrows(IllegalTransitionException.class, () -> r.approve(APPROVER, Optional.empty(), at));
        assertThrows(IllegalTransitionException.class, () -> r.reject(APPROVER, "no", at));
        assertTrue(r.isPending(), "a refused decision changes nothing");
    }

    @Test
    void expireOnlyWhenOverdue() {
        OversightRequest r = pending();
        IllegalTransitionException early = assertThrows(IllegalTransitionException.class, () -> r.expire(BEFORE_EXPIRY));
        assertEquals("expired", early.to());
        assertThrows(IllegalTransitionException.class, () -> r.expire(T0));

        OversightRequest atDeadline = r.expire(EXPIRES);
        assertEquals(OversightStatus.EXPIRED, atDeadline.status());
        assertEquals(Optional.of(EXPIRES), atDeadline.processedAt());
        assertEquals(Optional.empty(), atDeadline.processedBy());
        assertEquals(Optional.empty(), atDeadline.comment());

        assertEquals(Optional.of(AFTER_EXPIRY), r.expire(AFTER_EXPIRY).processedAt());
    }

    @ParameterizedTest(name = "{0} then {1} is a conflict")
    @CsvSource({
            "APPROVE, APPROVE", "APPROVE, REJECT", "APPROVE, EXPIRE", "APPROVE, CANCEL",
            "REJECT, APPROVE", "REJECT, REJECT", "REJECT, EXPIRE", "REJECT, CANCEL",
            "EXPIRE, APPROVE", "EXPIRE, REJECT", "EXPIRE, EXPIRE", "EXPIRE, CANCEL",
            "CANCEL, APPROVE", "CANCEL, REJECT", "CANCEL, EXPIRE", "CANCEL, CANCEL"
    })
    void firstDecisionWins(Action first, Action second) {
        OversightRequest decided = first.apply(pending());
        assertEquals(first.result(), decided.status());
        assertFalse(decided.isPending());
        assertFalse(decided.isOverdue(AFTER_EXPIRY), "only pending requests are overdue");
        assertFalse(decided.isDecidable(T0));
        assertThrows(IllegalTransitionException.class, () -> second.apply(decided));
    }

    @Test
    void secondDecisionNamesTheCurrentState() {
        OversightRequest approved = pending().approve(APPROVER, Optional.empty(), T0.plusSeconds(1));
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                () -> approved.reject(APPROVER, "changed my mind", T0.plusSeconds(2)));
        assertEquals("approved", e.from());
        assertEquals("rejected", e.to());
    }

    @ParameterizedTest
    @EnumSource(OversightStatus.class)
    void onlyPendingIsOpen(OversightStatus status) {
        assertEquals(status != OversightStatus.PENDING, status.isFinal());
    }

    @Test
    void constructorNormalisesNullOptionals() {
        OversightRequest r = new OversightRequest(OversightRequestId.of("r"), AGENT, TRADE.id(), "why", RiskLevel.LOW,
                OversightStatus.PENDING, T0, EXPIRES, null, null, null);
        assertEquals(Optional.empty(), r.processedAt());
        assertEquals(Optional.empty(), r.processedBy());
        assertEquals(Optional.empty(), r.comment());
    }
}
