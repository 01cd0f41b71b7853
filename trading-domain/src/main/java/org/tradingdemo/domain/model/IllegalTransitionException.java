package org.tradingdemo.domain.model;

/**
 * A state machine refused a move ({@code terminated → active}, deciding an already decided
 * request, ...). Use cases check first and return a conflict outcome; reaching this exception
 * means a caller skipped the check.
 */
public final class IllegalTransitionException extends RuntimeException {
    private final String from;
    private final String to;

    public IllegalTransitionException(String entity, Object from, Object to) {
        super(entity + " cannot move from " + from + " to " + to);
        this.from = String.valueOf(from);
        this.to = String.valueOf(to);
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }
}
