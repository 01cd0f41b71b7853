package org.tradingdemo.domain.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.domain.port.contract.TestData.T0;
import static org.tradingdemo.domain.port.contract.TestData.trade;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.PageRequest;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.port.DuplicateClientOrderIdException;
import org.tradingdemo.domain.port.TradeRepository;
import org.tradingdemo.domain.port.TradeRepository.TradeQuery;

/**
 * What every {@link TradeRepository} must do. Subclass once per adapter. Every test works on fresh
 * agents, so {@link #create()} may return a repository over a shared store.
 */
public abstract class AbstractTradeRepositoryContract<T extends TradeRepository> {

    /** Newest first by (submittedAt, id): the order every list of trades promises. */
    protected static final Comparator<Trade> NEWEST_FIRST =
            Comparator.comparing(Trade::submittedAt).thenComparing(t -> t.id().value()).reversed();

    protected T repository;

    /** A repository to test; it may share its store with other tests. */
    protected abstract T create();

    @BeforeEach
    void setUpRepository() {
        repository = create();
    }

    @Test
    void savedTradeIsFoundEqualInEveryStatus() {
        AgentId agent = TestData.newAgentId();
        for (TradeStatus status : TradeStatus.values()) {
            Trade trade = trade().agentId(agent).clientOrderId(TestData.unique("co")).status(status).build();
            repository.save(trade);
            assertEquals(Optional.of(trade), repository.findById(trade.id()), status.wireName());
        }
    }

    @Test
    void decimalsSurviveExactly() {
        Trade cents = trade().buy("1", "999999.99").build();
        Trade satoshis = trade().symbol("BTC/USD").buy("0.00012345", "64321.98765432").build();
        Trade tenths = trade().symbol("BRK.B").sell("3", "0.1").build();

        List.of(cents, satoshis, tenths).forEach(repository::save);

        Trade found = repository.findById(cents.id()).orElseThrow();
        assertEquals(Money.usd("999999.99"), found.amount());
        assertEquals(cents, found);
        assertEquals(Optional.of(satoshis), repository.findById(satoshis.id()));
        assertEquals(Money.usd("0.30"), repository.findById(tenths.id()).orElseThrow().amount());
    }

    @Test
    void saveReplacesTheTradeWithTheSameId() {
        Trade pending = trade().clientOrderId(TestData.unique("co")).build();
        repository.save(pending);
        Trade executed = pending.execute(T0.plusSeconds(5));

        repository.save(executed);

        assertEquals(Optional.of(executed), repository.findById(pending.id()));
        assertEquals(Optional.of(executed), repository.findByClientOrderId(pending.agentId(), pending.clientOrderId().orElseThrow()));
        assertEquals(List.of(executed), all(TradeQuery.all(pending.agentId(), PageRequest.first(10))));
    }

    @Test
    void unknownIdsAreEmpty() {
        assertEquals(Optional.empty(), repository.findById(TestData.newTradeId()));
        assertEquals(Optional.empty(), repository.findByClientOrderId(TestData.newAgentId(), ClientOrderId.of("nope")));
        assertEquals(List.of(), repository.list(TradeQuery.all(TestData.newAgentId(), PageRequest.first(5))).items());
        assertEquals(List.of(), repository.findOpen(TestData.newAgentId()));
    }

    @Test
    void findsByClientOrderIdPerAgent() {
        String order = TestData.unique("co");
        Trade mine = trade().clientOrderId(order).build();
        Trade sameKeyOtherAgent = trade().clientOrderId(order).build();
        Trade noKey = trade().agentId(mine.agentId()).build();
        List.of(mine, sameKeyOtherAgent, noKey).forEach(repository::save);

        assertEquals(Optional.of(mine), repository.findByClientOrderId(mine.agentId(), ClientOrderId.of(order)));
        assertEquals(Optional.of(sameKeyOtherAgent), repository.findByClientOrderId(sameKeyOtherAgent.agentId(), ClientOrderId.of(order)));
        assertEquals(Optional.empty(), repository.findByClientOrderId(mine.agentId(), ClientOrderId.of(TestData.unique("co"))));
    }

