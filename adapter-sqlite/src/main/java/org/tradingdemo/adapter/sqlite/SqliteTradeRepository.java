package org.tradingdemo.adapter.sqlite;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.mapper.RowMapper;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.OrderType;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Quantity;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.port.DuplicateClientOrderIdException;
import org.tradingdemo.domain.port.TradeRepository;

/**
 * Trades in the {@code trades} table. (agent_id, client_order_id) is a partial UNIQUE index, so a
 * second trade with the same client order id is refused by the database itself, even when two units
 * of work race: the later statement fails and becomes a {@link DuplicateClientOrderIdException}.
 */
public final class SqliteTradeRepository implements TradeRepository {

    private static final String COLUMNS = "id, agent_id, client_order_id, symbol, side, quantity, price, type, status,"
            + " amount, submitted_at, executed_at, cancelled_at, reason, quota_reservation";

    static final RowMapper<Trade> MAPPER = (rs, ctx) -> new Trade(
            TradeId.of(rs.getString("id")),
            AgentId.of(rs.getString("agent_id")),
            Optional.ofNullable(rs.getString("client_order_id")).map(ClientOrderId::of),
            Symbol.of(rs.getString("symbol")),
            Side.parse(rs.getString("side")),
            Quantity.of(rs.getString("quantity")),
            Price.of(rs.getString("price")),
            OrderType.parse(rs.getString("type")),
            TradeStatus.parse(rs.getString("status")),
            Columns.money(rs.getString("amount")),
            Columns.instant(rs.getString("submitted_at")),
            Columns.optionalInstant(rs.getString("executed_at")),
            Columns.optionalInstant(rs.getString("cancelled_at")),
            Optional.ofNullable(rs.getString("reason")),
            Optional.ofNullable(rs.getString("quota_reservation")));

    private static final String SAVE = "INSERT INTO trades (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id,"
            + " client_order_id = excluded.client_order_id, symbol = excluded.symbol, side = excluded.side,"
            + " quantity = excluded.quantity, price = excluded.price, type = excluded.type,"
            + " status = excluded.status, amount = excluded.amount, submitted_at = excluded.submitted_at,"
            + " executed_at = excluded.executed_at, cancelled_at = excluded.cancelled_at,"
            + " reason = excluded.reason, quota_reservation = excluded.quota_reservation";

    private final SqliteAccess db;

    SqliteTradeRepository(SqliteAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public void save(Trade trade) {
        Objects.requireNonNull(trade, "trade");
        try {
            db.update(h -> Jdbc.update(h, SAVE,
                    trade.id().value(),
                    trade.agentId().value(),
                    Columns.textOrNull(trade.clientOrderId()),
                    trade.symbol().value(),
                    trade.side().wireName(),
                    Columns.decimal(trade.quantity().value()),
                    Columns.decimal(trade.price().value()),
                    trade.type().wireName(),
                    trade.status().wireName(),
                    Columns.money(trade.amount()),
                    Columns.instant(trade.submittedAt()),
                    Columns.instantOrNull(trade.executedAt()),
                    Columns.instantOrNull(trade.cancelledAt()),
                    trade.reason().orElse(null),
                    trade.quotaReservation().orElse(null)));
        } catch (RuntimeException e) {
            if (trade.clientOrderId().isPresent() && SqliteAccess.isUniqueViolation(e)) {
                throw new DuplicateClientOrderIdException(trade.agentId(), trade.clientOrderId().get());
            }
            throw e;
        }
    }

    @Override
    public Optional<Trade> findById(TradeId id) {
        Objects.requireNonNull(id, "id");
        return db.read(h -> Jdbc.one(h, "SELECT " + COLUMNS + " FROM trades WHERE id = ?", MAPPER, id.value()));
    }

    @Override
    public Optional<Trade> findByClientOrderId(AgentId agentId, ClientOrderId clientOrderId) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(clientOrderId, "clientOrderId");
        return db.read(h -> Jdbc.one(h, "SELECT " + COLUMNS + " FROM trades"
                + " WHERE agent_id = ? AND client_order_id = ?", MAPPER, agentId.value(), clientOrderId.value()));
    }

    @Override
    public Page<Trade> list(TradeQuery query) {
        Objects.requireNonNull(query, "query");
        return db.read(h -> new Listing("SELECT " + COLUMNS + " FROM trades", "submitted_at")
                .where("agent_id = :agentId", "agentId", query.agentId().value())
                .where("status = :status", "status", query.status().map(TradeStatus::wireName))
                .where("symbol = :symbol", "symbol", query.symbol().map(Symbol::value))
                .where("submitted_at >= :from", "from", query.from().map(Columns::instant))
                .where("submitted_at < :to", "to", query.to().map(Columns::instant))
                .page(h, query.page(), MAPPER, t -> new PageCursor(t.submittedAt(), t.id().value())));
    }

    /** Oldest first, the order in which they were submitted; reads the partial index {@code trades_agent_open}. */
    @Override
    public List<Trade> findOpen(AgentId agentId) {
        Objects.requireNonNull(agentId, "agentId");
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM trades"
                        + " WHERE agent_id = :agentId AND status IN ('pending', 'pending_approval')"
                        + " ORDER BY submitted_at, id")
                .bind("agentId", agentId.value())
                .map(MAPPER)
                .list());
    }
}
