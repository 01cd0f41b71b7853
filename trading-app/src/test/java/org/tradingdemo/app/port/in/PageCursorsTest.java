package org.tradingdemo.app.port.in;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.PageRequest;

class PageCursorsTest {

    private static String base64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCursorSurvivesTheRoundTripToTheNanosecond() {
        PageCursor cursor = new PageCursor(Instant.parse("2025-03-10T12:00:00.123456789Z"), "trade-01HQ:x_y.z");

        assertEquals(cursor, PageCursors.decode(PageCursors.encode(cursor)));
    }

    @Test
    void instantsBeforeTheEpochAndIdsContainingTheSeparatorSurviveToo() {
        PageCursor cursor = new PageCursor(Instant.parse("1969-12-31T23:59:58.5Z"), "a|b");

        assertEquals(cursor, PageCursors.decode(PageCursors.encode(cursor)));
    }

    @Test
    void theEncodedFormIsSafeInAUrl() {
        String text = PageCursors.encode(new PageCursor(Instant.parse("2025-03-10T12:00:00Z"), "~~~???>>>"));

        assertTrue(text.matches("[A-Za-z0-9_-]+"), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "!!!", "garbage", "not a cursor"})
    void garbageIsRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PageCursors.decode(text));

        assertEquals("cursor is not valid: use the nextCursor of a previous page", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345", "1.2|", "a.b|id", "1|2.3", "1.2", ".|x", "99999999999999999999.0|x"})
    void wellEncodedButMalformedContentIsRejected(String raw) {
        assertThrows(IllegalArgumentException.class, () -> PageCursors.decode(base64(raw)));
    }

    @Test
    void anOverlongCursorIsRejectedBeforeDecoding() {
        String longId = "x".repeat(200);

        assertThrows(IllegalArgumentException.class,
                () -> PageCursors.decode(PageCursors.encode(new PageCursor(Instant.EPOCH, longId))));
    }

    @Test
    void pageRequestDefaultsAndRecordsErrorsInsteadOfThrowing() {
        Validation ok = new Validation();
        assertEquals(new PageRequest(Optional.empty(), PageRequest.DEFAULT_LIMIT), PageCursors.pageRequest(ok, null, null));
        assertFalse(ok.hasErrors());

        Validation bad = new Validation();
        PageRequest fallback = PageCursors.pageRequest(bad, "garbage", 0);
        assertEquals(PageRequest.firstPage(), fallback);
        ValidationException e = assertThrows(ValidationException.class, bad::throwIfInvalid);
        assertEquals(List.of("cursor", "limit"), e.errors().stream().map(FieldError::field).toList());
    }
}
