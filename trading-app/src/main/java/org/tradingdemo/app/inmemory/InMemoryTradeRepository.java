package org.tradingdemo.app.inmemory;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;
import org.tradingdemo.domain.port.DuplicateClientOrderIdException;
import org.tradingdemo.domain.port.TradeRepository;

/**
 * Trades in memory. (agentId, clientOrderId) is unique: checked when saving, for a fast answer, and
 * again at commit, because two transactions may each stage the same order without seeing the other.
 */
public final class InMemoryTradeRepository implements TradeRepository {

    private record ClientOrderKey(AgentId agentId, ClientOrderId clientOrderId) {
    }

    private static final Comparator<Trade> OLDEST_FIRST =
            Comparator.comparing(Trade::submittedAt).thenComparing(t -> t.id().value());

    private final InMemoryTransactions transactions;
    private final InMemoryTable<TradeId, Trade> trades;
    private final Map<ClientOrderKey, TradeId> byClientOrderId = new ConcurrentHashMap<>();
    private final Map<AgentId, NewestFirstIndex<Trade>> byAgent = new ConcurrentHashMap<>();
    private final Map<AgentId, Set<TradeId>> openByAgent = new ConcurrentHashMap<>();
    /** Stands in for the index of an agent without trades; never written to. */
    private final NewestFirstIndex<Trade> noTrades = newIndex();

    public InMemoryTradeRepository(InMemoryTransactions transactions) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        // ids are time-ordered (TimeOrderedIdGenerator): new trades are appended at the end
        this.trades = new InMemoryTable<>(transactions, "trades", (a, b) -> a.value().compareTo(b.value()));
        trades.beforeCommit(this::requireUniqueClientOrderIds);
        trades.onCommit(this::index);
    }

    @Override
    public void save(Trade trade) {
        trade.clientOrderId().ifPresent(c -> findByClientOrderId(trade.agentId(), c)
                .filter(holder -> !holder.id().equals(trade.id()))
                .ifPresent(holder -> {
                    throw new DuplicateClientOrderIdException(trade.agentId(), c);
                }));
        trades.put(trade.id(), trade);
    }

    @Override
    public Optional<Trade> findById(TradeId id) {
        return trades.get(id);
    }

    /** The committed index answers; the caller's own staged trades (a handful) are checked first. */
    @Override
    public Optional<Trade> findByClientOrderId(AgentId agentId, ClientOrderId clientOrderId) {
        ClientOrderKey key = new ClientOrderKey(agentId, clientOrderId);
        Map<TradeId, Trade> staged = trades.staged();
        Optional<Trade> own = staged.values().stream().filter(t -> holds(t, key)).findFirst();
        if (own.isPresent()) {
            return own;
        }
        return transactions.read(() -> Optional.ofNullable(byClientOrderId.get(key)))
                .flatMap(trades::get)
                .filter(t -> holds(t, key));
    }

    @Override
    public Page<Trade> list(TradeQuery query) {
        Map<TradeId, Trade> staged = trades.staged();
        return transactions.read(() -> byAgent.getOrDefault(query.agentId(), noTrades)
                .page(query.page(), query::matches, staged.values(), t -> staged.containsKey(t.id())));
    }

    /** Oldest first, the order in which they were submitted. */
    @Override
    public List<Trade> findOpen(AgentId agentId) {
        Map<TradeId, Trade> open = new LinkedHashMap<>();
        transactions.read(() -> {
            openByAgent.getOrDefault(agentId, Set.of())
                    .forEach(id -> trades.get(id).ifPresent(t -> open.put(id, t)));
            return null;
        });
        open.putAll(trades.staged());
        return open.values().stream()
                .filter(t -> t.agentId().equals(agentId) && t.isOpen())
                .sorted(OLDEST_FIRST)
                .toList();
    }

    /** Runs under the commit lock: the committed index is current, nothing can slip in between. */
    private void requireUniqueClientOrderIds(Map<TradeId, Trade> staged) {
        for (Trade trade : staged.values()) {
            if (trade.clientOrderId().isEmpty()) {
                continue;
            }
            ClientOrderKey key = new ClientOrderKey(trade.agentId(), trade.clientOrderId().get());
            TradeId holder = byClientOrderId.get(key);
            if (holder == null || holder.equals(trade.id())) {
                continue;
            }
            Trade holderAfterCommit = staged.containsKey(holder) ? staged.get(holder) : trades.getCommitted(holder).orElse(null);
            if (holderAfterCommit != null && holds(holderAfterCommit, key)) {
                throw new DuplicateClientOrderIdException(key.agentId(), key.clientOrderId());
            }
        }
    }

    private void index(TradeId id, Optional<Trade> before, Trade after) {
        before.ifPresent(b -> {
            b.clientOrderId().ifPresent(c -> byClientOrderId.remove(new ClientOrderKey(b.agentId(), c), id));
            if (!b.agentId().equals(after.agentId())) {
                byAgent.getOrDefault(b.agentId(), noTrades).remove(b);
            }
            Set<TradeId> open = openByAgent.get(b.agentId());
            if (open != null) {
                open.remove(id);
            }
        });
        after.clientOrderId().ifPresent(c -> byClientOrderId.put(new ClientOrderKey(after.agentId(), c), id));
        // a trade's time and id never change: its new version takes its old one's slot
        byAgent.computeIfAbsent(after.agentId(), a -> newIndex()).update(before, after);
        if (after.isOpen()) {
            openByAgent.computeIfAbsent(after.agentId(), a -> ConcurrentHashMap.newKeySet()).add(id);
        }
    }

    private static boolean holds(Trade trade, ClientOrderKey key) {
        return trade.agentId().equals(key.agentId()) && trade.clientOrderId().equals(Optional.of(key.clientOrderId()));
    }

    private static NewestFirstIndex<Trade> newIndex() {
        return new NewestFirstIndex<>(Trade::submittedAt, t -> t.id().value());
    }
}
