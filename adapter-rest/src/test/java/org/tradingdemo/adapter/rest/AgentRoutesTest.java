package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.adapter.rest.RouteTestServer.AGENT_ID;
import static org.tradingdemo.adapter.rest.RouteTestServer.NOW;
import static org.tradingdemo.adapter.rest.RouteTestServer.agent;
import static org.tradingdemo.adapter.rest.RouteTestServer.assertProblem;
import static org.tradingdemo.adapter.rest.RouteTestServer.errorFields;
import static org.tradingdemo.adapter.rest.RouteTestServer.executedTrade;
import static org.tradingdemo.adapter.rest.RouteTestServer.keys;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.tradingdemo.app.port.in.AgentCommand;
import org.tradingdemo.app.port.in.AgentStatusResult;
import org.tradingdemo.app.port.in.CreateAgentUseCase.CreateAgentCommand;
import org.tradingdemo.app.port.in.ListAgentsUseCase.ListAgentsQuery;
import org.tradingdemo.app.port.in.PageCursors;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.AgentConfig;
import org.tradingdemo.domain.model.AgentStatus;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.RiskTolerance;
import org.tradingdemo.domain.model.Strategy;
import org.tradingdemo.domain.model.UserId;

class AgentRoutesTest {

    private static final String AGENTS = "/api/v1/agents";

    private RouteTestServer server;

