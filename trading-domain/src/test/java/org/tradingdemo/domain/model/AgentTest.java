package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.domain.model.ModelTestData.AGENT;
import static org.tradingdemo.domain.model.ModelTestData.OWNER;
import static org.tradingdemo.domain.model.ModelTestData.T0;
import static org.tradingdemo.domain.model.ModelTestData.T1;
import static org.tradingdemo.domain.model.ModelTestData.T2;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentTest {

    private static final AgentConfig CONFIG = ModelTestData.config("10000", Strategy.BALANCED, RiskTolerance.MEDIUM);

    private static Agent active() {
        return Agent.create(AGENT, "Alpha", CONFIG, OWNER, T0);
    }

    private static Agent in(AgentStatus status) {
        return switch (status) {
            case ACTIVE -> active();
            case SUSPENDED -> active().suspend(T0);
            case TERMINATED -> active().terminate(T0);
        };
    }

    private static Agent moveVia(Agent agent, AgentStatus target, Instant now) {
        return switch (target) {
            case ACTIVE -> agent.resume(now);
            case SUSPENDED -> agent.suspend(now);
            case TERMINATED -> agent.terminate(now);
        };
    }

    @Test
    void createdAgentIsActiveWithBothTimestampsAtCreation() {
        Agent agent = active();
        assertEquals(AgentStatus.ACTIVE, agent.status());
        assertTrue(agent.isActive());
        assertEquals(T0, agent.createdAt());
        assertEquals(T0, agent.updatedAt());
        assertEquals("Alpha", agent.name());
        assertEquals(CONFIG, agent.config());
        assertEquals(OWNER, agent.userId());
        assertEquals("trading", Agent.TYPE);
    }

    @Test
    void knowsItsOwner() {
        assertTrue(active().isOwnedBy(UserId.of("user-1")));
        assertFalse(active().isOwnedBy(UserId.of("user-2")));
    }

    @ParameterizedTest(name = "{0} -> {1} legal: {2}")
    @CsvSource({
            "ACTIVE,     ACTIVE,     false",
            "ACTIVE,     SUSPENDED,  true",
            "ACTIVE,     TERMINATED, true",
            "SUSPENDED,  ACTIVE,     true",
            "SUSPENDED,  SUSPENDED,  false",
            "SUSPENDED,  TERMINATED, true",
            "TERMINATED, ACTIVE,     false",
            "TERMINATED, SUSPENDED,  false",
            "TERMINATED, TERMINATED, false"
    })
    void transitionTable(AgentStatus from, AgentStatus to, boolean legal) {
        Agent agent = in(from);
        assertEquals(from, agent.status());
        assertEquals(legal, from.canMoveTo(to));
        assertEquals(legal, agent.canMoveTo(to));
        if (legal) {
            Agent next = moveVia(agent, to, T2);
            assertEquals(to, next.status());
            assertEquals(T2, next.updatedAt(), "updatedAt moves");
            assertEquals(T0, next.createdAt(), "createdAt does not move");
            assertEquals(agent.id(), next.id());
            assertEquals(agent.name(), next.name());
            assertEquals(agent.config(), next.config());
            assertEquals(agent.userId(), next.userId());
            assertEquals(from, agent.status(), "the original snapshot is unchanged");
        } else {
            IllegalTransitionException e = assertThrows(IllegalTransitionException.class, () -> moveVia(agent, to, T2));
            assertEquals(from.wireName(), e.from());
            assertEquals(to.wireName(), e.to());
            assertEquals("agent cannot move from " + from.wireName() + " to " + to.wireName(), e.getMessage());
        }
    }

    @Test
    void terminatedIsFinal() {
        Agent terminated = active().suspend(T1).terminate(T2);
        assertEquals(AgentStatus.TERMINATED, terminated.status());
        assertFalse(terminated.isActive());
        for (AgentStatus next : AgentStatus.values()) {
            assertFalse(terminated.canMoveTo(next));
        }
        assertThrows(IllegalTransitionException.class, () -> terminated.resume(T2));
        assertThrows(IllegalTransitionException.class, () -> terminated.suspend(T2));
        assertThrows(IllegalTransitionException.class, () -> terminated.terminate(T2));
    }

    @Test
    void roundTripKeepsCreatedAtAndMovesUpdatedAt() {
        Agent suspended = active().suspend(T1);
        assertEquals(T1, suspended.updatedAt());
        assertFalse(suspended.isActive());
        Agent resumed = suspended.resume(T2);
        assertTrue(resumed.isActive());
        assertEquals(T0, resumed.createdAt());
        assertEquals(T2, resumed.updatedAt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "Alpha", "Momentum Bot #3", "Ågent 🚀", "trader-ß"})
    void acceptsNames(String name) {
        assertEquals(name, Agent.requireName(name));
        assertEquals(name, Agent.create(AGENT, name, CONFIG, OWNER, T0).name());
    }

    @Test
    void trimsTheName() {
        assertEquals("Alpha", Agent.create(AGENT, "  Alpha \t", CONFIG, OWNER, T0).name());
    }

    @Test
    void acceptsOneHundredCharactersAfterTrimmingAndRefusesOneHundredAndOne() {
        String hundred = "n".repeat(100);
        assertEquals(hundred, Agent.requireName(hundred));
        assertEquals(hundred, Agent.requireName("  " + hundred + "  "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Agent.requireName(hundred + "n"));
        assertEquals("name must be at most 100 characters", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   ", "\t", "\n"})
    void refusesBlankNames(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Agent.create(AGENT, name, CONFIG, OWNER, T0));
        assertEquals("name is required", e.getMessage());
    }

    @Test
    void refusesNullName() {
        assertThrows(IllegalArgumentException.class, () -> Agent.create(AGENT, null, CONFIG, OWNER, T0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad\nname", "bad\tname", "bad\u0000name", "bell\u0007", "esc\u001b[31m", "del\u007f"})
    void refusesControlCharacters(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Agent.requireName(name));
        assertEquals("name must not contain control characters", e.getMessage());
    }

    @Test
    void requiresEveryComponent() {
        assertThrows(NullPointerException.class, () -> Agent.create(null, "a", CONFIG, OWNER, T0));
        assertThrows(NullPointerException.class, () -> Agent.create(AGENT, "a", null, OWNER, T0));
        assertThrows(NullPointerException.class, () -> Agent.create(AGENT, "a", CONFIG, null, T0));
        assertThrows(NullPointerException.class, () -> Agent.create(AGENT, "a", CONFIG, OWNER, null));
    }

    @ParameterizedTest
    @EnumSource(AgentStatus.class)
    void nothingMovesToItself(AgentStatus status) {
        assertFalse(status.canMoveTo(status));
    }

    @Test
    void transitionsReturnNewSnapshots() {
        Agent agent = active();
        Agent suspended = agent.suspend(T1);
        assertEquals(AgentStatus.ACTIVE, agent.status());
        assertEquals(T0, agent.updatedAt());
        assertSame(AgentStatus.SUSPENDED, suspended.status());
    }
}
