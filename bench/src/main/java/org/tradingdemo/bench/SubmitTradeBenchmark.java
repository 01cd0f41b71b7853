package org.tradingdemo.bench;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.tradingdemo.app.TradingDemo;
import org.tradingdemo.app.inmemory.InMemoryNotifier;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.CreateAgentUseCase.CreateAgentCommand;
import org.tradingdemo.app.port.in.SubmitTradeResult;
import org.tradingdemo.app.port.in.SubmitTradeUseCase;
import org.tradingdemo.app.port.in.SubmitTradeUseCase.SubmitTradeCommand;
import org.tradingdemo.app.service.TradingSettings;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.CostPriceList;
import org.tradingdemo.domain.model.OrderType;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Quantity;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.policy.QuotaPolicy;

/**
 * Autonomous trades through the real use cases on the in-memory adapters, local quota and local
 * policy: the cost of the application core without any I/O. Each operation submits one order;
 * buys and sells alternate so cash and position stay bounded, and the daily quota is raised so a
 * long run never hits it (the quota is still checked and reserved on every trade). Each
 * iteration starts from an empty store, because the in-memory store keeps every trade.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar SubmitTradeBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class SubmitTradeBenchmark {

    @State(Scope.Benchmark)
    public static class Service {
        @Param({"1", "64"})
        public int agents;

        final Actor trader = Actor.owner(UserId.of("bench"));
        final List<AgentId> agentIds = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicInteger threadIndex = new AtomicInteger();
        SubmitTradeUseCase submit;

        /** A fresh store per iteration: the in-memory store keeps every trade, so memory stays bounded. */
        @Setup(Level.Iteration)
        public void setUp() {
            agentIds.clear();
            // daily quota = budget × 1,000,000: checked on every trade, never reached in a run
            TradingSettings settings = new TradingSettings(TradingSettings.DEFAULT_APPROVAL_TTL,
                    new QuotaPolicy(new BigDecimal("1000000"), 22), CostPriceList.defaults());
            TradingDemo demo = TradingDemo.builder(Clock.systemUTC()).settings(settings)
                    .notifier(new InMemoryNotifier()).build();
            for (int i = 0; i < agents; i++) {
                agentIds.add(demo.createAgent().create(CreateAgentCommand.of(trader, "bench-" + i,
                        new BigDecimal("1000000"), "aggressive", "high", null)).id());
            }
            submit = demo.submitTrade();
        }
    }

    @State(Scope.Thread)
    public static class Orders {
        private final Symbol symbol = Symbol.of("AAPL");
        private final Quantity quantity = Quantity.of(10);
        private final java.util.Optional<Price> price = java.util.Optional.of(Price.of("150.25"));
        private long n;
        private int offset;

        @Setup(Level.Trial)
        public void setUp(Service service) {
            offset = service.threadIndex.getAndIncrement();
        }

        SubmitTradeCommand next(Service service) {
            long i = n++;
            // each agent sees buy, sell, buy, sell...: the sell is always covered by the buy before it
            int agentCount = service.agentIds.size();
            AgentId agent = service.agentIds.get((int) ((i / 2 * 7 + offset) % agentCount));
            Side side = (i & 1) == 0 ? Side.BUY : Side.SELL;
            return new SubmitTradeCommand(service.trader, agent, symbol, side, quantity, price, OrderType.LIMIT,
                    java.util.Optional.empty());
        }
    }

    @Benchmark
    @Threads(1)
    public SubmitTradeResult submitOneThread(Service service, Orders orders) {
        return service.submit.submit(orders.next(service));
    }

    @Benchmark
    @Threads(2)
    public SubmitTradeResult submitTwoThreads(Service service, Orders orders) {
        return service.submit.submit(orders.next(service));
    }
}