    @BeforeEach
    void start() {
        server = new RouteTestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ---- POST /agents ----

    @Test
    void createAnswers201WithLocationAndTheAgentShape() {
        when(server.useCases.createAgent().create(any())).thenReturn(agent());

        RouteTestServer.Response r = server.post(AGENTS, "trader",
                "{\"name\":\"Alpha\",\"budget\":100000,\"strategy\":\"balanced\"}");

        assertEquals(201, r.status(), r.body());
        assertEquals("/api/v1/agents/agent-1", r.header("Location"));
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        JsonNode a = r.json();
        assertEquals(List.of("id", "name", "type", "status", "config", "userId", "createdAt", "updatedAt"), keys(a));
        assertEquals("agent-1", a.get("id").asText());
        assertEquals("trading", a.get("type").asText());
        assertEquals("active", a.get("status").asText());
        assertEquals(List.of("budget", "strategy", "riskTolerance", "maxPositionSize"), keys(a.get("config")));
        assertTrue(r.body().contains("\"budget\":100000,"), r.body());
        assertEquals("balanced", a.get("config").get("strategy").asText());
        assertEquals("medium", a.get("config").get("riskTolerance").asText());
        assertTrue(a.get("config").get("maxPositionSize").isNull(), "null written, not omitted");
        assertEquals("u-trader", a.get("userId").asText());
        assertEquals(NOW.toString(), a.get("createdAt").asText());

        ArgumentCaptor<CreateAgentCommand> command = ArgumentCaptor.forClass(CreateAgentCommand.class);
        verify(server.useCases.createAgent()).create(command.capture());
        assertEquals(UserId.of("u-trader"), command.getValue().actor().userId());
        assertEquals("Alpha", command.getValue().name());
        assertEquals(Money.usd(100_000), command.getValue().config().budget());
        assertEquals(Strategy.BALANCED, command.getValue().config().strategy());
        assertEquals(RiskTolerance.MEDIUM, command.getValue().config().riskTolerance());
    }

    @Test
    void createPassesDecimalsExactly() {
        Agent withCap = new Agent(AGENT_ID, "Alpha", AgentStatus.ACTIVE, new AgentConfig(Money.usd("1000.10"),
                Strategy.AGGRESSIVE, RiskTolerance.HIGH, Optional.of(Money.usd("0.30"))), UserId.of("u-trader"), NOW, NOW);
        when(server.useCases.createAgent().create(any())).thenReturn(withCap);

        RouteTestServer.Response r = server.post(AGENTS, "trader", "{\"name\":\"Alpha\",\"budget\":1000.10,"
                + "\"strategy\":\"aggressive\",\"riskTolerance\":\"high\",\"maxPositionSize\":0.30}");

        assertEquals(201, r.status(), r.body());
        assertTrue(r.body().contains("\"budget\":1000.1,"), r.body());
        assertTrue(r.body().contains("\"maxPositionSize\":0.3}"), r.body());
        ArgumentCaptor<CreateAgentCommand> command = ArgumentCaptor.forClass(CreateAgentCommand.class);
        verify(server.useCases.createAgent()).create(command.capture());
        assertEquals(Optional.of(Money.usd("0.30")), command.getValue().config().maxPositionSize());
    }

    @Test
    void createReportsEveryInvalidFieldAtOnce() {
        RouteTestServer.Response r = server.post(AGENTS, "trader",
                "{\"name\":\"  \",\"strategy\":\"yolo\",\"riskTolerance\":\"extreme\",\"maxPositionSize\":-1}");

        JsonNode p = assertProblem(r, 400, "validation_failed");
        assertEquals(Set.of("name", "budget", "strategy", "riskTolerance", "maxPositionSize"),
                Set.copyOf(errorFields(p)));
        p.get("errors").forEach(e -> assertTrue(!e.get("message").asText().isBlank()));
        verifyNoInteractions(server.useCases.createAgent());
    }

    @Test
    void createRefusesABudgetOutOfRange() {
        JsonNode p = assertProblem(server.post(AGENTS, "trader", "{\"name\":\"A\",\"budget\":999.99}"), 400,
                "validation_failed");
        assertEquals(List.of("budget"), errorFields(p));
        verifyNoInteractions(server.useCases.createAgent());
    }

    @Test
    void createRefusesNumbersWhoseExponentWouldExplodeWhenPrinted() {
        JsonNode p = assertProblem(server.post(AGENTS, "trader",
                "{\"name\":\"A\",\"budget\":1e999999999,\"maxPositionSize\":1E-999999999}"), 400, "validation_failed");
        assertEquals(Set.of("budget", "maxPositionSize"), Set.copyOf(errorFields(p)));
        verifyNoInteractions(server.useCases.createAgent());
    }

    @Test
    void createAcceptsExponentNotationWithinRange() {
        when(server.useCases.createAgent().create(any())).thenReturn(agent());
        assertEquals(201, server.post(AGENTS, "trader", "{\"name\":\"A\",\"budget\":1.5E+3}").status());
        ArgumentCaptor<CreateAgentCommand> command = ArgumentCaptor.forClass(CreateAgentCommand.class);
        verify(server.useCases.createAgent()).create(command.capture());
        assertEquals(Money.usd(1_500), command.getValue().config().budget());
    }

    @Test
    void createRefusesUnknownFieldsAndWrongTypesTogether() {
        RouteTestServer.Response r = server.post(AGENTS, "trader",
                "{\"name\":42,\"budget\":\"100000\",\"owner\":\"someone-else\"}");

        JsonNode p = assertProblem(r, 400, "validation_failed");
        assertEquals(Set.of("name", "budget", "owner"), Set.copyOf(errorFields(p)));
        verifyNoInteractions(server.useCases.createAgent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":\"A\",", "not json", "[1,2]", "{\"name\":\"A\",\"budget\":1000} {}", ""})
    void createRefusesMalformedJson(String body) {
        assertProblem(server.post(AGENTS, "trader", body), 400, "malformed_json");
        verifyNoInteractions(server.useCases.createAgent());
    }

    @Test
    void createRefusesABodyThatIsNotJson() {
        assertProblem(server.postRaw(AGENTS, "trader", "text/plain", "{\"name\":\"A\",\"budget\":1000}"), 415,
                "unsupported_media_type");
        assertProblem(server.post(AGENTS, "trader", null), 415, "unsupported_media_type");
        verifyNoInteractions(server.useCases.createAgent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"viewer", "approver"})
    void createNeedsTheAgentCreateScope(String user) {
        JsonNode p = assertProblem(server.post(AGENTS, user, "{\"name\":\"A\",\"budget\":1000}"), 403,
                "insufficient_scope");
        assertTrue(p.get("detail").asText().contains("agent:create"));
        verifyNoInteractions(server.useCases.createAgent());
    }

    @Test
    void withoutAPrincipalEveryRouteIs401() {
        assertProblem(server.post(AGENTS, null, "{\"name\":\"A\",\"budget\":1000}"), 401, "unauthorized");
        assertProblem(server.get(AGENTS, null), 401, "unauthorized");
        assertProblem(server.get(AGENTS + "/agent-1", null), 401, "unauthorized");
        verifyNoInteractions(server.useCases.createAgent(), server.useCases.listAgents(), server.useCases.getAgent());
    }

    // ---- GET /agents ----

    @Test
    void listIsAPageWithItemsAndNextCursor() {
        PageCursor next = new PageCursor(NOW, "agent-1");
        when(server.useCases.listAgents().list(any())).thenReturn(new Page<>(List.of(agent()), Optional.of(next)));

        RouteTestServer.Response r = server.get(AGENTS + "?status=active&limit=1", "viewer");

        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("items", "nextCursor"), keys(r.json()));
        assertEquals("agent-1", r.json().get("items").get(0).get("id").asText());
        assertEquals(PageCursors.encode(next), r.json().get("nextCursor").asText());
        ArgumentCaptor<ListAgentsQuery> query = ArgumentCaptor.forClass(ListAgentsQuery.class);
        verify(server.useCases.listAgents()).list(query.capture());
        assertEquals(Optional.of(AgentStatus.ACTIVE), query.getValue().status());
        assertEquals(1, query.getValue().page().limit());
        assertTrue(query.getValue().actor().seesAll(), "a viewer sees every agent");
    }

