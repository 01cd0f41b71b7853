package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentConfigTest {

    @ParameterizedTest(name = "budget {0} accepted: {1}")
    @CsvSource({
            "0, false",
            "-1000, false",
            "999.99, false",
            "1000, true",
            "1000.00, true",
            "1000.01, true",
            "500000, true",
            "999999.99, true",
            "1000000, true",
            "1000000.00, true",
            "1000000.01, false",
            "2000000, false"
    })
    void budgetIsBetweenOneThousandAndOneMillion(String budget, boolean accepted) {
        if (accepted) {
            AgentConfig config = AgentConfig.of(Money.usd(budget), Strategy.BALANCED, RiskTolerance.MEDIUM);
            assertEquals(Money.usd(budget), config.budget());
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AgentConfig.of(Money.usd(budget), Strategy.BALANCED, RiskTolerance.MEDIUM));
            assertEquals("budget must be between 1000 and 1000000", e.getMessage());
        }
    }

    @Test
    void budgetMustBeUsd() {
        Money euros = Money.of(new BigDecimal("5000"), Currency.getInstance("EUR"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentConfig.of(euros, Strategy.BALANCED, RiskTolerance.MEDIUM));
        assertEquals("budget must be in USD", e.getMessage());
    }

    @Test
    void requiresBudgetStrategyAndTolerance() {
        assertThrows(NullPointerException.class, () -> AgentConfig.of(null, Strategy.BALANCED, RiskTolerance.LOW));
        assertThrows(NullPointerException.class, () -> AgentConfig.of(Money.usd(5000), null, RiskTolerance.LOW));
        assertThrows(NullPointerException.class, () -> AgentConfig.of(Money.usd(5000), Strategy.BALANCED, null));
    }

    @Test
    void maxPositionSizeIsOptional() {
        assertEquals(Optional.empty(), AgentConfig.of(Money.usd(5000), Strategy.BALANCED, RiskTolerance.LOW).maxPositionSize());
        assertEquals(Optional.empty(),
                new AgentConfig(Money.usd(5000), Strategy.BALANCED, RiskTolerance.LOW, null).maxPositionSize());
        assertEquals(Optional.of(Money.usd("0.01")),
                new AgentConfig(Money.usd(5000), Strategy.BALANCED, RiskTolerance.LOW, Optional.of(Money.usd("0.01")))
                        .maxPositionSize());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.00", "-0.01", "-100"})
    void maxPositionSizeMustBePositive(String max) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AgentConfig(Money.usd(5000), Strategy.BALANCED, RiskTolerance.LOW, Optional.of(Money.usd(max))));
        assertEquals("maxPositionSize must be greater than 0", e.getMessage());
    }

    /** The policy compares it with USD trade amounts; a foreign currency would fail every later buy. */
    @Test
    void maxPositionSizeMustBeUsd() {
        Money euros = Money.of(new BigDecimal("5000"), Currency.getInstance("EUR"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AgentConfig(Money.usd(5000), Strategy.BALANCED, RiskTolerance.LOW, Optional.of(euros)));
        assertTrue(e.getMessage().contains("USD"), e.getMessage());
    }

    @Test
    void boundsAreTheDocumentedOnes() {
        assertEquals(Money.usd("1000.00"), AgentConfig.MIN_BUDGET);
        assertEquals(Money.usd("1000000.00"), AgentConfig.MAX_BUDGET);
    }
}
