package org.tradingdemo.adapter.sqlite;

import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.mapper.RowMapper;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.AlertRepository;

/** Alerts in the {@code alerts} table, newest first; a trader's view adds the alerts about no agent. */
public final class SqliteAlertRepository implements AlertRepository {

    private static final String COLUMNS = "id, severity, type, message, agent_id, created_at, acknowledged_at,"
            + " acknowledged_by";

    static final RowMapper<Alert> MAPPER = (rs, ctx) -> new Alert(
            AlertId.of(rs.getString("id")),
            AlertSeverity.parse(rs.getString("severity")),
            rs.getString("type"),
            rs.getString("message"),
            Optional.ofNullable(rs.getString("agent_id")).map(AgentId::of),
            Columns.instant(rs.getString("created_at")),
            Columns.optionalInstant(rs.getString("acknowledged_at")),
            Optional.ofNullable(rs.getString("acknowledged_by")).map(UserId::of));

    private final SqliteAccess db;

    SqliteAlertRepository(SqliteAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public void save(Alert alert) {
        Objects.requireNonNull(alert, "alert");
        db.update(h -> h.createUpdate("INSERT INTO alerts (" + COLUMNS + ") VALUES (:id, :severity, :type, :message,"
                        + " :agentId, :createdAt, :acknowledgedAt, :acknowledgedBy)"
                        + " ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, type = excluded.type,"
                        + " message = excluded.message, agent_id = excluded.agent_id, created_at = excluded.created_at,"
                        + " acknowledged_at = excluded.acknowledged_at, acknowledged_by = excluded.acknowledged_by")
                .bind("id", alert.id().value())
                .bind("severity", alert.severity().wireName())
                .bind("type", alert.type())
                .bind("message", alert.message())
                .bind("agentId", Columns.textOrNull(alert.agentId()))
                .bind("createdAt", Columns.instant(alert.createdAt()))
                .bind("acknowledgedAt", Columns.instantOrNull(alert.acknowledgedAt()))
                .bind("acknowledgedBy", Columns.textOrNull(alert.acknowledgedBy()))
                .execute());
    }

    @Override
    public Optional<Alert> findById(AlertId id) {
        Objects.requireNonNull(id, "id");
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM alerts WHERE id = :id")
                .bind("id", id.value())
                .map(MAPPER)
                .findOne());
    }

    @Override
    public Page<Alert> list(AlertQuery query) {
        Objects.requireNonNull(query, "query");
        return db.read(h -> {
            Listing listing = new Listing("SELECT " + COLUMNS + " FROM alerts", "created_at");
            query.acknowledged().ifPresent(ack -> listing.where(ack ? "acknowledged_at IS NOT NULL" : "acknowledged_at IS NULL"));
            listing.where("severity = :severity", "severity", query.severity().map(AlertSeverity::wireName));
            query.agentIds().ifPresent(ids -> {
                if (ids.isEmpty()) {
                    listing.where("agent_id IS NULL");
                } else {
                    listing.whereIn("(agent_id IS NULL OR agent_id IN (<agentIds>))", "agentIds",
                            ids.stream().map(AgentId::value).sorted().toList());
                }
            });
            return listing.page(h, query.page(), MAPPER, a -> new PageCursor(a.createdAt(), a.id().value()));
        });
    }
}
