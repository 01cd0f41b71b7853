package org.tradingdemo.adapter.sqlite;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.mapper.RowMapper;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.RiskLevel;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.OversightRequestRepository;

/**
 * Approval requests in {@code oversight_requests}. At most one per trade: a UNIQUE index on
 * {@code trade_id} refuses a second one, reported as {@link IllegalStateException} like the in-memory
 * store does. The expiry sweep and {@link #countPending} read only the partial index of pending
 * requests, however many decided requests pile up.
 */
public final class SqliteOversightRequestRepository implements OversightRequestRepository {

    private static final String COLUMNS = "id, agent_id, trade_id, reason, risk_level, status, created_at, expires_at,"
            + " processed_at, processed_by, comment";

    static final RowMapper<OversightRequest> MAPPER = (rs, ctx) -> new OversightRequest(
            OversightRequestId.of(rs.getString("id")),
            AgentId.of(rs.getString("agent_id")),
            TradeId.of(rs.getString("trade_id")),
            rs.getString("reason"),
            RiskLevel.parse(rs.getString("risk_level")),
            OversightStatus.parse(rs.getString("status")),
            Columns.instant(rs.getString("created_at")),
            Columns.instant(rs.getString("expires_at")),
            Columns.optionalInstant(rs.getString("processed_at")),
            Optional.ofNullable(rs.getString("processed_by")).map(UserId::of),
            Optional.ofNullable(rs.getString("comment")));

    private final SqliteAccess db;

    SqliteOversightRequestRepository(SqliteAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public void save(OversightRequest request) {
        Objects.requireNonNull(request, "request");
        db.update(h -> {
            try {
                h.createUpdate("INSERT INTO oversight_requests (" + COLUMNS + ") VALUES (:id, :agentId, :tradeId, :reason,"
                                + " :riskLevel, :status, :createdAt, :expiresAt, :processedAt, :processedBy, :comment)"
                                + " ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, trade_id = excluded.trade_id,"
                                + " reason = excluded.reason, risk_level = excluded.risk_level, status = excluded.status,"
                                + " created_at = excluded.created_at, expires_at = excluded.expires_at,"
                                + " processed_at = excluded.processed_at, processed_by = excluded.processed_by,"
                                + " comment = excluded.comment")
                        .bind("id", request.id().value())
                        .bind("agentId", request.agentId().value())
                        .bind("tradeId", request.tradeId().value())
                        .bind("reason", request.reason())
                        .bind("riskLevel", request.riskLevel().wireName())
                        .bind("status", request.status().wireName())
                        .bind("createdAt", Columns.instant(request.createdAt()))
                        .bind("expiresAt", Columns.instant(request.expiresAt()))
                        .bind("processedAt", Columns.instantOrNull(request.processedAt()))
                        .bind("processedBy", Columns.textOrNull(request.processedBy()))
                        .bind("comment", request.comment().orElse(null))
                        .execute();
            } catch (RuntimeException e) {
                if (!SqliteAccess.isUniqueViolation(e)) {
                    throw e;
                }
                String holder = h.createQuery("SELECT id FROM oversight_requests WHERE trade_id = :tradeId")
                        .bind("tradeId", request.tradeId().value())
                        .mapTo(String.class)
                        .findOne()
                        .orElse("?");
                throw new IllegalStateException("trade " + request.tradeId() + " already has oversight request "
                        + holder + "; refusing " + request.id());
            }
        });
    }

    @Override
    public Optional<OversightRequest> findById(OversightRequestId id) {
        Objects.requireNonNull(id, "id");
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM oversight_requests WHERE id = :id")
                .bind("id", id.value())
                .map(MAPPER)
                .findOne());
    }

    @Override
    public Optional<OversightRequest> findByTradeId(TradeId tradeId) {
        Objects.requireNonNull(tradeId, "tradeId");
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM oversight_requests WHERE trade_id = :tradeId")
                .bind("tradeId", tradeId.value())
                .map(MAPPER)
                .findOne());
    }

    @Override
    public Page<OversightRequest> list(OversightQuery query) {
        Objects.requireNonNull(query, "query");
        if (query.agentIds().map(java.util.Set::isEmpty).orElse(false)) {
            return Page.empty();
        }
        return db.read(h -> {
            Listing listing = new Listing("SELECT " + COLUMNS + " FROM oversight_requests", "created_at")
                    .where("status = :status", "status", query.status().map(OversightStatus::wireName));
            query.agentIds().ifPresent(ids -> listing.whereIn("agent_id IN (<agentIds>)", "agentIds",
                    ids.stream().map(AgentId::value).sorted().toList()));
            return listing.page(h, query.page(), MAPPER, r -> new PageCursor(r.createdAt(), r.id().value()));
        });
    }

    /** Ties on the deadline are broken by id, so repeated sweeps see a stable order. */
    @Override
    public List<OversightRequest> findOverdue(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM oversight_requests"
                        + " WHERE status = 'pending' AND expires_at <= :now ORDER BY expires_at, id LIMIT :limit")
                .bind("now", Columns.instant(now))
                .bind("limit", limit)
                .map(MAPPER)
                .list());
    }

    @Override
    public long countPending() {
        return db.read(h -> h.createQuery("SELECT count(*) FROM oversight_requests WHERE status = 'pending'")
                .mapTo(Long.class)
                .one());
    }
}
