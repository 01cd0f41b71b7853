package org.tradingdemo.app.inmemory;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.tradingdemo.domain.port.IdGenerator;

/** Predictable ids ({@code trade-000001}, {@code trade-000002}, ...) for tests and scripted demos. */
public final class SequentialIdGenerator implements IdGenerator {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9-]{1,40}");

    private final String prefix;
    private final AtomicLong next = new AtomicLong();

    /** @param prefix letters, digits and {@code -}, 1 to 40 characters */
    public SequentialIdGenerator(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix must be 1-40 letters, digits or '-'");
        }
        this.prefix = prefix;
    }

    @Override
    public String newId() {
        return String.format(Locale.ROOT, "%s-%06d", prefix, next.incrementAndGet());
    }
}
