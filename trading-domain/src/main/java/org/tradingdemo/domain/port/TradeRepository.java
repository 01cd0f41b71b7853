package org.tradingdemo.domain.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageRequest;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.TradeStatus;

/** Stores trades; (agentId, clientOrderId) is unique. */
public interface TradeRepository {

    /**
     * Inserts or replaces the trade with this id.
     *
     * @throws DuplicateClientOrderIdException when another trade of the agent holds the client order id
     */
    void save(Trade trade);

    Optional<Trade> findById(TradeId id);

    Optional<Trade> findByClientOrderId(AgentId agentId, ClientOrderId clientOrderId);

    /** Newest first by (submittedAt, id). {@code from} is inclusive, {@code to} exclusive. */
    Page<Trade> list(TradeQuery query);

    /** The agent's trades that are not final ({@code pending}, {@code pending_approval}). */
    List<Trade> findOpen(AgentId agentId);

    record TradeQuery(AgentId agentId, Optional<TradeStatus> status, Optional<Symbol> symbol,
                      Optional<Instant> from, Optional<Instant> to, PageRequest page) {
        public TradeQuery {
            Objects.requireNonNull(agentId, "agentId");
            status = status == null ? Optional.empty() : status;
            symbol = symbol == null ? Optional.empty() : symbol;
            from = from == null ? Optional.empty() : from;
            to = to == null ? Optional.empty() : to;
            Objects.requireNonNull(page, "page");
        }

        public static TradeQuery all(AgentId agentId, PageRequest page) {
            return new TradeQuery(agentId, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), page);
        }

        public boolean matches(Trade t) {
            return t.agentId().equals(agentId)
                    && status.map(s -> s == t.status()).orElse(true)
                    && symbol.map(s -> s.equals(t.symbol())).orElse(true)
                    && from.map(f -> !t.submittedAt().isBefore(f)).orElse(true)
                    && to.map(e -> t.submittedAt().isBefore(e)).orElse(true);
        }
    }
}
