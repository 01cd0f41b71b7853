package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.domain.model.ModelTestData.AGENT;
import static org.tradingdemo.domain.model.ModelTestData.APPROVER;
import static org.tradingdemo.domain.model.ModelTestData.T0;
import static org.tradingdemo.domain.model.ModelTestData.T1;
import static org.tradingdemo.domain.model.ModelTestData.T2;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AlertTest {

    private static Alert raised() {
        return Alert.raise(AlertId.of("alert-1"), AlertSeverity.WARNING, "quota_warning", "80 % of the daily quota used",
                Optional.of(AGENT), T0);
    }

    @Test
    void raiseCreatesAnUnacknowledgedAlert() {
        Alert a = raised();
        assertEquals(AlertId.of("alert-1"), a.id());
        assertEquals(AlertSeverity.WARNING, a.severity());
        assertEquals("quota_warning", a.type());
        assertEquals("80 % of the daily quota used", a.message());
        assertEquals(Optional.of(AGENT), a.agentId());
        assertEquals(T0, a.createdAt());
        assertFalse(a.isAcknowledged());
        assertEquals(Optional.empty(), a.acknowledgedAt());
        assertEquals(Optional.empty(), a.acknowledgedBy());
    }

    @Test
    void alertWithoutAgent() {
        Alert a = new Alert(AlertId.of("a"), AlertSeverity.CRITICAL, "system", "metering down", null, T0, null, null);
        assertEquals(Optional.empty(), a.agentId());
        assertEquals(Optional.empty(), a.acknowledgedAt());
        assertEquals(Optional.empty(), a.acknowledgedBy());
    }

    @Test
    void acknowledgeOnce() {
        Alert a = raised().acknowledge(APPROVER, T1);
        assertTrue(a.isAcknowledged());
        assertEquals(Optional.of(T1), a.acknowledgedAt());
        assertEquals(Optional.of(APPROVER), a.acknowledgedBy());
        assertEquals(T0, a.createdAt());
        assertEquals("quota_warning", a.type());

        IllegalTransitionException e = assertThrows(IllegalTransitionException.class, () -> a.acknowledge(APPROVER, T2));
        assertEquals("acknowledged", e.from());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "quota_warning", "risk_limit", "trade.failed", "x:y-z", "oversight_expired2",
            "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd"})
    void acceptsTypes(String type) {
        assertEquals(type, Alert.requireType(type));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "Quota", "QUOTA_WARNING", "1abc", "_x", ".x", "has space", "quota/warning", "ümlaut",
            "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcde", " quota"})
    void refusesTypes(String type) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Alert.requireType(type));
        assertTrue(e.getMessage().startsWith("type must be"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Alert.raise(AlertId.of("a"), AlertSeverity.INFO, type, "m", Optional.empty(), T0));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\n\t"})
    void messageIsRequired(String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Alert.raise(AlertId.of("a"), AlertSeverity.INFO, "x", message, Optional.empty(), T0));
        assertEquals("message is required", e.getMessage());
    }

    @Test
    void messageIsStrippedAndAtMost1000Characters() {
        assertEquals("hello", Alert.requireMessage("  hello \n"));
        String thousand = "m".repeat(1000);
        assertEquals(thousand, Alert.requireMessage(thousand));
        assertEquals(thousand, Alert.requireMessage("  " + thousand + "  "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Alert.requireMessage(thousand + "m"));
        assertEquals("message must be at most 1000 characters", e.getMessage());
    }

    @Test
    void requiresIdSeverityAndTime() {
        assertThrows(NullPointerException.class,
                () -> Alert.raise(null, AlertSeverity.INFO, "x", "m", Optional.empty(), T0));
        assertThrows(NullPointerException.class,
                () -> Alert.raise(AlertId.of("a"), null, "x", "m", Optional.empty(), T0));
        assertThrows(NullPointerException.class,
                () -> Alert.raise(AlertId.of("a"), AlertSeverity.INFO, "x", "m", Optional.empty(), null));
    }
}
