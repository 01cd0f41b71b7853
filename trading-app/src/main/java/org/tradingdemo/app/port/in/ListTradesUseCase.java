package org.tradingdemo.app.port.in;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageRequest;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeStatus;

/** An agent's trades, newest first, filtered by status, symbol and submission time [from, to). */
public interface ListTradesUseCase {

    /** Empty when the agent does not exist or the actor may not see it. */
    Optional<Page<Trade>> list(ListTradesQuery query);

    record ListTradesQuery(Actor actor, AgentId agentId, Optional<TradeStatus> status, Optional<Symbol> symbol,
                           Optional<Instant> from, Optional<Instant> to, PageRequest page) {
        public ListTradesQuery {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(agentId, "agentId");
            status = status == null ? Optional.empty() : status;
            symbol = symbol == null ? Optional.empty() : symbol;
            from = from == null ? Optional.empty() : from;
            to = to == null ? Optional.empty() : to;
            Objects.requireNonNull(page, "page");
        }

        /** From raw query parameters; times are ISO-8601 instants ({@code 2026-01-31T00:00:00Z}). */
        public static ListTradesQuery of(Actor actor, AgentId agentId, String status, String symbol, String from,
                                         String to, String cursor, Integer limit) {
            Validation v = new Validation();
            Optional<TradeStatus> s = v.optional("status", status, TradeStatus::parse);
            Optional<Symbol> sym = v.optional("symbol", symbol, Symbol::of);
            Optional<Instant> f = v.optional("from", from, ListTradesQuery::instant);
            Optional<Instant> t = v.optional("to", to, ListTradesQuery::instant);
            if (f.isPresent() && t.isPresent()) {
                v.check(f.get().isBefore(t.get()), "to", "to must be after from");
            }
            PageRequest page = PageCursors.pageRequest(v, cursor, limit);
            v.throwIfInvalid();
            return new ListTradesQuery(actor, agentId, s, sym, f, t, page);
        }

        static Instant instant(String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("must be an ISO-8601 UTC instant such as 2026-01-31T00:00:00Z");
            }
        }
    }
}
