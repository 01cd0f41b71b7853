package org.tradingdemo.adapter.sqlite;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.mapper.RowMapper;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentConfig;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.AgentRepository;

/** Agents in the {@code agents} table; lists walk {@code agents_newest} or {@code agents_owner_newest}. */
public final class SqliteAgentRepository implements AgentRepository {

    private static final String COLUMNS = "id, name, status, budget, strategy, risk_tolerance, max_position_size, "
            + "user_id, created_at, updated_at";

    static final RowMapper<Agent> MAPPER = (rs, ctx) -> new Agent(
            AgentId.of(rs.getString("id")),
            rs.getString("name"),
            AgentStatus.parse(rs.getString("status")),
            new AgentConfig(Columns.money(rs.getString("budget")), Strategy.parse(rs.getString("strategy")),
                    RiskTolerance.parse(rs.getString("risk_tolerance")),
                    Optional.ofNullable(rs.getString("max_position_size")).map(Columns::money)),
            UserId.of(rs.getString("user_id")),
            Columns.instant(rs.getString("created_at")),
            Columns.instant(rs.getString("updated_at")));

    private final SqliteAccess db;

    SqliteAgentRepository(SqliteAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public void save(Agent agent) {
        Objects.requireNonNull(agent, "agent");
        db.update(h -> h.createUpdate("INSERT INTO agents (" + COLUMNS + ") VALUES (:id, :name, :status, :budget,"
                        + " :strategy, :riskTolerance, :maxPositionSize, :userId, :createdAt, :updatedAt)"
                        + " ON CONFLICT (id) DO UPDATE SET name = excluded.name, status = excluded.status,"
                        + " budget = excluded.budget, strategy = excluded.strategy, risk_tolerance = excluded.risk_tolerance,"
                        + " max_position_size = excluded.max_position_size, user_id = excluded.user_id,"
                        + " created_at = excluded.created_at, updated_at = excluded.updated_at")
                .bind("id", agent.id().value())
                .bind("name", agent.name())
                .bind("status", agent.status().wireName())
                .bind("budget", Columns.money(agent.config().budget()))
                .bind("strategy", agent.config().strategy().wireName())
                .bind("riskTolerance", agent.config().riskTolerance().wireName())
                .bind("maxPositionSize", Columns.moneyOrNull(agent.config().maxPositionSize()))
                .bind("userId", agent.userId().value())
                .bind("createdAt", Columns.instant(agent.createdAt()))
                .bind("updatedAt", Columns.instant(agent.updatedAt()))
                .execute());
    }

    @Override
    public Optional<Agent> findById(AgentId id) {
        Objects.requireNonNull(id, "id");
        return db.read(h -> Jdbc.one(h, "SELECT " + COLUMNS + " FROM agents WHERE id = ?", MAPPER, id.value()));
    }

    @Override
    public Page<Agent> list(AgentQuery query) {
        Objects.requireNonNull(query, "query");
        return db.read(h -> new Listing("SELECT " + COLUMNS + " FROM agents", "created_at")
                .where("user_id = :owner", "owner", query.owner().map(UserId::value))
                .where("status = :status", "status", query.status().map(AgentStatus::wireName))
                .page(h, query.page(), MAPPER, a -> new PageCursor(a.createdAt(), a.id().value())));
    }

    @Override
    public List<AgentId> idsOwnedBy(UserId owner) {
        Objects.requireNonNull(owner, "owner");
        return db.read(h -> h.createQuery("SELECT id FROM agents WHERE user_id = :owner ORDER BY id")
                .bind("owner", owner.value())
                .map((rs, ctx) -> AgentId.of(rs.getString("id")))
                .list());
    }
}
