package org.tradingdemo.domain.port;

import java.util.List;
import java.util.Optional;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageRequest;
import org.tradingdemo.domain.model.UserId;

/** Stores agents. Writes inside {@link Transactions#inTransaction} join that unit of work. */
public interface AgentRepository {

    /** Inserts or replaces the agent with this id. */
    void save(Agent agent);

    Optional<Agent> findById(AgentId id);

    /** Newest first by (createdAt, id), filtered by owner and status when given. */
    Page<Agent> list(AgentQuery query);

    /** Every agent id the user owns (for scoping lists of requests and alerts to a trader). */
    List<AgentId> idsOwnedBy(UserId owner);

    record AgentQuery(Optional<UserId> owner, Optional<AgentStatus> status, PageRequest page) {
        public AgentQuery {
            owner = owner == null ? Optional.empty() : owner;
            status = status == null ? Optional.empty() : status;
            java.util.Objects.requireNonNull(page, "page");
        }
    }
}
