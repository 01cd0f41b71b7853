package org.tradingdemo.launcher;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Optional;

import org.tradingdemo.app.TradingDemo;
import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.app.port.in.CreateAgentUseCase.CreateAgentCommand;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase.DecideCommand;
import org.tradingdemo.app.port.in.SubmitTradeResult;
import org.tradingdemo.app.port.in.SubmitTradeUseCase.SubmitTradeCommand;
import org.tradingdemo.app.port.in.UsageReport;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.PortfolioValuation;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.model.UserId;

/**
 * The seed scenario, step by step: an agent with a $100,000 budget; a $1,500 trade executes on its
 * own; a $60,000 trade waits for a human; an approver approves it; then the portfolio and usage.
 */
final class DemoScenario {

    private final TradingDemo demo;
    private final PrintStream out;

    DemoScenario(Clock clock, PrintStream out) {
        this.demo = TradingDemo.inMemory(clock);
        this.out = out;
    }

    /** @return the final portfolio, so tests can check the numbers the demo prints */
    PortfolioValuation run() {
        Actor trader = Actor.owner(UserId.of("trader"));
        Actor approver = Actor.supervisor(UserId.of("approver"));

        Agent agent = demo.createAgent().create(CreateAgentCommand.of(trader, "Alpha", new BigDecimal("100000"),
                "balanced", "medium", null));
        step(1, "agent created: %s \"%s\" budget %s, strategy %s, risk tolerance %s", agent.id(), agent.name(),
                plain(agent.config().budget().amount()), agent.config().strategy().wireName(),
                agent.config().riskTolerance().wireName());

        SubmitTradeResult small = demo.submitTrade().submit(SubmitTradeCommand.of(trader, agent.id(), "AAPL", "buy",
                new BigDecimal("10"), new BigDecimal("150"), "limit", "demo-1"));
        if (small instanceof SubmitTradeResult.Executed e) {
            step(2, "buy 10 AAPL @ 150 -> %s, amount %s (autonomous: at or under the %s approval threshold)",
                    e.trade().status().wireName(), plain(e.trade().amount().amount()), "50000");
        } else {
            throw new IllegalStateException("the small trade should execute, got " + small);
        }

        SubmitTradeResult large = demo.submitTrade().submit(SubmitTradeCommand.of(trader, agent.id(), "MSFT", "buy",
                new BigDecimal("150"), new BigDecimal("400"), "limit", "demo-2"));
        if (!(large instanceof SubmitTradeResult.PendingApproval pending)) {
            throw new IllegalStateException("the large trade should wait for approval, got " + large);
        }
        step(3, "buy 150 MSFT @ 400 -> %s, amount %s; oversight request %s (%s risk): %s; expires %s",
                pending.trade().status().wireName(), plain(pending.trade().amount().amount()), pending.request().id(),
                pending.request().riskLevel().wireName(), pending.request().reason(), pending.request().expiresAt());

        DecideOversightRequestUseCase.DecisionResult decision = demo.decideOversightRequest().decide(new DecideCommand(
                approver, pending.request().id(), DecideOversightRequestUseCase.Decision.APPROVE,
                Optional.of("within mandate")));
        if (!(decision instanceof DecideOversightRequestUseCase.Approved approved)) {
            throw new IllegalStateException("the approval should execute the trade, got " + decision);
        }
        step(4, "approved by %s -> trade %s at %s", approver.userId(), approved.trade().status().wireName(),
                approved.trade().executedAt().orElseThrow());

        PortfolioValuation p = demo.getPortfolio().get(trader, agent.id()).orElseThrow();
        step(5, "portfolio: cash %s, reserved %s, total value %s, realized P&L %s", plain(p.cash().amount()),
                plain(p.reservedCash().amount()), plain(p.totalValue().amount()), plain(p.realizedPnL().amount()));
        for (PortfolioValuation.PositionValue pos : p.positions()) {
            out.printf("     %-6s qty %s  avg %s  market value %s  unrealized %s%n", pos.symbol(),
                    plain(pos.quantity().value()), plain(pos.averagePrice()), plain(pos.marketValue().amount()),
                    plain(pos.unrealizedPnL().amount()));
        }

        UsageReport usage = demo.getAgentUsage().usage(trader, agent.id(), UsagePeriod.DAILY).orElseThrow();
        step(6, "usage today: %s of %s traded (%s left, resets %s); cost %s", plain(usage.used().amount()),
                plain(usage.limit().amount()), plain(usage.remaining().amount()), usage.resetAt(),
                plain(usage.cost().amount()));
        usage.byType().forEach((type, t) -> out.printf("     %-20s count %d  amount %s  cost %s%n", type.wireName(),
                t.count(), plain(t.amount().amount()), plain(t.cost().amount())));
        return p;
    }

    private void step(int n, String format, Object... args) {
        out.printf("[" + n + "] " + format + "%n", args);
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
