package org.tradingdemo.adapter.sqlite;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jdbi.v3.core.Handle;
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

/**
 * Agents in the {@code agents} table; lists walk {@code agents_newest} or {@code agents_owner_newest}.
 *
 * <p>{@link #findById} outside a unit of work is answered from a cache of <b>committed</b> rows (every
 * trade reads its agent twice, and agents rarely change). Why it cannot serve a stale or uncommitted
 * agent:
 * <ul>
 *   <li>Only reads on a reader connection fill it, and a reader sees committed state only. Reads inside
 *       a unit (on the writer thread, which sees the unit's own uncommitted writes) never touch it.</li>
 *   <li>{@link #save} registers a transaction-end hook: once the transaction has committed <i>or</i>
 *       rolled back, and before any caller of it is released, the agent's entry is dropped and a
 *       version counter moves on.</li>
 *   <li>A reader notes the version before its query and stores the row only if the version has not
 *       moved (check and store under the same lock as the drop). A row read before a commit can only be
 *       stored before that commit's hook runs, and the hook then drops it.</li>
 *   <li>The store holds the database file's lock, so no other process writes agents behind its back;
 *       the cache lives in memory and starts empty after a restart or a crash.</li>
 * </ul>
 */
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

    private static final String FIND = "SELECT " + COLUMNS + " FROM agents WHERE id = ?";
    /** More agents than this and the cache starts over (it is a shortcut, not a copy of the table). */
    static final int CACHE_LIMIT = 10_000;

    private final SqliteAccess db;
    private final SqliteTransactions transactions;
    private final Map<AgentId, Agent> cache = new ConcurrentHashMap<>();
    private final Object cacheLock = new Object();
    private volatile long cacheVersion;

    SqliteAgentRepository(SqliteAccess db, SqliteTransactions transactions) {
        this.db = Objects.requireNonNull(db, "db");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    @Override
    public void save(Agent agent) {
        Objects.requireNonNull(agent, "agent");
        db.update(h -> {
            transactions.onTransactionEnd(() -> forget(agent.id()));
            write(h, agent);
        });
    }

    private static void write(Handle h, Agent agent) {
        h.createUpdate("INSERT INTO agents (" + COLUMNS + ") VALUES (:id, :name, :status, :budget,"
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
                .execute();
    }

    /** The transaction that wrote the agent has ended: drop the cached row (see the class comment). */
    private void forget(AgentId id) {
        synchronized (cacheLock) {
            cacheVersion++;
            cache.remove(id);
        }
    }

    @Override
    public Optional<Agent> findById(AgentId id) {
        Objects.requireNonNull(id, "id");
        if (transactions.onWriterThread()) {
            return db.read(h -> Jdbc.one(h, FIND, MAPPER, id.value()));
        }
        Agent cached = cache.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        long version = cacheVersion;
        Optional<Agent> found = db.read(h -> Jdbc.one(h, FIND, MAPPER, id.value()));
        found.ifPresent(agent -> remember(agent, version));
        return found;
    }

    private void remember(Agent agent, long versionBeforeRead) {
        synchronized (cacheLock) {
            if (cacheVersion != versionBeforeRead) {
                return;
            }
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(agent.id(), agent);
        }
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
