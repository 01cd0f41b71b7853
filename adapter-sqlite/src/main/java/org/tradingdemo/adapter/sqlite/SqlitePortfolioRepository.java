package org.tradingdemo.adapter.sqlite;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
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
 * {@code portfolio_positions} and {@code portfolio_reservations}. Saving replaces the children; a read
 * runs its three SELECTs on one snapshot, so it never mixes two versions of the portfolio.
 */
public final class SqlitePortfolioRepository implements PortfolioRepository {

    private final SqliteAccess db;

    SqlitePortfolioRepository(SqliteAccess db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public void save(Portfolio portfolio) {
        Objects.requireNonNull(portfolio, "portfolio");
        String agent = portfolio.agentId().value();
        db.update(h -> {
            h.createUpdate("INSERT INTO portfolios (agent_id, cash, realized_pnl) VALUES (:agentId, :cash, :realizedPnl)"
                            + " ON CONFLICT (agent_id) DO UPDATE SET cash = excluded.cash, realized_pnl = excluded.realized_pnl")
                    .bind("agentId", agent)
                    .bind("cash", Columns.money(portfolio.cash()))
                    .bind("realizedPnl", Columns.money(portfolio.realizedPnL()))
                    .execute();
            h.createUpdate("DELETE FROM portfolio_positions WHERE agent_id = :agentId").bind("agentId", agent).execute();
            h.createUpdate("DELETE FROM portfolio_reservations WHERE agent_id = :agentId").bind("agentId", agent).execute();
            insertPositions(h, agent, portfolio.positions().values());
            insertReservations(h, agent, portfolio.reservations().values());
        });
    }

    private static void insertPositions(Handle h, String agent, java.util.Collection<Position> positions) {
        if (positions.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("INSERT INTO portfolio_positions (agent_id, symbol, quantity, cost_basis,"
                + " last_price) VALUES (:agentId, :symbol, :quantity, :costBasis, :lastPrice)");
        for (Position p : positions) {
            batch.bind("agentId", agent)
                    .bind("symbol", p.symbol().value())
                    .bind("quantity", Columns.decimal(p.quantity().value()))
                    .bind("costBasis", Columns.money(p.costBasis()))
                    .bind("lastPrice", Columns.decimal(p.lastPrice().value()))
                    .add();
        }
        batch.execute();
    }

    private static void insertReservations(Handle h, String agent, java.util.Collection<Reservation> reservations) {
        if (reservations.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("INSERT INTO portfolio_reservations (agent_id, trade_id, side, symbol,"
                + " cash, quantity) VALUES (:agentId, :tradeId, :side, :symbol, :cash, :quantity)");
        for (Reservation r : reservations) {
            batch.bind("agentId", agent)
                    .bind("tradeId", r.tradeId().value())
                    .bind("side", r.side().wireName())
                    .bind("symbol", r.symbol().value())
                    .bind("cash", Columns.money(r.cash()))
                    .bind("quantity", r.quantity().map(q -> Columns.decimal(q.value())).orElse(null))
                    .add();
        }
        batch.execute();
    }

    @Override
    public Optional<Portfolio> findByAgentId(AgentId agentId) {
        Objects.requireNonNull(agentId, "agentId");
        String agent = agentId.value();
        return db.readSnapshot(h -> {
            Optional<Map.Entry<Money, Money>> head = h.createQuery(
                            "SELECT cash, realized_pnl FROM portfolios WHERE agent_id = :agentId")
                    .bind("agentId", agent)
                    .map((rs, ctx) -> Map.entry(Columns.money(rs.getString("cash")),
                            Columns.money(rs.getString("realized_pnl"))))
                    .findOne();
            if (head.isEmpty()) {
                return Optional.empty();
            }
            List<Position> positions = h.createQuery("SELECT symbol, quantity, cost_basis, last_price"
                            + " FROM portfolio_positions WHERE agent_id = :agentId")
                    .bind("agentId", agent)
                    .map((rs, ctx) -> new Position(Symbol.of(rs.getString("symbol")), Quantity.of(rs.getString("quantity")),
                            Columns.money(rs.getString("cost_basis")), Price.of(rs.getString("last_price"))))
                    .list();
            List<Reservation> reservations = h.createQuery("SELECT trade_id, side, symbol, cash, quantity"
                            + " FROM portfolio_reservations WHERE agent_id = :agentId")
                    .bind("agentId", agent)
                    .map((rs, ctx) -> new Reservation(TradeId.of(rs.getString("trade_id")), Side.parse(rs.getString("side")),
                            Symbol.of(rs.getString("symbol")), Columns.money(rs.getString("cash")),
                            Optional.ofNullable(rs.getString("quantity")).map(Quantity::of)))
                    .list();
            Map<Symbol, Position> bySymbol = new HashMap<>();
            positions.forEach(p -> bySymbol.put(p.symbol(), p));
            Map<TradeId, Reservation> byTrade = new HashMap<>();
            reservations.forEach(r -> byTrade.put(r.tradeId(), r));
            return Optional.of(new Portfolio(agentId, head.get().getKey(), bySymbol, byTrade, head.get().getValue()));
        });
    }
}
