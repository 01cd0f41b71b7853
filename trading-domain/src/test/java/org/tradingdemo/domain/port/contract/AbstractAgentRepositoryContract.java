package org.tradingdemo.domain.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.domain.port.contract.TestData.T0;
import static org.tradingdemo.domain.port.contract.TestData.agent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentConfig;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.PageRequest;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AgentRepository.AgentQuery;

/**
 * What every {@link AgentRepository} must do. Subclass once per adapter. Tests isolate themselves by
 * fresh ids (a fresh owner per test), so {@link #create()} may return a repository over a shared store.
 */
public abstract class AbstractAgentRepositoryContract<T extends AgentRepository> {

    protected T repository;

    /** A repository to test; it may share its store with other tests. */
    protected abstract T create();

    @BeforeEach
    void setUpRepository() {
        repository = create();
    }

    @Test
    void savedAgentIsFoundEqual() {
        Agent plain = agent().build();
        Agent capped = agent().config(new AgentConfig(Money.usd("999999.99"), Strategy.AGGRESSIVE, RiskTolerance.HIGH,
                Optional.of(Money.usd("12345.67")))).build();

        repository.save(plain);
        repository.save(capped);

        assertEquals(Optional.of(plain), repository.findById(plain.id()));
        assertEquals(Optional.of(capped), repository.findById(capped.id()));
    }

    @Test
    void saveReplacesTheAgentWithTheSameId() {
        Agent active = agent().build();
        repository.save(active);
        Agent suspended = active.suspend(T0.plusSeconds(60));

        repository.save(suspended);

        assertEquals(Optional.of(suspended), repository.findById(active.id()));
        assertEquals(List.of(suspended), all(byOwner(active.userId(), 10)));
    }

    @Test
    void unknownIdIsEmpty() {
        assertEquals(Optional.empty(), repository.findById(TestData.newAgentId()));
    }

    @Test
    void listFiltersByOwnerAndStatus() {
        UserId owner = TestData.newUserId();
        Agent active = agent().owner(owner).createdAt(T0).build();
        Agent suspended = agent().owner(owner).createdAt(T0.plusSeconds(1)).status(AgentStatus.SUSPENDED).build();
        Agent someoneElses = agent().createdAt(T0.plusSeconds(2)).build();
        List.of(active, suspended, someoneElses).forEach(repository::save);

        assertEquals(List.of(suspended, active), all(byOwner(owner, 10)));
        assertEquals(List.of(active), all(new AgentQuery(Optional.of(owner), Optional.of(AgentStatus.ACTIVE), PageRequest.first(10))));
        assertEquals(List.of(suspended), all(new AgentQuery(Optional.of(owner), Optional.of(AgentStatus.SUSPENDED), PageRequest.first(10))));
        assertEquals(List.of(), all(new AgentQuery(Optional.of(owner), Optional.of(AgentStatus.TERMINATED), PageRequest.first(10))));
    }

    @Test
    void pagesAreNewestFirstWithoutGapsOrDuplicatesAndTiesBrokenById() {
        UserId owner = TestData.newUserId();
        List<Agent> saved = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // three agents share each timestamp: the order among them is by id, descending
            saved.add(agent().owner(owner).createdAt(T0.plusSeconds(i / 3)).build());
        }
        saved.forEach(repository::save);
        List<Agent> expected = new ArrayList<>(saved);
        expected.sort((a, b) -> a.createdAt().equals(b.createdAt())
                ? b.id().value().compareTo(a.id().value()) : b.createdAt().compareTo(a.createdAt()));

        Page<Agent> first = repository.list(byOwner(owner, 3));
        Page<Agent> second = repository.list(new AgentQuery(Optional.of(owner), Optional.empty(), new PageRequest(first.next(), 3)));
        Page<Agent> third = repository.list(new AgentQuery(Optional.of(owner), Optional.empty(), new PageRequest(second.next(), 3)));

        assertEquals(expected.subList(0, 3), first.items());
        assertEquals(expected.subList(3, 6), second.items());
        assertEquals(expected.subList(6, 7), third.items());
        assertTrue(first.next().isPresent());
        assertTrue(second.next().isPresent());
        assertEquals(Optional.empty(), third.next());
        Agent lastOfFirst = expected.get(2);
        assertEquals(Optional.of(new PageCursor(lastOfFirst.createdAt(), lastOfFirst.id().value())), first.next());
    }

    @Test
    void aFullLastPageHasNoNextCursor() {
        UserId owner = TestData.newUserId();
        for (int i = 0; i < 4; i++) {
            repository.save(agent().owner(owner).createdAt(T0.plusSeconds(i)).build());
        }

        Page<Agent> first = repository.list(byOwner(owner, 2));
        Page<Agent> second = repository.list(new AgentQuery(Optional.of(owner), Optional.empty(), new PageRequest(first.next(), 2)));

        assertEquals(2, second.items().size());
        assertEquals(Optional.empty(), second.next());
        Page<Agent> exact = repository.list(byOwner(owner, 4));
        assertEquals(4, exact.items().size());
        assertEquals(Optional.empty(), exact.next());
    }

    @Test
    void idsOwnedByListsEveryAgentOfTheOwnerAndNoOther() {
        UserId owner = TestData.newUserId();
        Agent a = agent().owner(owner).build();
        Agent b = agent().owner(owner).status(AgentStatus.TERMINATED).build();
        repository.save(a);
        repository.save(b);
        repository.save(agent().build());

        assertEquals(new HashSet<>(List.of(a.id(), b.id())), new HashSet<>(repository.idsOwnedBy(owner)));
        assertEquals(2, repository.idsOwnedBy(owner).size());
        assertTrue(repository.idsOwnedBy(TestData.newUserId()).isEmpty());
        assertFalse(repository.idsOwnedBy(owner).contains(AgentId.of("nobody")));
    }

    private static AgentQuery byOwner(UserId owner, int limit) {
        return new AgentQuery(Optional.of(owner), Optional.empty(), PageRequest.first(limit));
    }

    /** Every item of the query, following next cursors. */
    protected List<Agent> all(AgentQuery query) {
        List<Agent> items = new ArrayList<>();
        Page<Agent> page = repository.list(query);
        items.addAll(page.items());
        while (page.next().isPresent()) {
            page = repository.list(new AgentQuery(query.owner(), query.status(), new PageRequest(page.next(), query.page().limit())));
            items.addAll(page.items());
        }
        return items;
    }
}
