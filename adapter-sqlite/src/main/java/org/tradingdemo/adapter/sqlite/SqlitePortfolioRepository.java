package org.tradingdemo.adapter.sqlite;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Position;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Quantity;
import org.tradingdemo.domain.model.Reservation;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.port.PortfolioRepository;

/**
 * A portfolio is one row of {@code portfolios} (cash, realised P&amp;L) plus its child rows in
 * {@code portfolio_positions} and {@code portfolio_reservations}.
 *
 * <p>A read is ONE statement (the three tables joined by {@code UNION ALL}), so it sees one committed
 * state without a read transaction around it. A save writes only the rows that differ from the
 * portfolio as it stands (a trade changes the cash, one position and at most one reservation); the
 * stored rows end up exactly those of the saved portfolio.
 *
 * <p><b>Committed portfolios are kept in memory</b> ({@link CommittedCache}), so the trade path reads
 * none from SQLite (every trade reads its agent's portfolio outside its unit, to check funds, and again
 * inside, to apply it). A committed save puts the saved portfolio in the cache; a read outside a unit
 * that misses reads a reader connection and keeps the result. Inside a unit the portfolio comes from
 * the unit's own last read or save of the agent, else from the cache unless a unit of the running
 * transaction saved the agent, else from SQLite; a save compares against that same portfolio, so it no
 * longer reads the rows back before writing. Only this repository writes the portfolio tables.
 */
public final class SqlitePortfolioRepository implements PortfolioRepository {

    /** part 0: the portfolio row; 1: a position; 2: a reservation. Columns c1..c5 by part. */
    private static final String READ = "SELECT 0 AS part, cash AS c1, realized_pnl AS c2, NULL AS c3, NULL AS c4, NULL AS c5"
            + " FROM portfolios WHERE agent_id = ?1"
            + " UNION ALL SELECT 1, symbol, quantity, cost_basis, last_price, NULL FROM portfolio_positions WHERE agent_id = ?1"
            + " UNION ALL SELECT 2, trade_id, side, symbol, cash, quantity FROM portfolio_reservations WHERE agent_id = ?1";
    private static final String UPSERT_PORTFOLIO = "INSERT INTO portfolios (agent_id, cash, realized_pnl) VALUES (?, ?, ?)"
            + " ON CONFLICT (agent_id) DO UPDATE SET cash = excluded.cash, realized_pnl = excluded.realized_pnl";
    private static final String UPSERT_POSITION = "INSERT INTO portfolio_positions (agent_id, symbol, quantity, cost_basis,"
            + " last_price) VALUES (?, ?, ?, ?, ?) ON CONFLICT (agent_id, symbol) DO UPDATE SET quantity = excluded.quantity,"
            + " cost_basis = excluded.cost_basis, last_price = excluded.last_price";
    /** For rows the unit has just read: a plain UPDATE finds the row in one probe (an upsert tries an insert first). */
    private static final String UPDATE_PORTFOLIO = "UPDATE portfolios SET cash = ?, realized_pnl = ? WHERE agent_id = ?";
    private static final String UPDATE_POSITION = "UPDATE portfolio_positions SET quantity = ?, cost_basis = ?, last_price = ?"
            + " WHERE agent_id = ? AND symbol = ?";
    private static final String DELETE_POSITION = "DELETE FROM portfolio_positions WHERE agent_id = ? AND symbol = ?";
    private static final String UPSERT_RESERVATION = "INSERT INTO portfolio_reservations (agent_id, trade_id, side, symbol,"
            + " cash, quantity) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (agent_id, trade_id) DO UPDATE SET side = excluded.side,"
            + " symbol = excluded.symbol, cash = excluded.cash, quantity = excluded.quantity";
    private static final String DELETE_RESERVATION = "DELETE FROM portfolio_reservations WHERE agent_id = ? AND trade_id = ?";

