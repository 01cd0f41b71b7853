package org.tradingdemo.domain.model;

import java.util.List;
import java.util.Objects;

/**
 * The oversight verdict on one trade.
 *
 * @param requiresApproval true when a human must decide before the trade executes
 * @param reasons          every rule that fired, in the order checked; empty for an ordinary trade
 */
public record RiskAssessment(RiskLevel level, boolean requiresApproval, List<String> reasons) {

    public RiskAssessment {
        Objects.requireNonNull(level, "level");
        reasons = List.copyOf(reasons);
    }

    public static RiskAssessment autonomous(RiskLevel level) {
        return new RiskAssessment(level, false, List.of());
    }

    /** One line for the approver: every reason, or a default. */
    public String summary() {
        return reasons.isEmpty() ? "manual review requested" : String.join("; ", reasons);
    }
}
