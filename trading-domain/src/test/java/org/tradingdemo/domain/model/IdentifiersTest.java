package org.tradingdemo.domain.model;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every id type (and ClientOrderId) follows one rule: [A-Za-z0-9._:-], 1 to 64 characters. */
class IdentifiersTest {

    enum Kind {
        AGENT("agentId", AgentId::new, AgentId::value),
        TRADE("tradeId", TradeId::new, TradeId::value),
        USER("userId", UserId::new, UserId::value),
        ALERT("alertId", AlertId::new, AlertId::value),
        OVERSIGHT_REQUEST("oversightRequestId", OversightRequestId::new, OversightRequestId::value),
        CLIENT_ORDER("clientOrderId", ClientOrderId::new, ClientOrderId::value);

        final String field;
        final Function<String, Object> create;
        final Function<Object, String> value;

        @SuppressWarnings("unchecked")
        <T> Kind(String field, Function<String, T> create, Function<T, String> value) {
            this.field = field;
            this.create = (Function<String, Object>) create;
            this.value = (Function<Object, String>) value;
        }
    }

    private static final List<String> VALID = List.of("a", "Z", "0", "agent-1", "A_b.c:d-9",
            "550e8400-e29b-41d4-a716-446655440000", "order:2025-03-10.001", "...", "-_:.");
    private static final List<String> INVALID_CHARSET = List.of("a b", " a", "a ", "a/b", "a\\b", "é", "a\nb", "a#b",
            "a@b", "a+b", "a,b", "a;b", "a%20b", "ü-1", "a\u0000");

    private static String repeat(int n) {
        char[] chars = new char[n];
        Arrays.fill(chars, 'x');
        return new String(chars);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void acceptsLettersDigitsAndDotUnderscoreColonDash(Kind kind) {
        assertAll(VALID.stream().map(v -> () -> {
            Object id = kind.create.apply(v);
            assertEquals(v, kind.value.apply(id));
            assertEquals(v, id.toString());
            assertEquals(kind.create.apply(v), id);
        }));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesOtherCharacters(Kind kind) {
        assertAll(INVALID_CHARSET.stream().map(v -> () -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kind.create.apply(v),
                    "'" + v + "'");
            assertEquals(kind.field + " may contain only letters, digits and . _ : -", e.getMessage());
        }));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void acceptsSixtyFourCharactersAndRefusesSixtyFive(Kind kind) {
        assertEquals(repeat(64), kind.value.apply(kind.create.apply(repeat(64))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kind.create.apply(repeat(65)));
        assertEquals(kind.field + " must be at most 64 characters", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusesNullEmptyAndBlank(Kind kind) {
        for (String v : new String[] {null, "", " ", "\t\n"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kind.create.apply(v));
            assertEquals(kind.field + " is required", e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void isCaseSensitive(Kind kind) {
        assertNotEquals(kind.create.apply("abc"), kind.create.apply("ABC"));
    }
}