    @Test
    void theLastPageHasANullCursorAndTheCursorComesBack() {
        when(server.useCases.listAgents().list(any())).thenReturn(new Page<>(List.of(), Optional.empty()));
        String cursor = PageCursors.encode(new PageCursor(NOW, "agent-9"));

        RouteTestServer.Response r = server.get(AGENTS + "?cursor=" + cursor, "trader");

        assertEquals(200, r.status(), r.body());
        assertTrue(r.json().get("items").isEmpty());
        assertTrue(r.json().has("nextCursor") && r.json().get("nextCursor").isNull());
        ArgumentCaptor<ListAgentsQuery> query = ArgumentCaptor.forClass(ListAgentsQuery.class);
        verify(server.useCases.listAgents()).list(query.capture());
        assertEquals(Optional.of(new PageCursor(NOW, "agent-9")), query.getValue().page().after());
        assertEquals(50, query.getValue().page().limit(), "default limit");
    }

    @Test
    void listReportsEveryBadQueryParameterAtOnce() {
        JsonNode p = assertProblem(server.get(AGENTS + "?status=sleeping&cursor=%21%21&limit=abc", "trader"), 400,
                "validation_failed");
        assertEquals(Set.of("status", "cursor", "limit"), Set.copyOf(errorFields(p)));
        verifyNoInteractions(server.useCases.listAgents());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "201", "-5"})
    void listRefusesALimitOutOfRange(String limit) {
        JsonNode p = assertProblem(server.get(AGENTS + "?limit=" + limit, "trader"), 400, "validation_failed");
        assertEquals(List.of("limit"), errorFields(p));
    }

    @Test
    void listRefusesABadCursor() {
        JsonNode p = assertProblem(server.get(AGENTS + "?cursor=bm90LWEtY3Vyc29y", "trader"), 400,
                "validation_failed");
        assertEquals(List.of("cursor"), errorFields(p));
        verifyNoInteractions(server.useCases.listAgents());
    }

    @Test
    void listNeedsTheReadScope() {
        assertProblem(server.get(AGENTS, "viewer", "X-Test-Scopes", ""), 403, "insufficient_scope");
        verifyNoInteractions(server.useCases.listAgents());
    }

    // ---- GET /agents/{id} ----

    @Test
    void getAnswersTheAgent() {
        when(server.useCases.getAgent().get(any(), any())).thenReturn(Optional.of(agent()));

        RouteTestServer.Response r = server.get(AGENTS + "/agent-1", "trader");

        assertEquals(200, r.status(), r.body());
        assertEquals("agent-1", r.json().get("id").asText());
        verify(server.useCases.getAgent()).get(any(), org.mockito.ArgumentMatchers.eq(AGENT_ID));
    }

    @Test
    void getOfAnUnknownOrForeignAgentIs404() {
        when(server.useCases.getAgent().get(any(), any())).thenReturn(Optional.empty());
        JsonNode p = assertProblem(server.get(AGENTS + "/agent-2", "trader"), 404, "not_found");
        assertEquals("agent not found", p.get("detail").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad$id", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void aMalformedIdIs404WithoutAskingTheUseCase(String id) {
        assertProblem(server.get(AGENTS + "/" + id, "trader"), 404, "not_found");
        assertProblem(server.post(AGENTS + "/" + id + "/suspend", "trader", null), 404, "not_found");
        verifyNoInteractions(server.useCases.getAgent(), server.useCases.suspendAgent());
    }

    // ---- suspend / resume / terminate ----

    static Stream<Arguments> lifecycleOutcomes() {
        Agent suspended = new Agent(AGENT_ID, "Alpha", AgentStatus.SUSPENDED, agent().config(), agent().userId(), NOW, NOW);
        return Stream.of("suspend", "resume", "terminate").flatMap(action -> Stream.of(
                Arguments.of(action, new AgentStatusResult.Changed(suspended, List.of(executedTrade())), 200, null),
                Arguments.of(action, new AgentStatusResult.NotFound(), 404, "not_found"),
                Arguments.of(action, new AgentStatusResult.Conflict(AgentStatus.TERMINATED,
                        "agent is terminated and cannot become active"), 409, "invalid_state_transition"),
                Arguments.of(action, new AgentStatusResult.OversightUnavailable(Duration.ofSeconds(6)), 503,
                        "oversight_unavailable")));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("lifecycleOutcomes")
    void everyLifecycleResultHasItsStatus(String action, AgentStatusResult result, int status, String code) {
        switch (action) {
            case "suspend" -> when(server.useCases.suspendAgent().suspend(any())).thenReturn(result);
            case "resume" -> when(server.useCases.resumeAgent().resume(any())).thenReturn(result);
            default -> when(server.useCases.terminateAgent().terminate(any())).thenReturn(result);
        }

        RouteTestServer.Response r = server.post(AGENTS + "/agent-1/" + action, "trader", null);

        if (code == null) {
            assertEquals(status, r.status(), r.body());
            assertEquals("suspended", r.json().get("status").asText());
            assertEquals(List.of("id", "name", "type", "status", "config", "userId", "createdAt", "updatedAt"),
                    keys(r.json()));
        } else {
            JsonNode p = assertProblem(r, status, code);
            if (status == 409) {
                assertEquals("terminated", p.get("agentStatus").asText());
                assertEquals("agent is terminated and cannot become active", p.get("detail").asText());
            }
            if (status == 503) {
                assertEquals("6", r.header("Retry-After"));
            }
        }
    }

    @Test
    void theLifecycleTableCoversEveryResultVariant() {
        Set<Class<?>> mapped = lifecycleOutcomes().map(a -> a.get()[1].getClass()).collect(Collectors.toSet());
        assertEquals(Set.of(AgentStatusResult.class.getPermittedSubclasses()), mapped);
    }

    @Test
    void lifecycleMovesPassTheCallerAndTheAgent() {
        when(server.useCases.terminateAgent().terminate(any())).thenReturn(new AgentStatusResult.NotFound());
        server.post(AGENTS + "/agent-1/terminate", "trader", null);
        ArgumentCaptor<AgentCommand> command = ArgumentCaptor.forClass(AgentCommand.class);
        verify(server.useCases.terminateAgent()).terminate(command.capture());
        assertEquals(AGENT_ID, command.getValue().agentId());
        assertEquals(UserId.of("u-trader"), command.getValue().actor().userId());
        assertTrue(!command.getValue().actor().seesAll(), "a trader sees only their own agents");
    }

    static Stream<Arguments> lifecycleScopes() {
        return Stream.of(
                Arguments.of("suspend", "viewer"), Arguments.of("suspend", "approver"),
                Arguments.of("resume", "viewer"), Arguments.of("resume", "approver"),
                Arguments.of("terminate", "viewer"), Arguments.of("terminate", "approver"),
                // a token with agent:create alone may suspend and resume but not terminate
                Arguments.of("terminate", "trader:agent:create,read"));
    }

    @ParameterizedTest(name = "{1} may not {0}")
    @MethodSource("lifecycleScopes")
    void lifecycleMovesNeedTheirScope(String action, String who) {
        String[] parts = who.split(":", 2);
        String[] headers = parts.length == 2 ? new String[] {"X-Test-Scopes", parts[1]} : new String[0];
        assertProblem(server.post(AGENTS + "/agent-1/" + action, parts[0], null, headers), 403, "insufficient_scope");
        verifyNoInteractions(server.useCases.suspendAgent(), server.useCases.resumeAgent(),
                server.useCases.terminateAgent());
    }

    @Test
    void anAdminMayDoEverything() {
        when(server.useCases.suspendAgent().suspend(any())).thenReturn(new AgentStatusResult.Changed(agent(), List.of()));
        assertEquals(200, server.post(AGENTS + "/agent-1/suspend", "admin", null).status());
    }

    @Test
    void aFailingUseCaseIsA500WithoutInternals() {
        when(server.useCases.getAgent().get(any(), any())).thenThrow(new IllegalStateException("jdbc:secret@db"));
        RouteTestServer.Response r = server.get(AGENTS + "/agent-1", "trader");
        assertProblem(r, 500, "internal_error");
        assertTrue(!r.body().contains("secret") && !r.body().contains("IllegalState"), r.body());

        // a result no route maps (here: none at all) is a bug, answered the same way
        when(server.useCases.suspendAgent().suspend(any())).thenReturn(null);
        assertProblem(server.post(AGENTS + "/agent-1/suspend", "trader", null), 500, "internal_error");
    }

    @Test
    void unknownRoutesAreProblemsToo() {
        assertProblem(server.get("/api/v1/nope", "trader"), 404, "not_found");
    }
}
