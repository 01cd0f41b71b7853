package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.launcher.E2e.assertAmount;
import static org.tradingdemo.launcher.E2e.assertExactly;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.adapter.grpc.metering.MeteringBook;
import org.tradingdemo.adapter.grpc.metering.MeteringGrpcServer;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.launcher.E2e.Api;
import org.tradingdemo.launcher.E2e.Response;

/**
 * The service against an external metering server ({@code METERING_GRPC_URL=127.0.0.1:<port>}) that
 * goes away and comes back on the same port over the same {@link MeteringBook}: trades fail closed
 * (503 {@code metering_unavailable}, nothing created) while it is away, {@code /ready} says so, and the
 * same running service trades again once it is back. The quota figures of {@code GET usage} are the
 * metering server's.
 */
class GrpcMeteringE2ETest {

    private static final Duration RECOVERY = Duration.ofSeconds(10);
    private static final String ORDER = "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"quantity\":10,\"price\":150,"
            + "\"type\":\"limit\",\"clientOrderId\":\"%s\"}";

    @TempDir
    static Path dataDir;
    private static MeteringBook book;
    private static MeteringGrpcServer metering;
    private static int meteringPort;
    private static TradingServer server;
    private static Api api;
    private static String trader;

    @BeforeAll
    static void start() {
        book = new MeteringBook(Clock.systemUTC());
        metering = GrpcE2e.startMetering(0, book);
        meteringPort = metering.port();
        server = TradingServer.start(E2e.config(dataDir, Map.of(
                "STORE", "memory",
                "METERING_GRPC_URL", "127.0.0.1:" + meteringPort)));
        api = new Api(server.baseUrl());
        trader = api.login("trader");
    }

    @AfterAll
    static void stop() {
        GrpcE2e.closeQuietly(server);
        GrpcE2e.closeQuietly(metering);
    }

    @Test
    void tradesFailClosedWhileMeteringIsDownAndResumeWhenItIsBackWithoutARestart() {
        String agent = api.createAgent(trader, "Metered", "100000", "balanced", "medium");
        submit(agent, "before-outage").expect(201);
        assertEquals("up", api.get("/ready", null).expect(200).json().path("checks").path("metering").asText());
        JsonNode tradesBefore = trades(agent);
        JsonNode portfolioBefore = portfolio(agent);
        int openReservations = book.openReservations();

        metering.close();

        // fail closed: 503 with Retry-After, and nothing created (the same clientOrderId is still free later)
        for (int i = 0; i < 2; i++) {
            Response refused = submit(agent, "during-outage").expectProblem(503, "metering_unavailable");
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        }
        // a large order would need oversight too: metering is asked first and refuses it all the same
        api.trade(trader, agent, "MSFT", "buy", "150", "400").expectProblem(503, "metering_unavailable");
        assertEquals(tradesBefore, trades(agent), "no trade was created while metering was down");
        assertEquals(portfolioBefore, portfolio(agent), "the portfolio did not change while metering was down");
        assertEquals(openReservations, book.openReservations());

        // /ready names metering as the dependency that is down
        JsonNode notReady = GrpcE2e.await("/ready to report metering down", RECOVERY,
                () -> api.get("/ready", null), r -> r.status() == 503).json();
        assertEquals("not_ready", notReady.path("status").asText());
        assertEquals("down", notReady.path("checks").path("metering").asText());
        assertEquals("up", notReady.path("checks").path("store").asText());
        assertEquals("up", notReady.path("checks").path("oversight").asText(), "only metering is down");

        // the usage report takes its quota figures from metering: unavailable too, never a 500
        Response usageDown = api.get("/api/v1/agents/" + agent + "/usage", trader);
        usageDown.expectProblem(503, "metering_unavailable");
        assertTrue(usageDown.header("Retry-After") != null, "Retry-After on the usage 503");

        // the same server comes back on the same port over the same book
        metering = GrpcE2e.startMetering(meteringPort, book);
        Response back = GrpcE2e.await("a trade to go through after metering came back", RECOVERY,
                () -> submit(agent, "during-outage"), r -> r.status() != 503);
        back.expect(201);
        assertEquals("executed", back.text("status"));
        assertNotEquals("true", back.header("Idempotent-Replayed"), "the refused order had created nothing");
        submit(agent, "after-outage").expect(201);
        GrpcE2e.await("/ready to recover", RECOVERY, () -> api.get("/ready", null), r -> r.status() == 200);

        assertEquals(3, trades(agent).path("items").size());
        JsonNode portfolio = portfolio(agent);
        assertExactly("95500", portfolio.path("cash"));
        assertExactly("30", portfolio.path("positions").get(0).path("quantity"));

        // the book kept what was reserved before the outage: usage = 3 trades of 1500
        JsonNode usage = api.get("/api/v1/agents/" + agent + "/usage", trader).expect(200).json();
        assertAmount("4500", usage.path("used"));
        assertAmount("100000", usage.path("limit"));
        assertAmount("95500", usage.path("remaining"));
        assertEquals(book.standing(AgentId.of(agent), UsagePeriod.DAILY, Money.usd(100_000)).used().amount()
                .compareTo(usage.path("used").decimalValue()), 0, "usage is the metering server's figure");
    }

    @Test
    void usageShowsTheMeteringServersFiguresForEveryPeriod() {
        String agent = api.createAgent(trader, "Counted", "20000", "balanced", "medium");
        submit(agent, "u-1").expect(201);
        submit(agent, "u-2").expect(201);
        api.trade(trader, agent, "AAPL", "sell", "5", "150").expect(201);

        for (UsagePeriod period : UsagePeriod.values()) {
            String name = period.wireName();
            JsonNode usage = api.get("/api/v1/agents/" + agent + "/usage?period=" + name, trader).expect(200).json();
            assertEquals(name, usage.path("period").asText());
            Money limit = Money.of(usage.path("limit").decimalValue(), Money.USD);
            Money atMetering = book.standing(AgentId.of(agent), period, limit).used();
            assertAmount("3750", usage.path("used"));
            assertEquals(0, atMetering.amount().compareTo(usage.path("used").decimalValue()),
                    name + ": the service shows " + usage.path("used") + ", metering holds " + atMetering);
        }
        // the daily limit is the budget (QUOTA_DAILY_MULTIPLIER 1), the monthly one 22 times that
        assertAmount("20000", api.get("/api/v1/agents/" + agent + "/usage?period=daily", trader).json().path("limit"));
        assertAmount("440000", api.get("/api/v1/agents/" + agent + "/usage?period=monthly", trader).json()
                .path("limit"));
    }

    private static Response submit(String agent, String clientOrderId) {
        return api.post("/api/v1/agents/" + agent + "/trades", trader, String.format(ORDER, clientOrderId));
    }

    private static JsonNode trades(String agent) {
        return api.get("/api/v1/agents/" + agent + "/trades", trader).expect(200).json();
    }

    private static JsonNode portfolio(String agent) {
        return api.get("/api/v1/agents/" + agent + "/portfolio", trader).expect(200).json();
    }
}
