package org.tradingdemo.app.port.in;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentConfig;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Strategy;

/** Creates an active agent owned by the caller, with a portfolio holding its budget in cash. */
public interface CreateAgentUseCase {

    Agent create(CreateAgentCommand command);

    record CreateAgentCommand(Actor actor, String name, AgentConfig config) {
        public CreateAgentCommand {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(config, "config");
            name = Agent.requireName(name);
        }

        /** From raw input; every invalid field is reported at once. */
        public static CreateAgentCommand of(Actor actor, String name, BigDecimal budget, String strategy,
                                            String riskTolerance, BigDecimal maxPositionSize) {
            Validation v = new Validation();
            String n = v.required("name", name, Agent::requireName);
            Money b = v.required("budget", budget, amount -> AgentConfig.requireBudget(Money.of(amount, Money.USD)));
            Strategy s = strategy == null ? Strategy.BALANCED : v.attempt("strategy", () -> Strategy.parse(strategy));
            RiskTolerance r = riskTolerance == null ? RiskTolerance.MEDIUM
                    : v.attempt("riskTolerance", () -> RiskTolerance.parse(riskTolerance));
            Optional<Money> max = v.optional("maxPositionSize", maxPositionSize,
                    amount -> AgentConfig.requireMaxPositionSize(Money.of(amount, Money.USD)));
            v.throwIfInvalid();
            return new CreateAgentCommand(actor, n, new AgentConfig(b, s, r, max));
        }
    }
}
