package org.tradingdemo.app.port.in;

import java.util.Objects;
import java.util.Optional;

import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Trade;

/**
 * A human (or the oversight service) approves or rejects a pending request. Approve executes the
 * trade as the autonomous path would; reject releases its reservation. The first decision wins.
 */
public interface DecideOversightRequestUseCase {

    DecisionResult decide(DecideCommand command);

    enum Decision { APPROVE, REJECT }

    /** A rejection needs a comment (why), at most 1,000 characters. */
    record DecideCommand(Actor actor, OversightRequestId requestId, Decision decision, Optional<String> comment) {
        public DecideCommand {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(decision, "decision");
            comment = comment == null ? Optional.empty() : comment.map(String::strip).filter(c -> !c.isEmpty());
            Validation v = new Validation();
            v.check(decision != Decision.REJECT || comment.isPresent(), "comment", "comment is required to reject");
            v.check(comment.map(c -> c.length() <= OversightRequest.MAX_COMMENT_LENGTH).orElse(true), "comment",
                    "comment must be at most " + OversightRequest.MAX_COMMENT_LENGTH + " characters");
            v.throwIfInvalid();
        }
    }

    sealed interface DecisionResult {
    }

    record Approved(OversightRequest request, Trade trade, Portfolio portfolio) implements DecisionResult {
    }

    record Rejected(OversightRequest request, Trade trade) implements DecisionResult {
    }

    record NotFound() implements DecisionResult {
    }

    /** Approvers may not decide on trades of their own agents. */
    record SelfDecisionForbidden() implements DecisionResult {
    }

    /**
     * Someone decided first (here or at the oversight service), or the request expired or was
     * cancelled; {@code request} is how it really ended, already applied to its trade.
     */
    record AlreadyClosed(OversightRequest request) implements DecisionResult {
    }

    /** The oversight service could not record the decision; nothing changed. */
    record OversightUnavailable(java.time.Duration retryAfter) implements DecisionResult {
    }
}