    @Test
    void aSecondTradeWithTheSameClientOrderIdIsRefusedAndTheFirstKept() {
        String order = TestData.unique("co");
        Trade first = trade().clientOrderId(order).build();
        repository.save(first);
        Trade second = trade().agentId(first.agentId()).clientOrderId(order).submittedAt(T0.plusSeconds(1)).build();

        assertThrows(DuplicateClientOrderIdException.class, () -> repository.save(second));

        assertEquals(Optional.empty(), repository.findById(second.id()));
        assertEquals(Optional.of(first), repository.findByClientOrderId(first.agentId(), ClientOrderId.of(order)));
        repository.save(first.execute(T0.plusSeconds(2)));
        assertEquals(TradeStatus.EXECUTED, repository.findById(first.id()).orElseThrow().status());
    }

    @Test
    void listFiltersByStatusSymbolAndHalfOpenTimeRange() {
        AgentId agent = TestData.newAgentId();
        Trade early = trade().agentId(agent).symbol("AAPL").submittedAt(T0).status(TradeStatus.EXECUTED).build();
        Trade middle = trade().agentId(agent).symbol("MSFT").submittedAt(T0.plusSeconds(10)).build();
        Trade late = trade().agentId(agent).symbol("AAPL").submittedAt(T0.plusSeconds(20)).status(TradeStatus.EXECUTED).build();
        Trade otherAgent = trade().symbol("AAPL").submittedAt(T0.plusSeconds(10)).status(TradeStatus.EXECUTED).build();
        List.of(early, middle, late, otherAgent).forEach(repository::save);
        PageRequest page = PageRequest.first(50);

        assertEquals(List.of(late, middle, early), all(TradeQuery.all(agent, page)));
        assertEquals(List.of(late, early), all(query(agent, Optional.of(TradeStatus.EXECUTED), Optional.empty(), Optional.empty(), Optional.empty(), page)));
        assertEquals(List.of(middle), all(query(agent, Optional.empty(), Optional.of(Symbol.of("MSFT")), Optional.empty(), Optional.empty(), page)));
        assertEquals(List.of(late), all(query(agent, Optional.of(TradeStatus.EXECUTED), Optional.of(Symbol.of("AAPL")),
                Optional.of(T0.plusSeconds(1)), Optional.empty(), page)));
        // from is inclusive, to exclusive
        assertEquals(List.of(middle), all(query(agent, Optional.empty(), Optional.empty(),
                Optional.of(T0.plusSeconds(10)), Optional.of(T0.plusSeconds(20)), page)));
        assertEquals(List.of(), all(query(agent, Optional.of(TradeStatus.CANCELLED), Optional.empty(), Optional.empty(), Optional.empty(), page)));
    }

    @Test
    void pagesAreNewestFirstWithoutGapsOrDuplicatesAndTiesBrokenById() {
        AgentId agent = TestData.newAgentId();
        List<Trade> saved = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            // timestamps repeat (0,0,0,1,1,1,...) so pages cut through runs of equal times
            saved.add(trade().agentId(agent).submittedAt(T0.plusMillis(i / 3)).build());
        }
        saved.forEach(repository::save);
        List<Trade> expected = saved.stream().sorted(NEWEST_FIRST).toList();

        List<Trade> seen = new ArrayList<>();
        Page<Trade> page = repository.list(TradeQuery.all(agent, PageRequest.first(4)));
        List<Integer> sizes = new ArrayList<>();
        while (true) {
            seen.addAll(page.items());
            sizes.add(page.items().size());
            if (page.next().isEmpty()) {
                break;
            }
            Trade last = page.items().get(page.items().size() - 1);
            assertEquals(new PageCursor(last.submittedAt(), last.id().value()), page.next().get());
            page = repository.list(TradeQuery.all(agent, new PageRequest(page.next(), 4)));
        }

