package org.tradingdemo.app.inmemory;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.AgentRepository;

/** Agents in memory, indexed newest first and by owner. */
public final class InMemoryAgentRepository implements AgentRepository {

    private final InMemoryTransactions transactions;
    private final InMemoryTable<AgentId, Agent> agents;
    private final NewestFirstIndex<Agent> newestFirst = new NewestFirstIndex<>(Agent::createdAt, a -> a.id().value());
    private final Map<UserId, Set<AgentId>> byOwner = new ConcurrentHashMap<>();

    public InMemoryAgentRepository(InMemoryTransactions transactions) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.agents = new InMemoryTable<>(transactions, "agents");
        agents.onCommit(this::index);
    }

    @Override
    public void save(Agent agent) {
        agents.put(agent.id(), agent);
    }

    @Override
    public Optional<Agent> findById(AgentId id) {
        return agents.get(id);
    }

    @Override
    public Page<Agent> list(AgentQuery query) {
        Map<AgentId, Agent> staged = agents.staged();
        return transactions.read(() -> newestFirst.page(query.page(),
                a -> query.owner().map(a::isOwnedBy).orElse(true)
                        && query.status().map(s -> s == a.status()).orElse(true),
                staged.values(), a -> staged.containsKey(a.id())));
    }

    @Override
    public List<AgentId> idsOwnedBy(UserId owner) {
        Map<AgentId, Agent> staged = agents.staged();
        Set<AgentId> ids = new TreeSet<>(Comparator.comparing(AgentId::value));
        transactions.read(() -> ids.addAll(byOwner.getOrDefault(owner, Set.of())));
        ids.removeIf(id -> staged.containsKey(id) && !staged.get(id).isOwnedBy(owner));
        staged.values().stream().filter(a -> a.isOwnedBy(owner)).forEach(a -> ids.add(a.id()));
        return List.copyOf(ids);
    }

    private void index(AgentId id, Optional<Agent> before, Agent after) {
        before.ifPresent(b -> {
            byOwner.computeIfPresent(b.userId(), (owner, ids) -> {
                ids.remove(id);
                return ids.isEmpty() ? null : ids;
            });
        });
        newestFirst.update(before, after);
        byOwner.computeIfAbsent(after.userId(), owner -> ConcurrentHashMap.newKeySet()).add(id);
    }
}
