package org.tradingdemo.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.CreateAgentUseCase.CreateAgentCommand;
import org.tradingdemo.app.port.in.SubmitTradeResult;
import org.tradingdemo.app.port.in.SubmitTradeUseCase.SubmitTradeCommand;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.PageRequest;
import org.tradingdemo.domain.model.Portfolio;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UsageType;
import org.tradingdemo.domain.port.TradeRepository;

/**
 * 8 threads submit 4,000 trades, to one agent and then spread over 8 agents. Buys and sells are
 * mixed and the total asked for exceeds both the cash and the daily quota, so every refusal path
 * races. Afterwards the books must balance exactly.
 */
class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int TRADES = 4_000;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-04T12:00:00Z"));
    private final Actor trader = Actor.owner(org.tradingdemo.domain.model.UserId.of("trader-1"));

    @Test
    @Timeout(120)
    void oneAgentUnderEightThreads() throws Exception {
        check(1);
    }

    @Test
    @Timeout(120)
    void eightAgentsUnderEightThreads() throws Exception {
        check(8);
    }

    private void check(int agentCount) throws Exception {
        TradingDemo demo = TradingDemo.inMemory(clock);
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < agentCount; i++) {
            agents.add(demo.createAgent().create(CreateAgentCommand.of(trader, "agent-" + i, new BigDecimal("20000"),
                    "aggressive", "high", null)));
        }
        Map<String, SubmitTradeResult> outcomes = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                int n;
                while ((n = next.getAndIncrement()) < TRADES) {
                    Agent agent = agents.get(n % agentCount);
                    boolean sell = n % 3 == 2;
                    // 4,000 × ~$100 is far above 8 × $20,000 of daily quota for one agent, and buys outrun cash
                    BigDecimal qty = BigDecimal.valueOf(1 + n % 7);
                    SubmitTradeResult r = demo.submitTrade().submit(SubmitTradeCommand.of(trader, agent.id(), "AAPL",
                            sell ? "sell" : "buy", qty, new BigDecimal("101.37"), "limit", "order-" + n));
                    outcomes.put("order-" + n, r);
                    if (n % 10 == 0) {
                        // a repeat must answer from the original, never execute twice
                        SubmitTradeResult again = demo.submitTrade().submit(SubmitTradeCommand.of(trader, agent.id(),
                                "AAPL", sell ? "sell" : "buy", qty, new BigDecimal("101.37"), "limit", "order-" + n));
                        assertFalse(again instanceof SubmitTradeResult.Executed e && !e.replayed());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(100, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertEquals(TRADES, outcomes.size(), "every submission answered");
        long executedAnswers = outcomes.values().stream().filter(r -> r instanceof SubmitTradeResult.Executed).count();
        assertTrue(executedAnswers > 0, "some trades executed");
        assertTrue(outcomes.values().stream().anyMatch(r -> r instanceof SubmitTradeResult.QuotaExceeded
                || r instanceof SubmitTradeResult.InsufficientFunds), "the limits were actually reached");

        long executedInStore = 0;
        Set<String> seenClientIds = new java.util.HashSet<>();
        for (Agent agent : agents) {
            List<Trade> trades = allTrades(demo, agent);
            Portfolio portfolio = demo.store().portfolios().findByAgentId(agent.id()).orElseThrow();
            Money executedVolume = Money.zero(Money.USD);
            List<Trade> executed = trades.stream().filter(t -> t.status() == TradeStatus.EXECUTED)
                    .sorted(java.util.Comparator.comparing(Trade::executedAt, (a, b) -> a.orElseThrow().compareTo(b.orElseThrow()))
                            .thenComparing(t -> t.id().value()))
                    .toList();
            for (Trade t : trades) {
                assertTrue(seenClientIds.add(t.clientOrderId().orElseThrow().value()), "no clientOrderId executed twice");
            }
            for (Trade t : executed) {
                executedVolume = executedVolume.plus(t.amount());
            }
            executedInStore += executed.size();

            assertFalse(portfolio.cash().isNegative(), "cash never negative");
            assertTrue(portfolio.reservations().isEmpty(), "no reservation left behind");
            Money usage = demo.store().usageLedger().totals(agent.id(), Instant.parse("2026-05-04T00:00:00Z"),
                    Instant.parse("2026-05-05T00:00:00Z")).of(UsageType.TRADE_EXECUTED).amount();
            assertEquals(executedVolume, usage, "sum of executed amounts equals recorded usage");
            assertFalse(usage.isGreaterThan(agent.config().budget()), "daily quota (= budget) never exceeded");
            // cash is the budget minus buys plus sells, whatever order they ran in
            Money expectedCash = agent.config().budget();
            for (Trade t : executed) {
                expectedCash = t.isBuy() ? expectedCash.minus(t.amount()) : expectedCash.plus(t.amount());
            }
            assertEquals(expectedCash, portfolio.cash(), "cash equals the replay of executed trades");
            assertEquals(heldQuantity(executed), portfolio.heldQuantity(org.tradingdemo.domain.model.Symbol.of("AAPL")),
                    "position equals the replay of executed trades");
        }
        assertEquals(executedAnswers, executedInStore, "every executed answer is in the store, and nothing else");
    }

    private static BigDecimal heldQuantity(List<Trade> executed) {
        BigDecimal held = BigDecimal.ZERO;
        for (Trade t : executed) {
            held = t.isBuy() ? held.add(t.quantity().value()) : held.subtract(t.quantity().value());
        }
        return held;
    }

    private static List<Trade> allTrades(TradingDemo demo, Agent agent) {
        List<Trade> all = new ArrayList<>();
        PageRequest page = PageRequest.first(PageRequest.MAX_LIMIT);
        while (true) {
            var result = demo.store().trades().list(TradeRepository.TradeQuery.all(agent.id(), page));
            all.addAll(result.items());
            if (result.next().isEmpty()) {
                return all;
            }
            page = new PageRequest(result.next(), PageRequest.MAX_LIMIT);
        }
    }
}
