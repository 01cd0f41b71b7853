package org.tradingdemo.domain.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageRequest;
import org.tradingdemo.domain.model.TradeId;

/** Stores approval requests; at most one per trade. */
public interface OversightRequestRepository {

    void save(OversightRequest request);

    Optional<OversightRequest> findById(OversightRequestId id);

    Optional<OversightRequest> findByTradeId(TradeId tradeId);

    /** Newest first by (createdAt, id). */
    Page<OversightRequest> list(OversightQuery query);

    /** Pending requests whose {@code expiresAt} is at or before {@code now}, oldest deadline first. */
    List<OversightRequest> findOverdue(Instant now, int limit);

    long countPending();

    /**
     * @param agentIds when present, only requests of these agents (a trader's view)
     */
    record OversightQuery(Optional<OversightStatus> status, Optional<Set<AgentId>> agentIds, PageRequest page) {
        public OversightQuery {
            status = status == null ? Optional.empty() : status;
            agentIds = agentIds == null ? Optional.empty() : agentIds.map(Set::copyOf);
            Objects.requireNonNull(page, "page");
        }

        public boolean matches(OversightRequest r) {
            return status.map(s -> s == r.status()).orElse(true)
                    && agentIds.map(ids -> ids.contains(r.agentId())).orElse(true);
        }
    }
}
