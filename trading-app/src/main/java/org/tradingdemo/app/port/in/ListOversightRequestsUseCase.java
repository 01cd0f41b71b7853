package org.tradingdemo.app.port.in;

import java.util.Objects;
import java.util.Optional;

import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageRequest;

/** Approval requests the actor may see, newest first, optionally by status. */
public interface ListOversightRequestsUseCase {

    Page<OversightRequest> list(ListOversightRequestsQuery query);

    record ListOversightRequestsQuery(Actor actor, Optional<OversightStatus> status, PageRequest page) {
        public ListOversightRequestsQuery {
            Objects.requireNonNull(actor, "actor");
            status = status == null ? Optional.empty() : status;
            Objects.requireNonNull(page, "page");
        }

        public static ListOversightRequestsQuery of(Actor actor, String status, String cursor, Integer limit) {
            Validation v = new Validation();
            Optional<OversightStatus> s = v.optional("status", status, OversightStatus::parse);
            PageRequest page = PageCursors.pageRequest(v, cursor, limit);
            v.throwIfInvalid();
            return new ListOversightRequestsQuery(actor, s, page);
        }
    }
}
