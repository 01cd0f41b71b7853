package org.tradingdemo.app.port.in;

import java.util.List;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.Trade;

/** The outcome of suspend, resume or terminate. */
public sealed interface AgentStatusResult {

    /** @param cancelledTrades open trades closed by a termination (empty otherwise) */
    record Changed(Agent agent, List<Trade> cancelledTrades) implements AgentStatusResult {
        public Changed {
            cancelledTrades = List.copyOf(cancelledTrades);
        }
    }

    record NotFound() implements AgentStatusResult {
    }

    /** The move is not legal from the current status (e.g. resuming a terminated agent). */
    record Conflict(AgentStatus current, String message) implements AgentStatusResult {
    }

    /**
     * Termination must cancel open approval requests and the oversight service could not be asked:
     * the agent was not moved. Requests the service had already settled before the outage are
     * closed here as it recorded them; retrying finishes the rest.
     */
    record OversightUnavailable(java.time.Duration retryAfter) implements AgentStatusResult {
    }
}
