package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.PortfolioValuation;

class DemoScenarioTest {

    @Test
    void theSeedScenarioRunsAndPrintsEveryStep() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC);

        PortfolioValuation portfolio = new DemoScenario(clock, out).run();
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(text.contains("[1] agent created"), text);
        assertTrue(text.contains("[2] buy 10 AAPL @ 150 -> executed, amount 1500"), text);
        assertTrue(text.contains("[3] buy 150 MSFT @ 400 -> pending_approval, amount 60000"), text);
        assertTrue(text.contains("[4] approved by approver -> trade executed"), text);
        assertTrue(text.contains("[5] portfolio: cash 38500"), text);
        assertTrue(text.contains("[6] usage today: 61500 of 100000 traded (38500 left"), text);
        assertEquals(0, portfolio.cash().amount().compareTo(new BigDecimal("38500")));
        assertEquals(0, portfolio.reservedCash().amount().signum());
        assertEquals(2, portfolio.positions().size());
    }

    @Test
    void helpAndUnknownCommands() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertEquals(0, Main.run(new String[] {"--help"}, o, e));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Usage: java -jar trading-demo.jar"));
        assertEquals(2, Main.run(new String[] {"launch-rockets"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command: launch-rockets"));
        assertEquals(2, Main.run(new String[] {"demo", "extra"}, o, e));
    }
}