    private static final RowMapper<String[]> ROW = (rs, ctx) -> new String[] {
            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)};

    /** More portfolios than this and the cache starts over (it is a shortcut, not a copy of the table). */
    static final int CACHE_LIMIT = 10_000;

    private final SqliteAccess db;
    private final SqliteTransactions transactions;
    private final CommittedCache<AgentId, Portfolio> committed;

    // writer thread only
    private long stateUnit = -1;
    /** The running unit's last read or save per agent: what the writer connection holds for it now. */
    private final Map<AgentId, Portfolio> unitState = new HashMap<>();

    SqlitePortfolioRepository(SqliteAccess db, SqliteTransactions transactions) {
        this.db = Objects.requireNonNull(db, "db");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.committed = new CommittedCache<>(transactions, CACHE_LIMIT);
    }

    @Override
    public void save(Portfolio portfolio) {
        Objects.requireNonNull(portfolio, "portfolio");
        db.update(h -> saveOnWriter(h, portfolio));
    }

    private void saveOnWriter(Handle h, Portfolio after) {
        AgentId id = after.agentId();
        Optional<Portfolio> before = readOnWriter(h, id);
        // until every statement succeeded, the unit's copy is unknown: the next read goes to SQLite
        unitState.remove(id);
        committed.willChange(id, cachedBefore -> after);
        String agent = id.value();
        Portfolio old = before.orElse(null);
        if (old == null || !old.cash().equals(after.cash()) || !old.realizedPnL().equals(after.realizedPnL())) {
            String cash = Columns.money(after.cash());
            String realized = Columns.money(after.realizedPnL());
            if (old == null || Jdbc.update(h, UPDATE_PORTFOLIO, cash, realized, agent) == 0) {
                Jdbc.update(h, UPSERT_PORTFOLIO, agent, cash, realized);
            }
        }
        if (old != null) {
            for (Symbol symbol : old.positions().keySet()) {
                if (!after.positions().containsKey(symbol)) {
                    Jdbc.update(h, DELETE_POSITION, agent, symbol.value());
                }
            }
            for (TradeId trade : old.reservations().keySet()) {
                if (!after.reservations().containsKey(trade)) {
                    Jdbc.update(h, DELETE_RESERVATION, agent, trade.value());
                }
            }
        }
        for (Position p : after.positions().values()) {
            Position was = old == null ? null : old.positions().get(p.symbol());
            if (!p.equals(was)) {
                String quantity = Columns.decimal(p.quantity().value());
                String costBasis = Columns.money(p.costBasis());
                String lastPrice = Columns.decimal(p.lastPrice().value());
                if (was == null || Jdbc.update(h, UPDATE_POSITION, quantity, costBasis, lastPrice, agent, p.symbol().value()) == 0) {
                    Jdbc.update(h, UPSERT_POSITION, agent, p.symbol().value(), quantity, costBasis, lastPrice);
                }
            }
        }
        for (Reservation r : after.reservations().values()) {
            if (old == null || !r.equals(old.reservations().get(r.tradeId()))) {
                Jdbc.update(h, UPSERT_RESERVATION, agent, r.tradeId().value(), r.side().wireName(), r.symbol().value(),
                        Columns.money(r.cash()), r.quantity().map(q -> Columns.decimal(q.value())).orElse(null));
            }
        }
        unitState.put(id, after);
    }

    @Override
    public Optional<Portfolio> findByAgentId(AgentId agentId) {
        Objects.requireNonNull(agentId, "agentId");
        if (transactions.onWriterThread()) {
            return readOnWriter(transactions.writerHandle(), agentId);
        }
        Portfolio cached = committed.get(agentId);
        if (cached != null) {
            return Optional.of(cached);
        }
        long version = committed.version();
        Optional<Portfolio> found = db.read(h -> read(h, agentId));
        found.ifPresent(p -> committed.remember(agentId, p, version));
        return found;
    }

    /** The portfolio as the writer connection sees it now, inside the running unit. */
    private Optional<Portfolio> readOnWriter(Handle h, AgentId id) {
        if (transactions.unitNumber() != stateUnit) {
            stateUnit = transactions.unitNumber();
            unitState.clear();
        }
        Portfolio known = unitState.get(id);
        if (known == null && !committed.changedInTransaction(id)) {
            // no unit of this transaction saved it: the writer sees the committed portfolio
            known = committed.get(id);
        }
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Portfolio> found = read(h, id);
        found.ifPresent(p -> unitState.put(id, p));
        return found;
    }

    /** One statement: the portfolio row and its children, or empty. */
    private static Optional<Portfolio> read(Handle h, AgentId agentId) {
        String[] head = null;
        Map<Symbol, Position> positions = new HashMap<>();
        Map<TradeId, Reservation> reservations = new HashMap<>();
        for (String[] r : Jdbc.list(h, READ, ROW, agentId.value())) {
            switch (r[0]) {
                case "0" -> head = new String[] {r[1], r[2]};
                case "1" -> {
                    Position position = new Position(Symbol.of(r[1]), Quantity.of(r[2]), Columns.money(r[3]), Price.of(r[4]));
                    positions.put(position.symbol(), position);
                }
                default -> {
                    Reservation reservation = new Reservation(TradeId.of(r[1]), Side.parse(r[2]), Symbol.of(r[3]),
                            Columns.money(r[4]), Optional.ofNullable(r[5]).map(Quantity::of));
                    reservations.put(reservation.tradeId(), reservation);
                }
            }
        }
        if (head == null) {
            return Optional.empty();
        }
        return Optional.of(new Portfolio(agentId, Columns.money(head[0]), positions, reservations, Columns.money(head[1])));
    }
}