        assertEquals(expected, seen);
        assertEquals(List.of(4, 4, 3), sizes);
        assertEquals(saved.size(), new HashSet<>(seen).size());
    }

    @Test
    void aFullLastPageHasNoNextCursor() {
        AgentId agent = TestData.newAgentId();
        for (int i = 0; i < 6; i++) {
            repository.save(trade().agentId(agent).submittedAt(T0.plusSeconds(i)).build());
        }

        Page<Trade> first = repository.list(TradeQuery.all(agent, PageRequest.first(3)));
        Page<Trade> second = repository.list(TradeQuery.all(agent, new PageRequest(first.next(), 3)));

        assertTrue(first.next().isPresent());
        assertEquals(3, second.items().size());
        assertEquals(Optional.empty(), second.next());
    }

    @Test
    void pagingWithAFilterSkipsNonMatchingTrades() {
        AgentId agent = TestData.newAgentId();
        List<Trade> executed = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Trade t = trade().agentId(agent).submittedAt(T0.plusSeconds(i))
                    .status(i % 3 == 0 ? TradeStatus.EXECUTED : TradeStatus.REJECTED).build();
            repository.save(t);
            if (t.status() == TradeStatus.EXECUTED) {
                executed.add(t);
            }
        }
        executed.sort(NEWEST_FIRST);

        TradeQuery first = query(agent, Optional.of(TradeStatus.EXECUTED), Optional.empty(), Optional.empty(), Optional.empty(), PageRequest.first(2));
        Page<Trade> page1 = repository.list(first);
        Page<Trade> page2 = repository.list(query(agent, Optional.of(TradeStatus.EXECUTED), Optional.empty(), Optional.empty(),
                Optional.empty(), new PageRequest(page1.next(), 2)));

        assertEquals(executed.subList(0, 2), page1.items());
        assertEquals(executed.subList(2, 3), page2.items());
        assertEquals(Optional.empty(), page2.next());
    }

    @Test
    void findOpenReturnsOnlyPendingAndAwaitingApprovalTradesOfTheAgent() {
        AgentId agent = TestData.newAgentId();
        Trade pending = trade().agentId(agent).submittedAt(T0).build();
        Trade awaiting = trade().agentId(agent).submittedAt(T0.plusSeconds(1)).status(TradeStatus.PENDING_APPROVAL).build();
        List.of(pending, awaiting,
                trade().agentId(agent).status(TradeStatus.EXECUTED).build(),
                trade().agentId(agent).status(TradeStatus.CANCELLED).build(),
                trade().agentId(agent).status(TradeStatus.REJECTED).build(),
                trade().agentId(agent).status(TradeStatus.FAILED).build(),
                trade().status(TradeStatus.PENDING).build()).forEach(repository::save);

        assertEquals(Set.of(pending, awaiting), new HashSet<>(repository.findOpen(agent)));
        assertEquals(2, repository.findOpen(agent).size());

        repository.save(awaiting.cancel("owner cancelled", T0.plusSeconds(9)));
        assertEquals(List.of(pending), repository.findOpen(agent));
    }

    protected static TradeQuery query(AgentId agent, Optional<TradeStatus> status, Optional<Symbol> symbol,
                                      Optional<Instant> from, Optional<Instant> to, PageRequest page) {
        return new TradeQuery(agent, status, symbol, from, to, page);
    }

    /** Every item of the query, following next cursors. */
    protected List<Trade> all(TradeQuery q) {
        List<Trade> items = new ArrayList<>();
        Page<Trade> page = repository.list(q);
        items.addAll(page.items());
        while (page.next().isPresent()) {
            page = repository.list(new TradeQuery(q.agentId(), q.status(), q.symbol(), q.from(), q.to(),
                    new PageRequest(page.next(), q.page().limit())));
            items.addAll(page.items());
        }
        return items;
    }
}
