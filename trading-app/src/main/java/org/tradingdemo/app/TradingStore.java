package org.tradingdemo.app;

import java.util.Objects;

import org.tradingdemo.app.inmemory.InMemoryAgentRepository;
import org.tradingdemo.app.inmemory.InMemoryAlertRepository;
import org.tradingdemo.app.inmemory.InMemoryOutbox;
import org.tradingdemo.app.inmemory.InMemoryOversightRequestRepository;
import org.tradingdemo.app.inmemory.InMemoryPortfolioRepository;
import org.tradingdemo.app.inmemory.InMemoryTradeRepository;
import org.tradingdemo.app.inmemory.InMemoryTransactions;
import org.tradingdemo.app.inmemory.InMemoryUsageLedger;
import org.tradingdemo.app.inmemory.InMemoryUserRepository;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.Outbox;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.PortfolioRepository;
import org.tradingdemo.domain.port.TradeRepository;
import org.tradingdemo.domain.port.Transactions;
import org.tradingdemo.domain.port.UsageLedger;
import org.tradingdemo.domain.port.UserRepository;

/**
 * The persistence ports of one store, sharing one {@link Transactions}: a store adapter (in-memory,
 * SQLite) provides all of them together, because a unit of work spans them.
 */
public record TradingStore(Transactions transactions, AgentRepository agents, TradeRepository trades,
                           PortfolioRepository portfolios, OversightRequestRepository oversightRequests,
                           UsageLedger usageLedger, AlertRepository alerts, UserRepository users,
                           Outbox outbox) {

    public TradingStore {
        Objects.requireNonNull(transactions, "transactions");
        Objects.requireNonNull(agents, "agents");
        Objects.requireNonNull(trades, "trades");
        Objects.requireNonNull(portfolios, "portfolios");
        Objects.requireNonNull(oversightRequests, "oversightRequests");
        Objects.requireNonNull(usageLedger, "usageLedger");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(outbox, "outbox");
    }

    /** A fresh, empty in-memory store. */
    public static TradingStore inMemory() {
        InMemoryTransactions tx = new InMemoryTransactions();
        return new TradingStore(tx, new InMemoryAgentRepository(tx), new InMemoryTradeRepository(tx),
                new InMemoryPortfolioRepository(tx), new InMemoryOversightRequestRepository(tx),
                new InMemoryUsageLedger(tx), new InMemoryAlertRepository(tx), new InMemoryUserRepository(tx),
                new InMemoryOutbox(tx));
    }
}
