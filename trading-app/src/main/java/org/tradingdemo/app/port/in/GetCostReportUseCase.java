package org.tradingdemo.app.port.in;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Costs of the agents the actor may see over a time range (default: the current UTC month). */
public interface GetCostReportUseCase {

    CostReport costs(CostQuery query);

    record CostQuery(Actor actor, Optional<Instant> from, Optional<Instant> to) {
        public CostQuery {
            Objects.requireNonNull(actor, "actor");
            from = from == null ? Optional.empty() : from;
            to = to == null ? Optional.empty() : to;
        }

        public static CostQuery of(Actor actor, String from, String to) {
            Validation v = new Validation();
            Optional<Instant> f = v.optional("from", from, ListTradesUseCase.ListTradesQuery::instant);
            Optional<Instant> t = v.optional("to", to, ListTradesUseCase.ListTradesQuery::instant);
            if (f.isPresent() && t.isPresent()) {
                v.check(f.get().isBefore(t.get()), "to", "to must be after from");
            }
            v.throwIfInvalid();
            return new CostQuery(actor, f, t);
        }
    }
}
