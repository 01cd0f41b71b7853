package org.tradingdemo.adapter.rest;

import java.math.BigDecimal;

/**
 * The JSON request bodies, read strictly by {@link JsonSupport#read}. Every field is boxed and
 * nullable on purpose: a missing field reaches the command factory, which reports it together with
 * every other invalid field instead of failing on the first.
 */
public final class RequestBodies {

    private RequestBodies() {
    }

    /** POST /api/v1/agents. */
    public record CreateAgentRequest(String name, BigDecimal budget, String strategy, String riskTolerance,
                                     BigDecimal maxPositionSize) {
    }

    /** POST /api/v1/agents/{id}/trades. */
    public record SubmitTradeRequest(String symbol, String side, BigDecimal quantity, BigDecimal price, String type,
                                     String clientOrderId) {
    }

    /** POST /api/v1/trades/{id}/cancel (optional body). */
    public record CancelTradeRequest(String reason) {
    }

    /** POST /api/v1/oversight/requests/{id}/approve|reject (optional for approve; reject needs the comment). */
    public record DecisionRequest(String comment) {
    }

    /** POST /api/v1/alerts. */
    public record RaiseAlertRequest(String severity, String type, String message, String agentId) {
    }
}
