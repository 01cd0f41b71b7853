package org.tradingdemo.app.port.in;

import java.util.Optional;

import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.model.TradeId;

public interface GetTradeUseCase {

    /** Empty when the trade does not exist or belongs to an agent the actor may not see. */
    Optional<Trade> get(Actor actor, TradeId tradeId);
}
