package org.tradingdemo.app.port.in;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tradingdemo.app.port.in.CreateAgentUseCase.CreateAgentCommand;
import org.tradingdemo.app.port.in.GetCostReportUseCase.CostQuery;
import org.tradingdemo.app.port.in.ListAgentsUseCase.ListAgentsQuery;
import org.tradingdemo.app.port.in.ListAlertsUseCase.ListAlertsQuery;
import org.tradingdemo.app.port.in.ListOversightRequestsUseCase.ListOversightRequestsQuery;
import org.tradingdemo.app.port.in.ListTradesUseCase.ListTradesQuery;
import org.tradingdemo.app.port.in.RaiseAlertUseCase.RaiseAlertCommand;
import org.tradingdemo.app.port.in.SubmitTradeUseCase.SubmitTradeCommand;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.OrderType;
import org.tradingdemo.domain.model.OversightStatus;
import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Quantity;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.TradeStatus;
import org.tradingdemo.domain.model.UserId;

/** Commands and queries built from raw input report every invalid field at once, in field order. */
class CommandValidationTest {

    private static final Actor ACTOR = Actor.owner(UserId.of("owner-1"));
    private static final AgentId AGENT = AgentId.of("agent-1");

    private static List<String> fieldsRejectedBy(Supplier<?> build) {
        ValidationException e = assertThrows(ValidationException.class, build::get);
        return e.errors().stream().map(FieldError::field).toList();
    }

