package org.tradingdemo.domain.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tradingdemo.domain.port.contract.TestData.T0;
import static org.tradingdemo.domain.port.contract.TestData.request;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageRequest;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.OversightRequestRepository.OversightQuery;

/**
 * What every {@link OversightRequestRepository} must do. Subclass once per adapter.
 *
 * <p>{@code findOverdue} and {@code countPending} look at the whole store, so those tests put their
 * deadlines at a random instant in the 1970s, where no other test has pending requests, and close
 * their requests again before they end. Adapters refuse a second request for the same trade with
 * {@link IllegalStateException} (the port says "at most one per trade"; reaching it is a caller bug).
 * Tests of one class are assumed to run one at a time (JUnit's default).
 */
public abstract class AbstractOversightRequestRepositoryContract<T extends OversightRequestRepository> {

    protected static final Comparator<OversightRequest> NEWEST_FIRST =
            Comparator.comparing(OversightRequest::createdAt).thenComparing(r -> r.id().value()).reversed();

    protected T repository;

    /** A repository to test; it may share its store with other tests. */
    protected abstract T create();

    @BeforeEach
    void setUpRepository() {
        repository = create();
    }

    @Test
    void savedRequestIsFoundEqualByIdAndByTradeInEveryStatus() {
        for (OversightStatus status : OversightStatus.values()) {
            OversightRequest r = request().status(status).build();
            repository.save(r);
            assertEquals(Optional.of(r), repository.findById(r.id()), status.wireName());
            assertEquals(Optional.of(r), repository.findByTradeId(r.tradeId()), status.wireName());
        }
    }

    @Test
    void saveReplacesTheRequestWithTheSameId() {
        OversightRequest pending = request().build();
        repository.save(pending);
        OversightRequest approved = pending.approve(UserId.of("approver-7"), Optional.of("ok"), T0.plusSeconds(10));

        repository.save(approved);

        assertEquals(Optional.of(approved), repository.findById(pending.id()));
        assertEquals(Optional.of(approved), repository.findByTradeId(pending.tradeId()));
        assertEquals(List.of(approved), all(new OversightQuery(Optional.empty(), Optional.of(Set.of(pending.agentId())), PageRequest.first(10))));
    }

    @Test
    void unknownIdsAreEmpty() {
        assertEquals(Optional.empty(), repository.findById(OversightRequestId.of(TestData.unique("req"))));
        assertEquals(Optional.empty(), repository.findByTradeId(TestData.newTradeId()));
    }

    @Test
    void aSecondRequestForTheSameTradeIsRefused() {
        OversightRequest first = request().build();
        repository.save(first);
        OversightRequest second = request().agentId(first.agentId()).tradeId(first.tradeId()).build();

        assertThrows(IllegalStateException.class, () -> repository.save(second));

        assertEquals(Optional.of(first), repository.findByTradeId(first.tradeId()));
        assertEquals(Optional.empty(), repository.findById(second.id()));
    }

    @Test
    void listFiltersByStatusAndAgents() {
        AgentId agent = TestData.newAgentId();
        AgentId other = TestData.newAgentId();
        OversightRequest pending = request().agentId(agent).createdAt(T0).build();
        OversightRequest approved = request().agentId(agent).createdAt(T0.plusSeconds(1)).status(OversightStatus.APPROVED).build();
        OversightRequest othersPending = request().agentId(other).createdAt(T0.plusSeconds(2)).build();
        List.of(pending, approved, othersPending).forEach(repository::save);

        assertEquals(List.of(approved, pending), all(query(Optional.empty(), Set.of(agent), 50)));
        assertEquals(List.of(pending), all(query(Optional.of(OversightStatus.PENDING), Set.of(agent), 50)));
        assertEquals(List.of(othersPending, pending), all(query(Optional.of(OversightStatus.PENDING), Set.of(agent, other), 50)));
        assertEquals(List.of(), all(query(Optional.of(OversightStatus.EXPIRED), Set.of(agent, other), 50)));
        assertEquals(List.of(), all(query(Optional.empty(), Set.of(), 50)));
    }

