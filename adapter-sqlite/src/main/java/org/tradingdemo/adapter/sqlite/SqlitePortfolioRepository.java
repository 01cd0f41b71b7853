package org.tradingdemo.adapter.sqlite;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * state without a read transaction around it. A save reads the stored rows the same way and writes only
 * the rows that differ: a trade changes the cash, one position and at most one reservation, so it no
 * longer rewrites every child row of the agent. The stored rows end up exactly those of the saved
 * portfolio either way.
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
    private static final String DELETE_POSITION = "DELETE FROM portfolio_positions WHERE agent_id = ? AND symbol = ?";
    private static final String UPSERT_RESERVATION = "INSERT INTO portfolio_reservations (agent_id, trade_id, side, symbol,"
            + " cash, quantity) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (agent_id, trade_id) DO UPDATE SET side = excluded.side,"
            + " symbol = excluded.symbol, cash = excluded.cash, quantity = excluded.quantity";
    private static final String DELETE_RESERVATION = "DELETE FROM portfolio_reservations WHERE agent_id = ? AND trade_id = ?";

    private static final RowMapper<String[]> ROW = (rs, ctx) -> new String[] {
            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)};

    private final SqliteAccess db;

    SqlitePortfolioRepository(SqliteAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** The stored rows of one portfolio as column text: head {cash, pnl} and children by key {c1..c5}. */
    private record Stored(String[] head, Map<String, String[]> positions, Map<String, String[]> reservations) {
    }

    private static Stored read(Handle h, String agent) {
        String[] head = null;
        Map<String, String[]> positions = new LinkedHashMap<>();
        Map<String, String[]> reservations = new LinkedHashMap<>();
        for (String[] r : Jdbc.list(h, READ, ROW, agent)) {
            switch (r[0]) {
                case "0" -> head = new String[] {r[1], r[2]};
                case "1" -> positions.put(r[1], new String[] {r[1], r[2], r[3], r[4]});
                default -> reservations.put(r[1], new String[] {r[1], r[2], r[3], r[4], r[5]});
            }
        }
        return new Stored(head, positions, reservations);
    }

    @Override
    public void save(Portfolio portfolio) {
        Objects.requireNonNull(portfolio, "portfolio");
        String agent = portfolio.agentId().value();
        String[] head = {Columns.money(portfolio.cash()), Columns.money(portfolio.realizedPnL())};
        Map<String, String[]> positions = new LinkedHashMap<>();
        for (Position p : portfolio.positions().values()) {
            positions.put(p.symbol().value(), new String[] {p.symbol().value(), Columns.decimal(p.quantity().value()),
                    Columns.money(p.costBasis()), Columns.decimal(p.lastPrice().value())});
        }
        Map<String, String[]> reservations = new LinkedHashMap<>();
        for (Reservation r : portfolio.reservations().values()) {
            reservations.put(r.tradeId().value(), new String[] {r.tradeId().value(), r.side().wireName(),
                    r.symbol().value(), Columns.money(r.cash()), r.quantity().map(q -> Columns.decimal(q.value())).orElse(null)});
        }
        db.update(h -> {
            Stored stored = read(h, agent);
            if (stored.head() == null || !Arrays.equals(stored.head(), head)) {
                Jdbc.update(h, UPSERT_PORTFOLIO, agent, head[0], head[1]);
            }
            for (String symbol : stored.positions().keySet()) {
                if (!positions.containsKey(symbol)) {
                    Jdbc.update(h, DELETE_POSITION, agent, symbol);
                }
            }
            for (String trade : stored.reservations().keySet()) {
                if (!reservations.containsKey(trade)) {
                    Jdbc.update(h, DELETE_RESERVATION, agent, trade);
                }
            }
            positions.forEach((symbol, p) -> {
                if (!Arrays.equals(stored.positions().get(symbol), p)) {
                    Jdbc.update(h, UPSERT_POSITION, agent, p[0], p[1], p[2], p[3]);
                }
            });
            reservations.forEach((trade, r) -> {
                if (!Arrays.equals(stored.reservations().get(trade), r)) {
                    Jdbc.update(h, UPSERT_RESERVATION, agent, r[0], r[1], r[2], r[3], r[4]);
                }
            });
        });
    }

    @Override
    public Optional<Portfolio> findByAgentId(AgentId agentId) {
        Objects.requireNonNull(agentId, "agentId");
        Stored stored = db.read(h -> read(h, agentId.value()));
        if (stored.head() == null) {
            return Optional.empty();
        }
        Map<Symbol, Position> bySymbol = new HashMap<>();
        for (String[] p : stored.positions().values()) {
            Position position = new Position(Symbol.of(p[0]), Quantity.of(p[1]), Columns.money(p[2]), Price.of(p[3]));
            bySymbol.put(position.symbol(), position);
        }
        Map<TradeId, Reservation> byTrade = new HashMap<>();
        for (String[] r : stored.reservations().values()) {
            Reservation reservation = new Reservation(TradeId.of(r[0]), Side.parse(r[1]), Symbol.of(r[2]),
                    Columns.money(r[3]), Optional.ofNullable(r[4]).map(Quantity::of));
            byTrade.put(reservation.tradeId(), reservation);
        }
        return Optional.of(new Portfolio(agentId, Columns.money(stored.head()[0]), bySymbol, byTrade,
                Columns.money(stored.head()[1])));
    }
}