    private static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }

    @Nested
    class CreateAgent {

        @Test
        void everyInvalidFieldIsReportedAtOnce() {
            assertEquals(List.of("name", "budget", "strategy", "riskTolerance", "maxPositionSize"), fieldsRejectedBy(
                    () -> CreateAgentCommand.of(ACTOR, "  ", dec("999.99"), "wild", "extreme", dec("-1"))));
        }

        @Test
        void missingRequiredFieldsAreNamed() {
            ValidationException e = assertThrows(ValidationException.class,
                    () -> CreateAgentCommand.of(ACTOR, null, null, null, null, null));

            assertEquals(List.of(new FieldError("name", "name is required"), new FieldError("budget", "budget is required")),
                    e.errors());
        }

        @Test
        void budgetBoundsAreInclusive() {
            assertEquals(List.of("budget"), fieldsRejectedBy(() -> CreateAgentCommand.of(ACTOR, "A", dec("1000000.01"), null, null, null)));
            assertEquals(Money.usd("1000000"), CreateAgentCommand.of(ACTOR, "A", dec("1000000"), null, null, null).config().budget());
            assertEquals(Money.usd("1000"), CreateAgentCommand.of(ACTOR, "A", dec("1000"), null, null, null).config().budget());
        }

        @Test
        void strategyAndToleranceHaveDefaultsAndAreCaseInsensitive() {
            CreateAgentCommand defaults = CreateAgentCommand.of(ACTOR, " Alpha ", dec("5000"), null, null, null);
            CreateAgentCommand explicit = CreateAgentCommand.of(ACTOR, "Alpha", dec("5000"), "Aggressive", "HIGH", dec("2500"));

            assertEquals("Alpha", defaults.name());
            assertEquals(Strategy.BALANCED, defaults.config().strategy());
            assertEquals(RiskTolerance.MEDIUM, defaults.config().riskTolerance());
            assertEquals(Optional.empty(), defaults.config().maxPositionSize());
            assertEquals(Strategy.AGGRESSIVE, explicit.config().strategy());
            assertEquals(RiskTolerance.HIGH, explicit.config().riskTolerance());
            assertEquals(Optional.of(Money.usd("2500")), explicit.config().maxPositionSize());
        }
    }

    @Nested
    class SubmitTrade {

        @Test
        void everyInvalidFieldIsReportedAtOnce() {
            assertEquals(List.of("symbol", "side", "quantity", "price", "type", "clientOrderId"), fieldsRejectedBy(
                    () -> SubmitTradeCommand.of(ACTOR, AGENT, "aapl", "hold", dec("-1"), dec("0"), "stop", "bad id!")));
        }

        @Test
        void missingRequiredFieldsAreNamed() {
            assertEquals(List.of("symbol", "side", "quantity"),
                    fieldsRejectedBy(() -> SubmitTradeCommand.of(ACTOR, AGENT, null, " ", null, null, null, null)));
        }

        @Test
        void aLimitOrderNeedsAPrice() {
            ValidationException e = assertThrows(ValidationException.class,
                    () -> SubmitTradeCommand.of(ACTOR, AGENT, "AAPL", "buy", dec("1"), null, "limit", null));

            assertEquals(List.of(new FieldError("price", "price is required for a limit order")), e.errors());
        }

        @Test
        void theCanonicalConstructorAlsoRefusesALimitOrderWithoutPrice() {
            assertEquals(List.of("price"), fieldsRejectedBy(() -> new SubmitTradeCommand(ACTOR, AGENT, Symbol.of("AAPL"),
                    Side.BUY, Quantity.of("1"), Optional.empty(), OrderType.LIMIT, Optional.empty())));
        }

        @Test
        void anOrderWorthLessThanOneCentIsRefused() {
            assertEquals(List.of("quantity"),
                    fieldsRejectedBy(() -> SubmitTradeCommand.of(ACTOR, AGENT, "AAPL", "buy", dec("0.001"), dec("1"), null, null)));
        }

        @Test
        void anOrderWorthHalfACentIsRefusedBecauseItRoundsHalfEvenToZero() {
            // 0.005 × 1 = 0.005 rounds half-even to 0.00: the trade itself would refuse it
            assertEquals(List.of("quantity"),
                    fieldsRejectedBy(() -> SubmitTradeCommand.of(ACTOR, AGENT, "AAPL", "buy", dec("0.005"), dec("1"), null, null)));
        }

        @Test
        void anOrderWorthOneCentIsAccepted() {
            SubmitTradeCommand c = SubmitTradeCommand.of(ACTOR, AGENT, "AAPL", "buy", dec("0.01"), dec("1"), null, null);

            assertEquals(Quantity.of("0.01"), c.quantity());
        }

        @Test
        void theTypeDefaultsToLimitWithAPriceAndToMarketWithout() {
            SubmitTradeCommand limit = SubmitTradeCommand.of(ACTOR, AGENT, "BRK.B", "SELL", dec("2"), dec("410.5"), null, "order-1");
            SubmitTradeCommand market = SubmitTradeCommand.of(ACTOR, AGENT, "BTC/USD", "buy", dec("0.5"), null, null, null);

            assertEquals(OrderType.LIMIT, limit.type());
            assertEquals(Optional.of(Price.of("410.5")), limit.price());
            assertEquals(Side.SELL, limit.side());
            assertEquals(Optional.of(ClientOrderId.of("order-1")), limit.clientOrderId());
            assertEquals(OrderType.MARKET, market.type());
            assertEquals(Optional.empty(), market.price());
        }
    }

    @Nested
    class Lists {

        @Test
        void tradeListReportsEveryInvalidParameter() {
            assertEquals(List.of("status", "symbol", "from", "to", "cursor", "limit"), fieldsRejectedBy(
                    () -> ListTradesQuery.of(ACTOR, AGENT, "open", "bad symbol", "yesterday", "tomorrow", "garbage", 0)));
        }

        @Test
        void tradeListNeedsFromBeforeTo() {
            ValidationException e = assertThrows(ValidationException.class, () -> ListTradesQuery.of(ACTOR, AGENT, null,
                    null, "2025-03-10T00:00:00Z", "2025-03-10T00:00:00Z", null, null));

            assertEquals(List.of(new FieldError("to", "to must be after from")), e.errors());
        }

        @Test
        void aValidTradeListQueryKeepsEveryFilter() {
            PageCursor after = new PageCursor(Instant.parse("2025-03-10T11:00:00Z"), "trade-9");
            ListTradesQuery q = ListTradesQuery.of(ACTOR, AGENT, "pending_approval", "AAPL", "2025-03-01T00:00:00Z",
                    "2025-03-11T00:00:00Z", PageCursors.encode(after), 10);

            assertEquals(Optional.of(TradeStatus.PENDING_APPROVAL), q.status());
            assertEquals(Optional.of(Symbol.of("AAPL")), q.symbol());
            assertEquals(Optional.of(Instant.parse("2025-03-01T00:00:00Z")), q.from());
            assertEquals(Optional.of(Instant.parse("2025-03-11T00:00:00Z")), q.to());
            assertEquals(Optional.of(after), q.page().after());
            assertEquals(10, q.page().limit());
        }

        @Test
        void agentListReportsEveryInvalidParameter() {
            assertEquals(List.of("status", "cursor", "limit"),
                    fieldsRejectedBy(() -> ListAgentsQuery.of(ACTOR, "sleeping", "!!", 201)));
            assertEquals(Optional.of(AgentStatus.SUSPENDED), ListAgentsQuery.of(ACTOR, "suspended", null, null).status());
            assertEquals(50, ListAgentsQuery.of(ACTOR, null, null, null).page().limit());
        }

        @Test
        void alertListReportsEveryInvalidParameter() {
            assertEquals(List.of("acknowledged", "severity", "cursor", "limit"),
                    fieldsRejectedBy(() -> ListAlertsQuery.of(ACTOR, "maybe", "loud", "garbage", -1)));
            ListAlertsQuery q = ListAlertsQuery.of(ACTOR, "TRUE", "critical", null, 200);
            assertEquals(Optional.of(true), q.acknowledged());
            assertEquals(Optional.of(AlertSeverity.CRITICAL), q.severity());
        }

        @Test
        void oversightListReportsEveryInvalidParameter() {
            assertEquals(List.of("status", "limit"),
                    fieldsRejectedBy(() -> ListOversightRequestsQuery.of(ACTOR, "open", null, 1000)));
            assertEquals(Optional.of(OversightStatus.PENDING),
                    ListOversightRequestsQuery.of(ACTOR, "pending", null, null).status());
        }
    }

    @Nested
    class AlertsAndCosts {

        @Test
        void raiseAlertReportsEveryInvalidField() {
            assertEquals(List.of("severity", "type", "message", "agentId"),
                    fieldsRejectedBy(() -> RaiseAlertCommand.of(ACTOR, "", "Bad Type", " ", "no spaces!")));
        }

        @Test
        void aValidAlertCommandParsesEveryField() {
            RaiseAlertCommand c = RaiseAlertCommand.of(ACTOR, "warning", "risk_limit", "  exposure high ", "agent-1");

            assertEquals(AlertSeverity.WARNING, c.severity());
            assertEquals("exposure high", c.message());
            assertEquals(Optional.of(AGENT), c.agentId());
        }

        @Test
        void costQueryReportsBothBadInstants() {
            assertEquals(List.of("from", "to"), fieldsRejectedBy(() -> CostQuery.of(ACTOR, "last month", "now")));
        }

        @Test
        void costQueryNeedsFromBeforeTo() {
            assertEquals(List.of("to"), fieldsRejectedBy(
                    () -> CostQuery.of(ACTOR, "2025-03-10T00:00:00Z", "2025-03-01T00:00:00Z")));
            assertEquals(Optional.empty(), CostQuery.of(ACTOR, null, "").from());
        }
    }
}
