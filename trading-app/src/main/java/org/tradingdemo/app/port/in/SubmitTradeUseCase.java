package org.tradingdemo.app.port.in;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.ClientOrderId;
import org.tradingdemo.domain.model.OrderType;
import org.tradingdemo.domain.model.Price;
import org.tradingdemo.domain.model.Quantity;
import org.tradingdemo.domain.model.Side;
import org.tradingdemo.domain.model.Symbol;
import org.tradingdemo.domain.model.Trade;

/** The trade flow of ARCHITECTURE.md §4: idempotency, checks, quota, oversight, execution. */
public interface SubmitTradeUseCase {

    SubmitTradeResult submit(SubmitTradeCommand command);

    /**
     * @param price required for limit orders; a market order without one takes the market price
     */
    record SubmitTradeCommand(Actor actor, AgentId agentId, Symbol symbol, Side side, Quantity quantity,
                              Optional<Price> price, OrderType type, Optional<ClientOrderId> clientOrderId) {
        public SubmitTradeCommand {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(symbol, "symbol");
            Objects.requireNonNull(side, "side");
            Objects.requireNonNull(quantity, "quantity");
            Objects.requireNonNull(type, "type");
            price = price == null ? Optional.empty() : price;
            clientOrderId = clientOrderId == null ? Optional.empty() : clientOrderId;
            if (type == OrderType.LIMIT && price.isEmpty()) {
                throw ValidationException.of("price", "price is required for a limit order");
            }
        }

        /** From raw input; every invalid field is reported at once. Type defaults to limit when a price is given. */
        public static SubmitTradeCommand of(Actor actor, AgentId agentId, String symbol, String side,
                                            BigDecimal quantity, BigDecimal price, String type, String clientOrderId) {
            Validation v = new Validation();
            Symbol s = v.required("symbol", symbol, Symbol::of);
            Side d = v.required("side", side, Side::parse);
            Quantity q = v.required("quantity", quantity, Quantity::new);
            Optional<Price> p = v.optional("price", price, Price::new);
            OrderType t = type == null ? (price == null ? OrderType.MARKET : OrderType.LIMIT)
                    : v.attempt("type", () -> OrderType.parse(type));
            Optional<ClientOrderId> c = v.optional("clientOrderId", clientOrderId, ClientOrderId::of);
            v.check(!(t == OrderType.LIMIT && price == null), "price", "price is required for a limit order");
            if (q != null && p.isPresent()) {
                // the trade's own rounding rule (half-even to cents): 0.005 rounds to 0.00 and is refused
                v.check(Trade.amountOf(q, p.get()).isPositive(), "quantity", "quantity × price must be at least 0.01");
            }
            v.throwIfInvalid();
            return new SubmitTradeCommand(actor, agentId, s, d, q, p, t, c);
        }
    }
}
