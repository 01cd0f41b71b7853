package org.tradingdemo.app.port.in;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import org.tradingdemo.domain.model.PageCursor;
import org.tradingdemo.domain.model.PageRequest;

/** Opaque page cursors for clients: base64url of {@code epochSecond.nano|id}. */
public final class PageCursors {

    private PageCursors() {
    }

    public static String encode(PageCursor cursor) {
        String raw = cursor.at().getEpochSecond() + "." + cursor.at().getNano() + "|" + cursor.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the text is not a cursor this service issued */
    public static PageCursor decode(String text) {
        try {
            if (text.length() > 200) {
                throw new IllegalArgumentException("too long");
            }
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            int dot = raw.indexOf('.');
            if (bar < 0 || dot < 0 || dot > bar || bar == raw.length() - 1) {
                throw new IllegalArgumentException("malformed");
            }
            Instant at = Instant.ofEpochSecond(Long.parseLong(raw.substring(0, dot)), Long.parseLong(raw.substring(dot + 1, bar)));
            return new PageCursor(at, raw.substring(bar + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cursor is not valid: use the nextCursor of a previous page");
        }
    }

    /** Builds a page request from raw query input, recording errors in {@code v}. */
    public static PageRequest pageRequest(Validation v, String cursor, Integer limit) {
        Optional<PageCursor> after = v.optional("cursor", cursor, PageCursors::decode);
        int size = limit == null ? PageRequest.DEFAULT_LIMIT : limit;
        PageRequest page = v.attempt("limit", () -> new PageRequest(after, size));
        return page == null ? PageRequest.firstPage() : page;
    }
}
