package org.tradingdemo.domain.port;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageRequest;

public interface AlertRepository {

    void save(Alert alert);

    Optional<Alert> findById(AlertId id);

    /** Newest first by (createdAt, id). */
    Page<Alert> list(AlertQuery query);

    /**
     * @param agentIds when present, only alerts about these agents plus alerts about no agent (a trader's view)
     */
    record AlertQuery(Optional<Boolean> acknowledged, Optional<AlertSeverity> severity,
                      Optional<Set<AgentId>> agentIds, PageRequest page) {
        public AlertQuery {
            acknowledged = acknowledged == null ? Optional.empty() : acknowledged;
            severity = severity == null ? Optional.empty() : severity;
            agentIds = agentIds == null ? Optional.empty() : agentIds.map(Set::copyOf);
            Objects.requireNonNull(page, "page");
        }

        public boolean matches(Alert a) {
            return acknowledged.map(ack -> ack == a.isAcknowledged()).orElse(true)
                    && severity.map(s -> s == a.severity()).orElse(true)
                    && agentIds.map(ids -> a.agentId().map(ids::contains).orElse(true)).orElse(true);
        }
    }
}
