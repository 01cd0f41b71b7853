package org.tradingdemo.app.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.CostPriceList;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.UsageType;

/** What metered usage cost over [from, to), per agent and per event type, and the price list used. */
public record CostReport(Instant from, Instant to, List<AgentCost> agents, Map<UsageType, Money> byType, Money total,
                         CostPriceList prices) {

    public CostReport {
        agents = List.copyOf(agents);
        byType = Map.copyOf(byType);
    }

    public record AgentCost(AgentId agentId, Map<UsageType, Money> byType, Money total) {
        public AgentCost {
            byType = Map.copyOf(byType);
        }
    }
}
