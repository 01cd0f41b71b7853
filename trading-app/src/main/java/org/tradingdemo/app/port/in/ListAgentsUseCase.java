package org.tradingdemo.app.port.in;

import java.util.Objects;
import java.util.Optional;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageRequest;

/** The agents the actor may see, newest first. */
public interface ListAgentsUseCase {

    Page<Agent> list(ListAgentsQuery query);

    record ListAgentsQuery(Actor actor, Optional<AgentStatus> status, PageRequest page) {
        public ListAgentsQuery {
            Objects.requireNonNull(actor, "actor");
            status = status == null ? Optional.empty() : status;
            Objects.requireNonNull(page, "page");
        }

        public static ListAgentsQuery of(Actor actor, String status, String cursor, Integer limit) {
            Validation v = new Validation();
            Optional<AgentStatus> s = v.optional("status", status, AgentStatus::parse);
            PageRequest page = PageCursors.pageRequest(v, cursor, limit);
            v.throwIfInvalid();
            return new ListAgentsQuery(actor, s, page);
        }
    }
}
