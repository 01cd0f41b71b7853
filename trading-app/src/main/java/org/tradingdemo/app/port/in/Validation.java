package org.tradingdemo.app.port.in;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Collects field errors while a command is built from raw input, so a client learns every problem
 * at once. The value objects do the checking; this only gathers their messages.
 */
public final class Validation {
    private final List<FieldError> errors = new ArrayList<>();

    /** Builds a required value; records an error and returns null when it is missing or invalid. */
    public <R, T> T required(String field, R raw, Function<R, T> parse) {
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            errors.add(new FieldError(field, field + " is required"));
            return null;
        }
        return attempt(field, () -> parse.apply(raw));
    }

    /** Builds an optional value; absent input gives {@code Optional.empty()}. */
    public <R, T> Optional<T> optional(String field, R raw, Function<R, T> parse) {
        if (raw == null || (raw instanceof String s && s.isBlank())) {
            return Optional.empty();
        }
        return Optional.ofNullable(attempt(field, () -> parse.apply(raw)));
    }

    /** Runs a check that signals invalid input with IllegalArgumentException. */
    public <T> T attempt(String field, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException | ArithmeticException e) {
            errors.add(new FieldError(field, e.getMessage() == null ? "is invalid" : e.getMessage()));
            return null;
        }
    }

    public void check(boolean ok, String field, String message) {
        if (!ok) {
            errors.add(new FieldError(field, message));
        }
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** @throws ValidationException with every error collected, if any */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }
}