    @Test
    void pagesAreNewestFirstWithoutGapsOrDuplicatesAndTiesBrokenById() {
        AgentId agent = TestData.newAgentId();
        List<OversightRequest> saved = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            saved.add(request().agentId(agent).createdAt(T0.plusSeconds(i / 4)).build());
        }
        saved.forEach(repository::save);

        List<OversightRequest> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Page<OversightRequest> page = repository.list(query(Optional.empty(), Set.of(agent), 3));
        while (true) {
            seen.addAll(page.items());
            sizes.add(page.items().size());
            if (page.next().isEmpty()) {
                break;
            }
            page = repository.list(new OversightQuery(Optional.empty(), Optional.of(Set.of(agent)), new PageRequest(page.next(), 3)));
        }

        assertEquals(saved.stream().sorted(NEWEST_FIRST).toList(), seen);
        assertEquals(List.of(3, 3, 3, 1), sizes);
        assertEquals(10, new HashSet<>(seen).size());
    }

    @Test
    void findOverdueReturnsPendingRequestsAtOrPastTheirDeadlineOldestDeadlineFirst() {
        Instant base = quietInstant();
        AgentId agent = TestData.newAgentId();
        OversightRequest due2m = request().agentId(agent).expiresAt(base.plus(Duration.ofMinutes(2))).build();
        OversightRequest due0m = request().agentId(agent).expiresAt(base).build();
        OversightRequest due1m = request().agentId(agent).expiresAt(base.plus(Duration.ofMinutes(1))).build();
        OversightRequest dueNow = request().agentId(agent).expiresAt(base.plus(Duration.ofMinutes(3))).build();
        OversightRequest notYet = request().agentId(agent).expiresAt(base.plus(Duration.ofMinutes(4))).build();
        OversightRequest decided = request().agentId(agent).expiresAt(base).status(OversightStatus.APPROVED).build();
        List<OversightRequest> pending = List.of(due2m, due0m, due1m, dueNow, notYet);
        Instant now = base.plus(Duration.ofMinutes(3));
        try {
            pending.forEach(repository::save);
            repository.save(decided);

            assertEquals(List.of(due0m, due1m, due2m, dueNow), repository.findOverdue(now, 10));
            assertEquals(List.of(due0m, due1m), repository.findOverdue(now, 2));
            assertEquals(List.of(due0m), repository.findOverdue(base, 10));
            assertEquals(List.of(), repository.findOverdue(base.minusMillis(1), 10));

            repository.save(due0m.expire(now));
            assertEquals(List.of(due1m, due2m), repository.findOverdue(now, 2));
        } finally {
            pending.forEach(r -> repository.save(r.cancel("test cleanup", now)));
        }
    }

    @Test
    void countPendingFollowsPendingRequests() {
        long before = repository.countPending();
        OversightRequest r = request().expiresAt(quietInstant()).build();

        repository.save(r);
        assertEquals(before + 1, repository.countPending());

        repository.save(r.approve(UserId.of("approver-2"), Optional.empty(), r.createdAt()));
        assertEquals(before, repository.countPending());

        repository.save(request().status(OversightStatus.REJECTED).build());
        assertEquals(before, repository.countPending());
    }

    /** A random minute of the 1970s: no other test has a deadline near it. */
    protected static Instant quietInstant() {
        return Instant.parse("1971-01-01T00:00:00Z").plus(Duration.ofMinutes(ThreadLocalRandom.current().nextLong(4_000_000)));
    }

    protected static OversightQuery query(Optional<OversightStatus> status, Set<AgentId> agents, int limit) {
        return new OversightQuery(status, Optional.of(agents), PageRequest.first(limit));
    }

    /** Every item of the query, following next cursors. */
    protected List<OversightRequest> all(OversightQuery q) {
        List<OversightRequest> items = new ArrayList<>();
        Page<OversightRequest> page = repository.list(q);
        items.addAll(page.items());
        while (page.next().isPresent()) {
            page = repository.list(new OversightQuery(q.status(), q.agentIds(), new PageRequest(page.next(), q.page().limit())));
            items.addAll(page.items());
        }
        return items;
    }
}
